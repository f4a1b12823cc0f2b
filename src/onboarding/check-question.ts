import { plainText } from "../knowledge/markdown-sections.ts";

/** The multiple-choice question that ends an onboarding module (its `## Kontrollfrage` section). */
export interface CheckQuestion {
  question: string;
  /** In the order written; letters A–F. */
  options: { letter: string; text: string }[];
  /** The letter of the right option. */
  correct: string;
  /** Why the right option is right: shown after every choice. */
  explanation: string;
}

/** The question, or what is wrong with it in German (for validate's findings). */
export type CheckQuestionResult = { ok: true; check: CheckQuestion } | { ok: false; problems: string[] };

/** The heading of the check question section, compared case-insensitively. */
export const CHECK_HEADING = "kontrollfrage";

const OPTION = /^\s*[-*]\s*\(?([A-Fa-f])\)\s+(.+?)\s*$/;
const CORRECT = /^\s*Richtige Antwort\s*:\s*\(?([A-Fa-f])\)?(?:[\s.:–-]+(.*))?$/i;

/**
 * Reads a check question as written: the question, options "- A) …" (at least two), "Richtige Antwort: X" with X
 * among them, then the explanation. Markdown inline syntax is dropped; a wrapped option line continues the option.
 */
export function parseCheckQuestion(markdown: string): CheckQuestionResult {
  const lines = plainText(markdown).split(/\r?\n/);
  const question: string[] = [];
  const options: { letter: string; text: string }[] = [];
  const explanation: string[] = [];
  let correct: string | undefined;
  let lastWasOption = false;
  for (const line of lines) {
    const c = correct === undefined ? CORRECT.exec(line) : null;
    if (c) {
      correct = (c[1] as string).toUpperCase();
      if (c[2]?.trim()) explanation.push(c[2].trim());
      lastWasOption = false;
      continue;
    }
    if (correct !== undefined) {
      explanation.push(line);
      continue;
    }
    const o = OPTION.exec(line);
    if (o) {
      options.push({ letter: (o[1] as string).toUpperCase(), text: (o[2] as string).trim() });
      lastWasOption = true;
      continue;
    }
    if (line.trim() === "") {
      lastWasOption = false;
      if (options.length === 0) question.push("");
      continue;
    }
    const last = options.at(-1);
    if (lastWasOption && last) last.text = `${last.text} ${line.trim()}`;
    else if (options.length === 0) question.push(line.trim());
  }
  const problems: string[] = [];
  const q = question
    .join("\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
  if (!q) problems.push("Die Kontrollfrage hat keinen Fragetext vor den Antwortmöglichkeiten.");
  if (options.length < 2)
    problems.push("Die Kontrollfrage braucht mindestens zwei Antwortmöglichkeiten in der Form „- A) …“.");
  const letters = options.map((o) => o.letter);
  const twice = letters.filter((l, i) => letters.indexOf(l) !== i);
  if (twice.length > 0)
    problems.push(`Antwortmöglichkeit ${[...new Set(twice)].join(", ")} ist mehrfach vergeben.`);
  if (correct === undefined)
    problems.push("Es fehlt die Zeile „Richtige Antwort: X“ (X ist der Buchstabe der richtigen Antwort).");
  else if (options.length > 0 && !letters.includes(correct))
    problems.push(
      `„Richtige Antwort: ${correct}“ ist keine der Antwortmöglichkeiten (${letters.join(", ")}).`,
    );
  const why = explanation
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (correct !== undefined && !why)
    problems.push(`Nach „Richtige Antwort: ${correct}“ fehlt die Erklärung, warum die Antwort richtig ist.`);
  if (problems.length > 0 || correct === undefined) return { ok: false, problems };
  return { ok: true, check: { question: q, options, correct, explanation: why } };
}

/**
 * The check question section of a Markdown body as written: its heading's line (0-based within the body) and its
 * text up to the next heading of the same or a higher level; undefined without one.
 */
export function checkQuestionSection(body: string): { line: number; text: string } | undefined {
  const lines = body.split(/\r?\n/);
  let inFence = false;
  let start = -1;
  let level = 0;
  const text: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*```/.test(line)) inFence = !inFence;
    const h = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (start < 0) {
      if (
        h &&
        plainText(h[2] as string)
          .trim()
          .toLowerCase() === CHECK_HEADING
      ) {
        start = i;
        level = (h[1] as string).length;
      }
      continue;
    }
    if (h && (h[1] as string).length <= level) break;
    text.push(line);
  }
  return start < 0 ? undefined : { line: start, text: text.join("\n") };
}

import type { DocMeta, Finding, Section } from "../knowledge/types.ts";
import { CHECK_HEADING, checkQuestionSection, parseCheckQuestion } from "./check-question.ts";

/** Tags that make an onboarding document a module of a path: the common path's modul-N, a role add-on's rolle-…. */
const MODULE_TAG = /^(modul-\d+|rolle-[a-z0-9-]+)$/;

/**
 * An onboarding document's check question, as validate reads it: a module (tag modul-N or rolle-…) without a
 * `## Kontrollfrage` section, or any onboarding document whose check question has no question, fewer than two
 * options, no right answer among them or no explanation, cannot be shown as a module — an error, at the section's
 * line. (An onboarding document outside the paths, such as a "who is responsible" page, needs none.) A Markdown body is read as written (`body`); a PDF or Word document's
 * sections where it was read now (`sections`); neither: nothing to check.
 */
export function checkQuestionFindings(
  meta: DocMeta,
  file: string,
  source: { body?: { text: string; line: number }; sections?: Section[] },
): Finding[] {
  if (meta.type !== "onboarding") return [];
  let text: string | undefined;
  let line = 1;
  if (source.body) {
    const section = checkQuestionSection(source.body.text);
    if (section) {
      text = section.text;
      line = source.body.line + section.line;
    }
  } else if (source.sections) {
    text = source.sections.find((s) => s.headings.at(-1)?.trim().toLowerCase() === CHECK_HEADING)?.text;
  } else return [];
  if (text === undefined && !meta.tags.some((t) => MODULE_TAG.test(t))) return [];
  if (text === undefined)
    return [
      {
        severity: "error",
        file,
        line,
        message:
          "Onboarding-Modul ohne Abschnitt „## Kontrollfrage“: Jedes Modul endet mit einer Kontrollfrage (Frage, Antwortmöglichkeiten „- A) …“, „Richtige Antwort: X“ und eine Erklärung).",
      },
    ];
  const parsed = parseCheckQuestion(text);
  if (parsed.ok) return [];
  return parsed.problems.map((p) => ({
    severity: "error" as const,
    file,
    line,
    message: `Kontrollfrage: ${p}`,
  }));
}

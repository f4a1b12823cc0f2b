import type { Passage } from "../retrieval/retriever.ts";
import type { GoalRef } from "./answer.ts";
import type { ComposeInput } from "./composer.ts";
import { carries, foldedWords, queryTerms } from "./sentence-score.ts";

/** Key terms are the question's words in the answer, weighing at least this share of the heaviest of them. */
const KEY_SHARE = 0.7;
const MAX_GOALS = 2;
/** A term carried by more than this share of the tenant's goals does not tell which goal applies. */
const TELLING_SHARE = 1 / 3;
/** Words that open or frame a question without naming its topic (capitalised at its start, they pass for nouns). */
const NO_TOPIC = new Set([
  "seit",
  "ab",
  "bis",
  "wann",
  "wie",
  "was",
  "wer",
  "wo",
  "ob",
  "gilt",
  "gelten",
  "neu",
  "neue",
]);
/** Expansions below this weight (compound parts, weak senses) are too loose to tie a goal to an answer. */
const MIN_ALTERNATIVE = 0.6;

/**
 * The tenant's goals that share the answer's topic: a goal applies when its title, tags or text carry one of the
 * answer's key terms (the heaviest words of the question that the quoted sections carry, in the form they carry
 * them), so that a laptop question shows no recycled-paper goal although both are about procurement.
 */
export function applicableGoals(input: ComposeInput, cited: Passage[], quoted: string): GoalRef[] {
  const terms = queryTerms(input.retrieval).map((t) => ({
    ...t,
    lexemes: new Map([...t.lexemes].filter(([, share]) => share >= MIN_ALTERNATIVE)),
  }));
  const answerWords = foldedWords(`${quoted} ${cited.map((p) => p.section).join(" ")}`);
  // Each term in the form the answer carries it: "Dienstwagen", not a loose expansion of it.
  const keys = terms
    .map((t) => {
      const lexemes = [...t.lexemes.keys()].filter((l) => hasLexeme(answerWords, l));
      return { t, lexemes, weight: t.weight * Math.max(0, ...lexemes.map((l) => t.lexemes.get(l) ?? 0)) };
    })
    // A figure of the question ("216.000", "2026") is no topic, nor is the "Seit" of "Seit wann …".
    .filter((k) => k.lexemes.length > 0 && !/\d/.test(k.t.word) && !NO_TOPIC.has(k.t.word));
  // The topic is in the nouns ("Schwellenwert", "Dienstwagen"), not in "seit" or "gilt", where the question has any.
  const topical = keys.some((k) => k.t.noun) ? keys.filter((k) => k.t.noun) : keys;
  const max = Math.max(0, ...topical.map((k) => k.weight));
  const strong = topical.filter((k) => max > 0 && k.weight >= KEY_SHARE * max);
  if (strong.length === 0) return [];
  const retrieved = new Set(
    input.retrieval.passages
      .filter((p) => p.type === "goal" && p.tenant === input.tenant)
      .map((p) => p.docId),
  );
  const goalWords = input.goals.map((g) => [
    ...new Set([...foldedWords(`${g.title} ${g.text}`), ...g.tags.flatMap((t) => foldedWords(t))]),
  ]);
  const carriedBy = (ws: string[], k: (typeof strong)[number]) => k.lexemes.some((l) => hasLexeme(ws, l));
  const carrying = (k: (typeof strong)[number]) => goalWords.filter((ws) => carriedBy(ws, k)).length;
  // A word many goals carry ("Musterstadt", "Verwaltung") tells none of them apart, nor does a number ("100 %").
  const telling = strong.filter(
    (k) => input.goals.length < 3 || carrying(k) <= input.goals.length * TELLING_SHARE,
  );
  const scored = input.goals
    .map((g, n) => {
      const weight = telling
        .filter((k) => carriedBy(goalWords[n] ?? [], k))
        .reduce((sum, k) => sum + k.weight, 0);
      return { g, weight: weight + (retrieved.has(g.docId) && weight > 0 ? max : 0) };
    })
    .filter((x) => x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.g.docId.localeCompare(b.g.docId));
  return scored.slice(0, MAX_GOALS).map(({ g }) => ({ title: g.title, text: g.text, docId: g.docId }));
}

/** A short lexeme ("pkw", "ilo") only as a whole word, a longer one also inside a compound. */
function hasLexeme(ws: string[], lexeme: string): boolean {
  return ws.some((w) => (lexeme.length >= 4 ? carries(w, lexeme) : w === lexeme));
}

import type { Passage, RetrievalResult } from "../retrieval/retriever.ts";

/** Share of the question's idf weight that a passage covers (0..1): rare words count most. */
export function coverage(passage: Passage, result: RetrievalResult): number {
  let total = 0;
  let hit = 0;
  const matched = new Set(passage.matched);
  for (const [lexeme, weight] of result.idf) {
    total += weight;
    if (matched.has(lexeme)) hit += weight;
  }
  return total > 0 ? hit / total : 0;
}

/**
 * Confidence that the best passages answer the question: mostly lexical coverage of the question's rare words,
 * with vector similarity as a tie-breaker. Calibrated on test/eval/questions.yaml (see README).
 */
export function confidence(result: RetrievalResult): number {
  const top = result.passages.slice(0, 3);
  if (top.length === 0) return 0;
  const best = Math.max(...top.map((p) => coverage(p, result)));
  const sim = Math.max(...top.map((p) => p.similarity));
  const value = result.mode === "hybrid" ? 0.8 * best + 0.2 * Math.max(0, sim) : best;
  return Math.round(value * 1000) / 1000;
}

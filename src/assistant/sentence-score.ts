import { words } from "../text/normalize.ts";

/** Whether a folded word carries a stemmed query lexeme (as prefix, or inside a compound). */
function carries(word: string, lexeme: string): boolean {
  return word.startsWith(lexeme) || (lexeme.length >= 5 && word.includes(lexeme));
}

/** Sum of the idf weights of the query lexemes a sentence carries (each counted once). */
export function sentenceScore(sentence: string, idf: Map<string, number>): number {
  const ws = words(sentence);
  let score = 0;
  for (const [lexeme, weight] of idf) if (ws.some((w) => carries(w, lexeme))) score += weight;
  return score;
}

/** Cuts a text at a word boundary, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const at = cut.lastIndexOf(" ");
  return `${(at > max * 0.6 ? cut.slice(0, at) : cut).replace(/[\s,;:–-]+$/, "")} …`;
}

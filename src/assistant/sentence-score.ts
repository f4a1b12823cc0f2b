import type { Passage, RetrievalResult } from "../retrieval/retriever.ts";
import { rawWords, snowballFold, words } from "../text/normalize.ts";

/** Whether a folded word carries a stemmed query lexeme (as prefix, or inside a compound). */
export function carries(word: string, lexeme: string): boolean {
  return word.startsWith(lexeme) || (lexeme.length >= 5 && word.includes(lexeme));
}

/** One thing the question asks about, with the lexemes that stand for it and how much each counts. */
export interface Term {
  /** Stable key: the question's word. */
  key: string;
  /** The user's own word (folded, lower-case). */
  word: string;
  /** Inverse document frequency of the term (halved for non-nouns). */
  weight: number;
  /** Capitalised in the question: German nouns carry the topic. */
  noun: boolean;
  /** The question's key concept: what every part of a question with several parts is about. */
  topic?: boolean;
  /** Lexeme → share of the weight it earns (1 for the user's own word, less for synonyms and other expansions). */
  lexemes: Map<string, number>;
}

/**
 * The question's terms for sentence scoring: its concepts, each counted once however many of its alternatives a
 * sentence carries; where retrieval gives no concepts, each weighted lexeme on its own.
 */
export function queryTerms(
  result: Pick<RetrievalResult, "idf"> & { concepts?: RetrievalResult["concepts"] },
): Term[] {
  const concepts = result.concepts ?? [];
  if (concepts.length > 0)
    return concepts.map((c) => {
      const lexemes = new Map<string, number>();
      for (const a of c.alternatives)
        for (const l of a.lexemes) lexemes.set(l, Math.max(lexemes.get(l) ?? 0, a.weight));
      return { key: c.word, word: c.word, weight: c.weight, noun: c.noun, topic: c.key, lexemes };
    });
  return [...result.idf].map(([l, w]) => ({
    key: l,
    word: l,
    weight: w,
    noun: true,
    lexemes: new Map([[l, 1]]),
  }));
}

/**
 * The words of a text in both foldings that lexemes come in: "Wärmeplan" as "waermeplan" (the index's folding) and
 * "warmeplan" (Snowball's, which the stemmer applies to words it is given with umlauts).
 */
export function foldedWords(text: string): string[] {
  return [...new Set([...words(text), ...rawWords(text).map(snowballFold)])];
}

/** The terms a text carries, each with the weight it earns there. */
export function carried(text: string, terms: Term[]): Map<string, number> {
  const ws = foldedWords(text);
  const out = new Map<string, number>();
  for (const t of terms) {
    let best = 0;
    for (const [l, share] of t.lexemes) if (share > best && ws.some((w) => carries(w, l))) best = share;
    if (best > 0) out.set(t.key, t.weight * best);
  }
  return out;
}

/** Sum of the weights earned. */
export function weightOf(earned: Iterable<number>): number {
  let sum = 0;
  for (const w of earned) sum += w;
  return sum;
}

/** The weight of the question's terms a passage's index entry matches (title and headings included). */
export function passageWeight(p: Pick<Passage, "matched">, terms: Term[]): number {
  const matched = new Set(p.matched);
  let sum = 0;
  for (const t of terms) {
    let best = 0;
    for (const [l, share] of t.lexemes) if (matched.has(l) && share > best) best = share;
    sum += t.weight * best;
  }
  return sum;
}

/** Cuts a text at a word boundary, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const at = cut.lastIndexOf(" ");
  return `${(at > max * 0.6 ? cut.slice(0, at) : cut).replace(/[\s,;:–-]+$/, "")} …`;
}

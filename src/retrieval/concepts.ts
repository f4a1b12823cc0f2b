/**
 * A question as concepts: each content word of the question with the corpus terms that may stand for it. Retrieval
 * searches every alternative, and a passage covers a concept when it contains any of them, credited with that
 * alternative's weight: the user's own words count fully, expansions less.
 */

/** Where an alternative comes from. */
export type AlternativeSource =
  /** The word as the user wrote it. */
  | "own"
  /** A corpus compound formed from this and another word of the question (Kriterien der Beschaffung). */
  | "joined"
  /** The municipality's synonyms.yaml. */
  | "synonym"
  /** An OpenThesaurus sense that the rest of the question supports. */
  | "thesaurus"
  /** Head or part of a compound the corpus lacks (Linienbus → Bus), or a corpus compound with the same head. */
  | "compound"
  /** The corpus word one typing slip away. */
  | "typo"
  /** German word of the dictionary for an English word. */
  | "english";

export interface Alternative {
  /** The term as the corpus writes it (folded, lower-case). */
  term: string;
  /** Its lexemes in the full-text index. */
  lexemes: string[];
  source: AlternativeSource;
  /** 0..1: 1 for the user's own words. */
  weight: number;
  /** For thesaurus and compound alternatives: the sense (synset) they belong to, as a short label. */
  sense?: string;
  /** For synonyms: file and line of the group. */
  origin?: string;
  /** For senses chosen by co-occurrence: chunks with this sense and the rest of the question, per chunk with it. */
  support?: number;
}

export interface Concept {
  /** The word of the question (lower-case, umlauts folded). */
  word: string;
  /** Capitalised in the question: German nouns carry the topic. */
  noun: boolean;
  /** Inverse document frequency of the concept (halved for non-nouns); coverage is weighted by it. */
  weight: number;
  /** Whether any alternative occurs in the corpus. */
  known: boolean;
  /** The concept whose absence from the best passages means the knowledge base does not answer the question. */
  key: boolean;
  alternatives: Alternative[];
  /** Thesaurus or compound senses left out, with the reason (for the trace). */
  rejected: { sense: string; terms: string[]; reason: string }[];
}

/** Weights of expansions, below the user's own words (measured on test/eval; see README). */
export const WEIGHTS = {
  own: 1,
  joined: 1,
  typo: 0.9,
  english: 0.8,
  synonym: 0.7,
  thesaurus: 0.6,
  compoundHead: 0.4,
  compoundPart: 0.25,
  compoundSibling: 0.35,
  /** An English word of an English question matched through a German stem only ("plane" → Plan). */
  englishLiteral: 0.6,
  /** The literal word when a thesaurus sense is supported by the question and the literal word is not. */
  unsupportedLiteral: 0.3,
} as const;

/** Best credit a passage's matched lexemes give a concept (0 when none of its alternatives is there). */
export function conceptCredit(
  concept: Concept,
  matched: ReadonlySet<string>,
): { credit: number; via?: Alternative } {
  let best: Alternative | undefined;
  for (const a of concept.alternatives)
    if (a.lexemes.some((l) => matched.has(l)) && (!best || a.weight > best.weight)) best = a;
  return best ? { credit: best.weight, via: best } : { credit: 0 };
}

/** Share of the concepts' weight that a passage covers (0..1). */
export function conceptCoverage(concepts: readonly Concept[], matched: ReadonlySet<string>): number {
  let total = 0;
  let hit = 0;
  for (const c of concepts) {
    total += c.weight;
    hit += c.weight * conceptCredit(c, matched).credit;
  }
  return total > 0 ? hit / total : 0;
}

import type { Queryable } from "../db/database.ts";
import { ENGLISH_DICTIONARY_FILE } from "../text/english-dictionary.ts";
import { germanBaseForms, umlautSpellings } from "../text/lemma.ts";
import { foldUmlauts } from "../text/normalize.ts";
import { readVocabularyFile, textBytes } from "../text/vocabulary-file.ts";

/** The two dictionary sources reduction reads (OpenThesaurus and the Ding English–German dictionary). */
export interface SenseSource {
  /** Synsets of a word, [] if unknown, case-insensitive. */
  senses(word: string): readonly (readonly string[])[];
}
/** English word → German words, for every entry of the dictionary. */
export type EnglishEntries = () => Iterable<readonly [string, readonly string[]]>;

/**
 * The part of the thesaurus and the dictionary that leads into the corpus, small enough to keep in every replica's
 * memory and stored in the index by ingest (index_meta "query_vocabulary"), so a server start reads a few hundred
 * kilobytes instead of both dictionaries.
 */
export interface ReducedVocabulary {
  /** Thesaurus senses: a label, the members (folded single words) and the corpus words among them. */
  senses: [label: string, members: string[], terms: string[]][];
  /** English word → corpus words (folded) among its German translations. */
  english: Record<string, string[]>;
}

export const META_KEY = "query_vocabulary";
/** Synsets larger than this are loose associations ("arbeiten": 40 idioms), not synonyms. */
const MAX_SYNSET = 24;
const MAX_ENGLISH_TERMS = 6;

/** A dictionary term as a single folded word, or undefined for phrases ("in Betrieb nehmen"). */
function singleWord(term: string): string | undefined {
  const w = term.replace(/\s*\([^)]*\)/g, "").trim();
  if (!w || /\s/.test(w) || w.length < 3) return undefined;
  return foldUmlauts(w.toLowerCase());
}

/** Corpus words by their likely base forms: "bildschirme" is in the corpus, "Bildschirm" in the dictionaries. */
function corpusByBase(words: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const w of words) {
    if (/\d/.test(w)) continue;
    for (const b of germanBaseForms(w)) {
      const list = out.get(b);
      if (!list) out.set(b, [w]);
      else if (!list.includes(w)) list.push(w);
    }
  }
  return out;
}

/** Keeps only the synsets and English entries that contain a corpus word. */
export function reduceVocabulary(
  words: readonly string[],
  thesaurus: SenseSource | undefined,
  english: EnglishEntries | undefined,
): ReducedVocabulary {
  const byBase = corpusByBase(words);
  const senses: ReducedVocabulary["senses"] = [];
  if (thesaurus) {
    const seen = new Set<string>();
    for (const base of byBase.keys())
      for (const spelling of umlautSpellings(base))
        for (const synset of thesaurus.senses(spelling)) {
          const id = synset.join(";");
          if (synset.length > MAX_SYNSET || seen.has(id)) continue;
          seen.add(id);
          const members = [...new Set(synset.map(singleWord).filter((m): m is string => m !== undefined))];
          const terms = [...new Set(members.flatMap((m) => byBase.get(m) ?? []))];
          if (terms.length > 0 && members.length >= 2)
            senses.push([synset.slice(0, 3).join(", "), members, terms]);
        }
  }
  const englishMap: Record<string, string[]> = {};
  if (english)
    for (const [en, germans] of english()) {
      const terms: string[] = [];
      for (const g of germans) {
        const w = singleWord(g);
        for (const t of (w && byBase.get(w)) || []) if (!terms.includes(t)) terms.push(t);
      }
      if (terms.length > 0) englishMap[en] = terms.slice(0, MAX_ENGLISH_TERMS);
    }
  return { senses, english: englishMap };
}

/** Every entry of the committed English dictionary file ("english\tgerman;german"). */
export function dictionaryEntries(file = ENGLISH_DICTIONARY_FILE): EnglishEntries {
  return function* () {
    const text = textBytes(readVocabularyFile(file, "English dictionary")).toString("utf8");
    for (const line of text.split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      const tab = line.indexOf("\t");
      if (tab > 0) yield [line.slice(0, tab), line.slice(tab + 1).split(";")] as const;
    }
  };
}

/** Reduces the dictionaries to the index's vocabulary and stores the result (ingest, inside its transaction). */
export async function writeQueryVocabulary(
  tx: Queryable,
  thesaurus: SenseSource | undefined,
  english: EnglishEntries | undefined,
): Promise<void> {
  const { rows } = await tx.query<{ w: string }>("SELECT DISTINCT unnest(vocabulary) AS w FROM documents");
  const reduced = reduceVocabulary(
    rows.map((r) => r.w),
    thesaurus,
    english,
  );
  await tx.query(
    "INSERT INTO index_meta (key, value, updated_at) VALUES ($1, $2, now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
    [META_KEY, JSON.stringify(reduced)],
  );
}

import { ENGLISH_DICTIONARY_FILE } from "../text/english-dictionary.ts";
import { germanBaseForms, umlautSpellings } from "../text/lemma.ts";
import { foldUmlauts } from "../text/normalize.ts";
import { scanSenses, thesaurusKey } from "../text/thesaurus.ts";
import { hashKey, readVocabularyFile, textBytes } from "../text/vocabulary-file.ts";

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
/**
 * index_meta key of what the stored reduction was made from (src/ingest/query-vocabulary-store.ts): an ingest whose
 * vocabulary and data files are the same keeps it instead of reducing again, and a refresh in the process that just
 * reduced takes the result from memory instead of reading it back.
 */
export const FINGERPRINT_KEY = "query_vocabulary_fingerprint";
/** Bump when reduction changes what it makes of the same input: every stored reduction is then made again. */
export const REDUCTION_VERSION = 1;
/** Synsets larger than this are loose associations ("arbeiten": 40 idioms), not synonyms. */
const MAX_SYNSET = 24;
const MAX_ENGLISH_TERMS = 6;
/** Slices of reduction work between yields to the event loop (runSliced): short, so a reply from the database waits little. */
const SLICE_MS = 4;

/** Both data files gunzipped: the thesaurus as text, the English dictionary as UTF-8 bytes (see fromBytes). */
export interface DictionaryTexts {
  thesaurus: string;
  english: Buffer;
}

/** A dictionary term as a single folded word, or undefined for phrases ("in Betrieb nehmen"). */
function singleWord(term: string): string | undefined {
  // Most terms have no parenthesis: the replace then only costs.
  const w = (term.includes("(") ? term.replace(/\s*\([^)]*\)/g, "") : term).trim();
  if (w.length < 3 || /\s/.test(w)) return undefined;
  return foldUmlauts(w.toLowerCase());
}

/** Corpus words by their likely base forms: "bildschirme" is in the corpus, "Bildschirm" in the dictionaries. */
function* corpusByBase(words: readonly string[]): Generator<void, Map<string, string[]>, void> {
  const out = new Map<string, string[]>();
  for (const [i, w] of words.entries()) {
    if (i % 1024 === 1023) yield;
    if (/\d/.test(w)) continue;
    for (const b of germanBaseForms(w)) {
      const list = out.get(b);
      if (!list) out.set(b, [w]);
      else if (!list.includes(w)) list.push(w);
    }
  }
  return out;
}

/** English entries whose German side leads into the corpus: the corpus words among the translations, in order. */
type EnglishReduction = (byBase: Map<string, string[]>) => Generator<void, Record<string, string[]>, void>;

function addTerms(terms: string[], german: string, byBase: Map<string, string[]>): void {
  const w = singleWord(german);
  for (const t of (w && byBase.get(w)) || []) if (!terms.includes(t)) terms.push(t);
}

/** English reduction over entries (tests' small dictionaries). */
function fromEntries(english: EnglishEntries): EnglishReduction {
  return function* (byBase) {
    const out: Record<string, string[]> = {};
    let n = 0;
    for (const [en, germans] of english()) {
      if (++n % 4096 === 0) yield;
      const terms: string[] = [];
      for (const g of germans) addTerms(terms, g, byBase);
      if (terms.length > 0) out[en] = terms.slice(0, MAX_ENGLISH_TERMS);
    }
    return out;
  };
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const HASH = 0x23;
const PAREN = 0x28;
const SEMICOLON = 0x3b;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The German terms of one dictionary entry, bytes[from] up to the end of the line: the corpus words they lead to are
 * added to `terms`; returns where the line ends. A term of ASCII characters and umlauts without parenthesis (nearly
 * all) is hashed on the way as singleWord would write it (hashKey of the lower-cased word, umlauts folded) and decoded
 * only when that is the hash of a corpus base form; any other term is decoded and goes through singleWord.
 */
function entryTerms(
  bytes: Buffer,
  from: number,
  hashes: Set<number>,
  byBase: Map<string, string[]>,
  terms: string[],
): number {
  const n = bytes.length;
  const add = (w: string | undefined) => {
    for (const t of (w && byBase.get(w)) || []) if (!terms.includes(t)) terms.push(t);
  };
  let i = from;
  for (;;) {
    const term = i;
    let plain = true; // ASCII and umlauts, no parenthesis
    let umlauts = false;
    let first = -1; // the trimmed term is [first, last); last stays -1 until a space follows it
    let last = -1;
    let phrase = false;
    let h = FNV_OFFSET;
    for (; i < n; i++) {
      const c = bytes[i] as number;
      if (c === SEMICOLON || c === NEWLINE) break;
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        if (first >= 0 && last < 0) last = i;
      } else if (last >= 0) phrase = true;
      else if (c < 0x80 && c !== PAREN) {
        if (first < 0) first = i;
        h = Math.imul(h ^ (c >= 0x41 && c <= 0x5a ? c + 0x20 : c), FNV_PRIME);
      } else if (c === 0xc3) {
        // ä ö ü ß and capitals: folded to ae oe ue ss (lower case either way)
        const d = bytes[i + 1];
        const x =
          d === 0xa4 || d === 0x84
            ? 0x61
            : d === 0xb6 || d === 0x96
              ? 0x6f
              : d === 0xbc || d === 0x9c
                ? 0x75
                : d === 0x9f
                  ? 0x73
                  : 0;
        if (x === 0) plain = false;
        else {
          if (first < 0) first = i;
          h = Math.imul(Math.imul(h ^ x, FNV_PRIME) ^ (x === 0x73 ? 0x73 : 0x65), FNV_PRIME);
          umlauts = true;
          i++;
        }
      } else plain = false;
    }
    if (!plain) add(singleWord(bytes.toString("utf8", term, i)));
    else if (first >= 0 && !phrase && hashes.has(h >>> 0)) {
      const to = last < 0 ? i : last;
      if (umlauts) add(singleWord(bytes.toString("utf8", first, to)));
      else if (to - first >= 3) add(bytes.toString("latin1", first, to).toLowerCase());
    }
    if (i >= n || bytes[i] === NEWLINE) return i;
    i++;
  }
}

/**
 * English reduction over the dictionary's UTF-8 bytes ("english\tgerman;german" lines, "#" comments), in one pass
 * without decoding the 10 MB into a string or splitting it into lines and entries (entryTerms reads the half million
 * German terms byte by byte). The same result as fromEntries(dictionaryEntries()).
 */
function fromBytes(bytes: Buffer): EnglishReduction {
  return function* (byBase) {
    const hashes = new Set<number>();
    for (const b of byBase.keys()) hashes.add(hashKey(b));
    const out: Record<string, string[]> = {};
    const n = bytes.length;
    let lines = 0;
    for (let start = 0; start < n; ) {
      if (++lines % 4096 === 0) yield;
      let tab = start;
      while (tab < n && bytes[tab] !== TAB && bytes[tab] !== NEWLINE) tab++;
      if (tab >= n || bytes[tab] !== TAB || tab === start || bytes[start] === HASH) {
        // A comment, an empty line or one without a tab: no entry.
        const end = bytes.indexOf(NEWLINE, start);
        start = end < 0 ? n : end + 1;
        continue;
      }
      const terms: string[] = [];
      const end = entryTerms(bytes, tab + 1, hashes, byBase, terms);
      if (terms.length > 0) out[bytes.toString("utf8", start, tab)] = terms.slice(0, MAX_ENGLISH_TERMS);
      start = end + 1;
    }
    return out;
  };
}

/** The reduction as steps that yield now and then (see runSliced). */
function* reduceSteps(
  words: readonly string[],
  thesaurus:
    | SenseSource
    | ((byBase: Map<string, string[]>) => Generator<void, SenseSource, void>)
    | undefined,
  english: EnglishReduction | undefined,
): Generator<void, ReducedVocabulary, void> {
  const byBase = yield* corpusByBase(words);
  const senses: ReducedVocabulary["senses"] = [];
  if (thesaurus) {
    const source = typeof thesaurus === "function" ? yield* thesaurus(byBase) : thesaurus;
    const seen = new Set<string>();
    let n = 0;
    for (const base of byBase.keys()) {
      if (++n % 1024 === 0) yield;
      for (const spelling of umlautSpellings(base))
        for (const synset of source.senses(spelling)) {
          const id = synset.join(";");
          if (synset.length > MAX_SYNSET || seen.has(id)) continue;
          seen.add(id);
          const members = [...new Set(synset.map(singleWord).filter((m): m is string => m !== undefined))];
          const terms = [...new Set(members.flatMap((m) => byBase.get(m) ?? []))];
          if (terms.length > 0 && members.length >= 2)
            senses.push([synset.slice(0, 3).join(", "), members, terms]);
        }
    }
  }
  return { senses, english: english ? yield* english(byBase) : {} };
}

/** The thesaurus text as a sense source for exactly the spellings reduction will ask for. */
function scannedThesaurus(text: string) {
  return function* (byBase: Map<string, string[]>): Generator<void, SenseSource, void> {
    const wanted = new Set<string>();
    for (const base of byBase.keys()) for (const s of umlautSpellings(base)) wanted.add(thesaurusKey(s));
    const found = yield* scanSenses(text, wanted);
    return { senses: (word) => found.get(thesaurusKey(word)) ?? [] };
  };
}

/** Runs steps to the end at once. */
export function runAll<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs steps in slices of SLICE_MS, yielding to the event loop between them (replies of the database get handled). */
export async function runSliced<T>(steps: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const until = performance.now() + SLICE_MS;
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) return r.value;
      if (performance.now() >= until) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Keeps only the synsets and English entries that contain a corpus word. */
export function reduceVocabulary(
  words: readonly string[],
  thesaurus: SenseSource | undefined,
  english: EnglishEntries | undefined,
): ReducedVocabulary {
  return runAll(reduceSteps(words, thesaurus, english && fromEntries(english)));
}

/**
 * reduceVocabulary over the texts of the data files, in one pass over each (what ingest stores), as steps for
 * runSliced or runAll; the same result as reduceVocabulary(words, loadThesaurus(), dictionaryEntries()).
 */
export function dictionaryReduction(
  words: readonly string[],
  texts: DictionaryTexts,
): Generator<void, ReducedVocabulary, void> {
  return reduceSteps(words, scannedThesaurus(texts.thesaurus), fromBytes(texts.english));
}

/** Every entry of the committed English dictionary file ("english\tgerman;german"): the reference reading of it. */
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

/** A reduction with the fingerprint of its input, as ingest stores it. */
export interface StoredReduction {
  fingerprint: string;
  reduced: ReducedVocabulary;
}

/** The last reduction this process stored, so that the refresh after its ingest need not read it back. */
let recent: StoredReduction | undefined;

/** Remembers the reduction this process just stored (see takeRecentReduction). */
export function rememberReduction(reduction: StoredReduction): void {
  recent = reduction;
}

/**
 * The reduction this process stored last if the index's fingerprint is its own (another replica may have ingested
 * since); taken once, so the process does not keep a second reference to it.
 */
export function takeRecentReduction(fingerprint: unknown): ReducedVocabulary | undefined {
  const r = recent;
  recent = undefined;
  return r !== undefined && r.fingerprint === fingerprint ? r.reduced : undefined;
}

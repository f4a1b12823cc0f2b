import type { Queryable } from "../db/database.ts";
import {
  EMPTY_SYNONYMS,
  groupsFor,
  SYNONYMS_KEY,
  type SynonymGroup,
  type SynonymSet,
} from "../knowledge/synonyms.ts";
import { Lexicon } from "../text/compounds.ts";
import { germanBaseForms } from "../text/lemma.ts";
import { foldUmlauts } from "../text/normalize.ts";
import { loadThesaurus } from "../text/thesaurus.ts";
import {
  dictionaryEntries,
  FINGERPRINT_KEY,
  META_KEY,
  type ReducedVocabulary,
  reduceVocabulary,
  takeRecentReduction,
} from "./vocabulary-reduction.ts";

/** One thesaurus sense reduced to what the corpus has of it. */
export interface CorpusSense {
  label: string;
  /** Corpus words (folded, lower-case) of the synset. */
  terms: string[];
}

/** A synonym group resolved against the corpus: the lexemes that trigger it and the corpus terms it adds. */
export interface ResolvedGroup {
  group: SynonymGroup;
  triggers: Set<string>;
  terms: string[];
}

/** Words stemmed at query time are remembered up to this many (corpus words and questions' words). */
const MAX_STEMS = 100_000;

/**
 * What query expansion needs to know about the corpus, built at refresh: its words, document frequencies, the
 * lexemes of words seen so far, the reduced thesaurus and dictionary (user word → corpus terms), and the tenants'
 * synonym groups resolved against the corpus.
 */
export class QueryVocabulary {
  readonly lexicon: Lexicon;
  readonly words: readonly string[];
  readonly docFreq: Map<string, number>;
  readonly totalChunks: number;
  private readonly stems: Map<string, string[]>;
  private readonly senseIndex = new Map<string, number[]>();
  private readonly senseList: CorpusSense[] = [];
  private readonly english: Record<string, string[]>;
  private readonly synonyms = new Map<string, ResolvedGroup[]>();

  constructor(input: {
    words: string[];
    docFreq: Map<string, number>;
    totalChunks: number;
    /** Lexemes of the synonym files' words (stemmed at refresh). */
    stems?: Map<string, string[]>;
    reduced?: ReducedVocabulary;
    synonyms?: SynonymSet;
  }) {
    this.words = input.words;
    this.lexicon = new Lexicon(input.words);
    this.docFreq = input.docFreq;
    this.totalChunks = input.totalChunks;
    this.stems = input.stems ?? new Map();
    this.english = input.reduced?.english ?? {};
    for (const [label, members, terms] of input.reduced?.senses ?? []) {
      const id = this.senseList.length;
      this.senseList.push({ label, terms });
      for (const m of members) {
        const ids = this.senseIndex.get(m);
        if (ids) ids.push(id);
        else this.senseIndex.set(m, [id]);
      }
    }
    const set = input.synonyms;
    if (set) for (const t of ["", ...Object.keys(set.tenants)]) this.resolveSynonyms(set, t);
  }

  /** Lexemes of a word, if stemmed before. */
  stemOf(word: string): string[] | undefined {
    return this.stems.get(word);
  }

  /** Remembers the lexemes of a word stemmed at query time (bounded, so odd questions cannot grow memory). */
  rememberStem(word: string, lexemes: string[]): void {
    if (this.stems.size < MAX_STEMS) this.stems.set(word, lexemes);
  }

  df(lexeme: string): number {
    return this.docFreq.get(lexeme) ?? 0;
  }

  /** Whether the index holds the lexeme in any chunk. */
  inCorpus(lexeme: string): boolean {
    return this.df(lexeme) > 0;
  }

  /** Thesaurus senses of a word (any inflection) that lead into corpus terms. */
  sensesOf(word: string): CorpusSense[] {
    const ids = new Set<number>();
    for (const b of germanBaseForms(word))
      if (b.length >= 4) for (const i of this.senseIndex.get(b) ?? []) ids.add(i);
    return [...ids].map((i) => this.senseList[i] as CorpusSense);
  }

  /** Whether a word (any inflection) is a word of the corpus or of the thesaurus: a plausible compound head. */
  isWord(word: string): boolean {
    return germanBaseForms(word).some((b) => this.lexicon.has(b) || this.senseIndex.has(b));
  }

  /** Corpus words among the German translations of an English word. */
  englishOf(word: string): string[] {
    return Object.hasOwn(this.english, word) ? (this.english[word] ?? []) : [];
  }

  /** Synonym groups of the tenant (and shared) that the word's lexemes or spelling trigger. */
  synonymsOf(word: string, lexemes: readonly string[], tenant: string): ResolvedGroup[] {
    const out: ResolvedGroup[] = [];
    for (const key of tenant === "" ? [""] : ["", tenant])
      for (const g of this.synonyms.get(key) ?? [])
        if (g.triggers.has(word) || lexemes.some((l) => g.triggers.has(l))) out.push(g);
    return out;
  }

  get senseCount(): number {
    return this.senseList.length;
  }

  private resolveSynonyms(set: SynonymSet, tenant: string): void {
    const groups = tenant === "" ? set.shared : groupsFor({ shared: [], tenants: set.tenants }, tenant);
    const resolved: ResolvedGroup[] = [];
    for (const group of groups) {
      const triggers = new Set<string>();
      for (const w of group.words) {
        const folded = foldUmlauts(w.toLowerCase());
        triggers.add(folded);
        for (const l of this.stems.get(folded) ?? []) triggers.add(l);
      }
      const terms = group.terms
        .map((t) => foldUmlauts(t.toLowerCase()))
        .filter((t) => (this.stems.get(t) ?? []).some((l) => this.inCorpus(l)));
      if (terms.length > 0) resolved.push({ group, triggers, terms });
    }
    this.synonyms.set(tenant, resolved);
  }
}

/** Every word a synonym set mentions (folded, lower-case), to be stemmed at refresh. */
export function synonymWords(set: SynonymSet): string[] {
  const all = [...set.shared, ...Object.values(set.tenants).flat()];
  return [...new Set(all.flatMap((g) => [...g.words, ...g.terms]).map((w) => foldUmlauts(w.toLowerCase())))];
}

/**
 * What query expansion needs from the index: its words, document frequencies, synonyms (their words stemmed by
 * `stem`) and the reduced dictionaries ingest stored — taken from memory when this process stored them, reduced here
 * for an index written before ingest stored them (slower). `reduce` replaces the stored ones (tests' dictionaries).
 */
export async function loadQueryVocabulary(
  db: Queryable,
  stem: (words: string[]) => Promise<Map<string, string[]>>,
  reduce?: (words: string[]) => ReducedVocabulary,
): Promise<QueryVocabulary> {
  const vocab = await db.query<{ w: string }>("SELECT DISTINCT unnest(vocabulary) AS w FROM documents");
  const total = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM chunks");
  const totalChunks = Number(total.rows[0]?.n ?? 0);
  // lexeme_stats is what ingest wrote from ts_stat; reading it is much cheaper than running ts_stat again.
  let stats = await db.query<{ word: string; ndoc: number }>("SELECT lexeme AS word, ndoc FROM lexeme_stats");
  if (stats.rows.length === 0 && totalChunks > 0)
    stats = await db.query("SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks')");
  const meta = await db.query<{ key: string; value: unknown }>(
    "SELECT key, value FROM index_meta WHERE key = ANY($1)",
    [[SYNONYMS_KEY, FINGERPRINT_KEY]],
  );
  const synonyms =
    (meta.rows.find((r) => r.key === SYNONYMS_KEY)?.value as SynonymSet | undefined) ?? EMPTY_SYNONYMS;
  const words = vocab.rows.map((r) => r.w);
  const reduced = reduce
    ? reduce(words)
    : (takeRecentReduction(meta.rows.find((r) => r.key === FINGERPRINT_KEY)?.value) ??
      (await storedReduction(db)) ??
      reduceVocabulary(words, loadThesaurus(), dictionaryEntries()));
  return new QueryVocabulary({
    words,
    docFreq: new Map(stats.rows.map((r) => [r.word, Number(r.ndoc)])),
    totalChunks,
    stems: await stem(synonymWords(synonyms)),
    reduced,
    synonyms,
  });
}

/** The reduced dictionaries ingest stored, read as text and parsed here: cheaper than PGlite parsing and cloning them. */
async function storedReduction(db: Queryable): Promise<ReducedVocabulary | undefined> {
  const { rows } = await db.query<{ value: string }>(
    "SELECT value::text AS value FROM index_meta WHERE key = $1",
    [META_KEY],
  );
  return rows[0] ? (JSON.parse(rows[0].value) as ReducedVocabulary) : undefined;
}

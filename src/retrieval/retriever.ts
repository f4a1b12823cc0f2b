import type { Database } from "../db/database.ts";
import { hasVectorColumn } from "../db/migrate.ts";
import { EMPTY_SYNONYMS, SYNONYMS_KEY, type SynonymSet } from "../knowledge/synonyms.ts";
import { expandCompounds } from "../text/compounds.ts";
import { loadThesaurus } from "../text/thesaurus.ts";
import { chooseSenses } from "./choose-senses.ts";
import { type Concept, conceptCoverage } from "./concepts.ts";
import { type Embedder, toVectorLiteral } from "./embedder.ts";
import { expandQuestion } from "./expand-question.ts";
import { countCooccurrences, type SensePair, stemWords } from "./index-lookups.ts";
import { markKeyConcept } from "./key-concept.ts";
import { Postings } from "./postings.ts";
import { QueryVocabulary, synonymWords } from "./query-vocabulary.ts";
import { type Row, searchSql, toPassage } from "./search-sql.ts";
import { buildTrace, type RetrievalTrace } from "./trace.ts";
import {
  dictionaryEntries,
  type EnglishEntries,
  META_KEY,
  type ReducedVocabulary,
  reduceVocabulary,
  type SenseSource,
} from "./vocabulary-reduction.ts";

/** One retrieved passage with what the composer needs about its document. */
export interface Passage {
  chunkId: number;
  docId: string;
  tenant: string | null;
  type: string;
  title: string;
  section: string;
  page: number | null;
  body: string;
  sources: { title: string; url: string }[];
  contactRoles: string[];
  nextSteps: { label: string; url: string }[];
  tags: string[];
  rrf: number;
  lexRank: number | null;
  vecRank: number | null;
  /** Cosine similarity of the question and the passage (0 when lexical-only). */
  similarity: number;
  /** Query lexemes found in this passage. */
  matched: string[];
}

export interface RetrievalResult {
  passages: Passage[];
  /** Lexemes searched: every alternative of every concept. */
  queryLexemes: string[];
  /**
   * Weight per query lexeme: its concept's weight (inverse document frequency, halved for non-nouns) times the
   * alternative's weight, so an expansion counts less than the user's own word. For sentence scoring.
   */
  idf: Map<string, number>;
  /** The question's concepts with their alternatives; coverage and confidence are computed on them. */
  concepts: Concept[];
  mode: "hybrid" | "lexical";
  /** Why these passages: concepts, alternatives, ranks and coverage of the top candidates. */
  trace: RetrievalTrace;
}

/** The dictionaries query expansion reads at refresh and query time; tests pass small fakes. */
export interface RetrieverOptions {
  thesaurus?: () => SenseSource;
  english?: EnglishEntries;
  /** Indexes of at most this many chunks have their postings read whole at refresh (default WHOLE_INDEX_CHUNKS). */
  wholeIndexChunks?: number;
}

/** Fused candidates reranked by coverage of the question's weighted concepts. */
const RERANK = 20;
/** Brings RRF (at most 2/61 ≈ 0.033) to the scale of coverage (0..1). */
const RRF_SCALE = 30;
/** A lexeme counts as common (left out of the match) above this share of chunks, but never below COMMON_MIN. */
const COMMON_SHARE = 0.025;
const COMMON_MIN = 500;
/** Corpus words stemmed per background statement: few, so that a question waits behind one batch at most. */
const PRESTEM_BATCH = 500;

/**
 * Hybrid search: German full-text (an OR query over the lexemes of every concept's alternatives) and vector
 * similarity, fused by reciprocal rank in one SQL query, filtered to the tenant plus shared guidance, then reranked
 * by weighted concept coverage. Without pgvector it runs the lexical half only.
 */
export class Retriever {
  private vocab = new QueryVocabulary({ words: [], docFreq: new Map(), totalChunks: 0 });
  private vector = false;
  private postings = new Postings();
  private warming: Promise<void> = Promise.resolve();

  private readonly db: Database;
  private readonly embedder: Embedder;
  private readonly options: RetrieverOptions;

  constructor(db: Database, embedder: Embedder, options: RetrieverOptions = {}) {
    this.db = db;
    this.embedder = embedder;
    this.options = options;
  }

  get mode(): "hybrid" | "lexical" {
    return this.vector ? "hybrid" : "lexical";
  }

  /**
   * Loads the corpus vocabulary, lexeme statistics, synonyms and the reduced dictionaries that ingest stored; after
   * every ingest. An index written before ingest stored them gets them reduced here (slower, once per refresh).
   */
  async refresh(): Promise<void> {
    this.vector = await hasVectorColumn(this.db);
    const vocab = await this.db.query<{ w: string }>(
      "SELECT DISTINCT unnest(vocabulary) AS w FROM documents",
    );
    const total = await this.db.query<{ n: number | string }>("SELECT count(*) AS n FROM chunks");
    const totalChunks = Number(total.rows[0]?.n ?? 0);
    // lexeme_stats is what ingest wrote from ts_stat; reading it is much cheaper than running ts_stat again.
    let stats = await this.db.query<{ word: string; ndoc: number }>(
      "SELECT lexeme AS word, ndoc FROM lexeme_stats",
    );
    if (stats.rows.length === 0 && totalChunks > 0)
      stats = await this.db.query("SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks')");
    const meta = await this.db.query<{ key: string; value: unknown }>(
      "SELECT key, value FROM index_meta WHERE key = ANY($1)",
      [[SYNONYMS_KEY, META_KEY]],
    );
    const synonyms =
      (meta.rows.find((r) => r.key === SYNONYMS_KEY)?.value as SynonymSet | undefined) ?? EMPTY_SYNONYMS;
    const words = vocab.rows.map((r) => r.w);
    // Swapped in with the vocabulary, so a search during refresh sees the old or the new index, never a mixture.
    const postings = new Postings();
    // Dictionaries given to the constructor (tests) replace what ingest stored.
    const given = this.options.thesaurus !== undefined || this.options.english !== undefined;
    const stored = given
      ? undefined
      : (meta.rows.find((r) => r.key === META_KEY)?.value as ReducedVocabulary | undefined);
    const reduced =
      stored ??
      reduceVocabulary(
        words,
        (this.options.thesaurus ?? loadThesaurus)(),
        this.options.english ?? (given ? undefined : dictionaryEntries()),
      );
    this.vocab = new QueryVocabulary({
      words,
      docFreq: new Map(stats.rows.map((r) => [r.word, Number(r.ndoc)])),
      totalChunks,
      stems: await this.stem(synonymWords(synonyms)),
      reduced,
      synonyms,
    });
    this.postings = postings;
    // Not awaited: the server is ready without them; meanwhile questions stem their own words and fetch postings.
    this.warming = Promise.all([
      postings.load(this.db, totalChunks, this.options.wholeIndexChunks).catch(() => {}),
      this.prestem(this.vocab, words),
    ]).then(() => {});
  }

  /** Resolves when what refresh started in the background is done: postings of a small index, corpus stems. */
  warm(): Promise<void> {
    return this.warming;
  }

  /**
   * Stems the corpus words in the background, a batch per statement, so that a question made of corpus words needs
   * no stemming round trip of its own and neither do its expansions (which are corpus words).
   */
  private async prestem(vocab: QueryVocabulary, words: readonly string[]): Promise<void> {
    try {
      for (let i = 0; i < words.length && this.vocab === vocab; i += PRESTEM_BATCH) {
        const batch = words.slice(i, i + PRESTEM_BATCH).filter((w) => !vocab.stemOf(w));
        if (batch.length > 0) for (const [w, l] of await this.stem(batch)) vocab.rememberStem(w, l);
      }
    } catch {
      // A database closed meanwhile: nothing is lost, questions stem their words themselves.
    }
  }

  /** The question as the index sees it: folded umlauts plus compound parts (the index side of expansion). */
  queryText(question: string): string {
    return expandCompounds(question, this.vocab.lexicon, { question: true });
  }

  /** The question's concepts with their chosen alternatives, without searching passages. */
  async concepts(question: string, tenant: string): Promise<Concept[]> {
    const postings = this.postings;
    const concepts = await expandQuestion(question, tenant, this.vocab, (ws) => this.stem(ws, postings));
    await chooseSenses(
      concepts,
      (l) => this.vocab.df(l),
      (l) => this.vocab.df(l) > this.commonCutoff(),
      (pairs) => this.cooccurrences(pairs, tenant, postings),
    );
    markKeyConcept(concepts);
    return concepts;
  }

  async search(question: string, tenant: string, limit = 8): Promise<RetrievalResult> {
    const [concepts, embedding] = await Promise.all([
      this.concepts(question, tenant),
      this.vector ? this.embedder.embed([question]) : Promise.resolve(undefined),
    ]);
    const lexemes = [...new Set(concepts.flatMap((c) => c.alternatives.flatMap((a) => a.lexemes)))];
    const params: unknown[] = [
      lexemes,
      tenant,
      Math.max(limit, RERANK),
      this.commonCutoff(),
      ...(embedding ? [toVectorLiteral(embedding[0] ?? [])] : []),
    ];
    const { rows } = await this.db.query<Row>(searchSql(this.vector, this.embedder.dim), params);
    const idf = new Map<string, number>();
    for (const c of concepts)
      for (const a of c.alternatives)
        for (const l of a.lexemes) idf.set(l, Math.max(idf.get(l) ?? 0, c.weight * a.weight));
    const passages: Passage[] = rows.map(toPassage);
    const coverageOf = (p: Passage) => conceptCoverage(concepts, new Set(p.matched));
    // Rank fusion rewards frequent words; reranking by weighted concept coverage brings the passage that covers the
    // rare concepts of the question to the top.
    const reranked = passages
      .map((p, i) => ({ p, i, score: coverageOf(p) + RRF_SCALE * p.rrf }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, limit)
      .map((x) => x.p);
    return {
      passages: reranked,
      queryLexemes: lexemes,
      idf,
      concepts,
      mode: this.mode,
      trace: buildTrace(question, tenant, this.mode, concepts, reranked, coverageOf),
    };
  }

  /** The retrieval trace of one question (what `--explain` prints). */
  async explain(question: string, tenant: string): Promise<RetrievalTrace> {
    return (await this.search(question, tenant)).trace;
  }

  private commonCutoff(): number {
    return Math.max(COMMON_MIN, Math.round(COMMON_SHARE * this.vocab.totalChunks));
  }

  private stem(words: string[], postings?: Postings): Promise<Map<string, string[]>> {
    return stemWords(this.db, words, postings, this.commonCutoff());
  }

  private cooccurrences(pairs: SensePair[], tenant: string, postings: Postings): Promise<number[]> {
    const cutoff = this.commonCutoff();
    return countCooccurrences(this.db, pairs, tenant, postings, (l) => this.vocab.df(l) > cutoff);
  }
}

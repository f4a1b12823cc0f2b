import type { Database } from "../db/database.ts";
import { hasVectorColumn } from "../db/migrate.ts";
import { expandCompounds } from "../text/compounds.ts";
import { loadThesaurus } from "../text/thesaurus.ts";
import { chooseSenses } from "./choose-senses.ts";
import { type Concept, conceptCoverage } from "./concepts.ts";
import { type Embedder, toVectorLiteral } from "./embedder.ts";
import { expandQuestion } from "./expand-question.ts";
import { countCooccurrences, type SensePair, stemWords } from "./index-lookups.ts";
import { markKeyConcept } from "./key-concept.ts";
import { Postings } from "./postings.ts";
import { loadQueryVocabulary, QueryVocabulary } from "./query-vocabulary.ts";
import { type Row, searchSql, toPassage } from "./search-sql.ts";
import { buildTrace, type RetrievalTrace } from "./trace.ts";
import { type EnglishEntries, reduceVocabulary, type SenseSource } from "./vocabulary-reduction.ts";

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
  /** The vocabulary refresh is loading; questions wait for it. */
  private loading: Promise<void> = Promise.resolve();
  private generation = 0;

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
   * Reads what query expansion needs from the index (loadQueryVocabulary): after every ingest. Resolves once the mode
   * is known; the rest loads in the background, so a server is ready meanwhile, and questions wait for it.
   */
  async refresh(): Promise<void> {
    this.vector = await hasVectorColumn(this.db);
    const generation = ++this.generation;
    this.loading = this.load(generation);
    // A failure surfaces in the questions that wait for the load (and in warm()).
    this.loading.catch(() => undefined);
  }

  private async load(generation: number): Promise<void> {
    // Dictionaries given to the constructor (tests) replace what ingest stored.
    const given = this.options.thesaurus !== undefined || this.options.english !== undefined;
    const vocab = await loadQueryVocabulary(
      this.db,
      (words) => this.stem(words),
      given
        ? (words) =>
            reduceVocabulary(words, (this.options.thesaurus ?? loadThesaurus)(), this.options.english)
        : undefined,
    );
    if (generation !== this.generation) return; // a later refresh replaces this one
    // Swapped in with the vocabulary, so a search during refresh sees the old or the new index, never a mixture.
    const postings = new Postings();
    this.vocab = vocab;
    this.postings = postings;
    // Not awaited: questions stem their own words and fetch postings until these are done.
    this.warming = Promise.all([
      postings.load(this.db, vocab.totalChunks, this.options.wholeIndexChunks).catch(() => {}),
      this.prestem(vocab, vocab.words),
    ]).then(() => {});
  }

  /** Resolves when the vocabulary refresh started is loaded (questions wait for that, not for warm()). */
  loaded(): Promise<void> {
    return this.loading;
  }

  /** Resolves when what refresh started in the background is done: the vocabulary, postings of a small index, stems. */
  warm(): Promise<void> {
    return this.loading.then(() => this.warming);
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
  async queryText(question: string): Promise<string> {
    await this.loading;
    return expandCompounds(question, this.vocab.lexicon, { question: true });
  }

  /** The question's concepts with their chosen alternatives, without searching passages. */
  async concepts(question: string, tenant: string): Promise<Concept[]> {
    await this.loading;
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
    await this.loading;
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

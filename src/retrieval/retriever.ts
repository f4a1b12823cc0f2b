import type { Database } from "../db/database.ts";
import { hasVectorColumn } from "../db/migrate.ts";
import { expandCompounds, Lexicon } from "../text/compounds.ts";
import { nouns } from "../text/normalize.ts";
import { type Embedder, toVectorLiteral } from "./embedder.ts";
import { type Row, searchSql } from "./search-sql.ts";

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
  /** Stemmed lexemes of the question (after compound splitting). */
  queryLexemes: string[];
  /**
   * Weight per query lexeme: inverse document frequency, halved for words that are not nouns in the question.
   * Coverage of these weights drives reranking and confidence.
   */
  idf: Map<string, number>;
  mode: "hybrid" | "lexical";
}

/** Fused candidates reranked by coverage of the question's weighted words. */
const RERANK = 20;
/** Brings RRF (at most 2/61 ≈ 0.033) to the scale of coverage (0..1). */
const RRF_SCALE = 30;
/** A lexeme counts as common (left out of the match) above this share of chunks, but never below COMMON_MIN. */
const COMMON_SHARE = 0.025;
const COMMON_MIN = 500;
/** Weight of a word that is not a noun in the question. */
const NON_NOUN_WEIGHT = 0.5;

/**
 * Hybrid search: German full-text (an OR query over stems, compounds split against the corpus vocabulary) and
 * vector similarity, fused by reciprocal rank in one SQL query, filtered to the tenant plus shared guidance.
 * Without pgvector it runs the lexical half only.
 */
export class Retriever {
  private lexicon = new Lexicon();
  private docFreq = new Map<string, number>();
  private totalChunks = 0;
  private vector = false;

  private readonly db: Database;
  private readonly embedder: Embedder;

  constructor(db: Database, embedder: Embedder) {
    this.db = db;
    this.embedder = embedder;
  }

  get mode(): "hybrid" | "lexical" {
    return this.vector ? "hybrid" : "lexical";
  }

  /** Loads the corpus vocabulary and lexeme statistics; call after every ingest. */
  async refresh(): Promise<void> {
    this.vector = await hasVectorColumn(this.db);
    const vocab = await this.db.query<{ w: string }>(
      "SELECT DISTINCT unnest(vocabulary) AS w FROM documents",
    );
    this.lexicon = new Lexicon(vocab.rows.map((r) => r.w));
    const stats = await this.db.query<{ word: string; ndoc: number }>(
      "SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks')",
    );
    this.docFreq = new Map(stats.rows.map((r) => [r.word, Number(r.ndoc)]));
    const total = await this.db.query<{ n: number | string }>("SELECT count(*) AS n FROM chunks");
    this.totalChunks = Number(total.rows[0]?.n ?? 0);
  }

  /** The question as the index sees it: folded umlauts plus compound parts. */
  queryText(question: string): string {
    return expandCompounds(question, this.lexicon, { question: true });
  }

  async search(question: string, tenant: string, limit = 8): Promise<RetrievalResult> {
    const text = this.queryText(question);
    const vector = this.vector ? toVectorLiteral((await this.embedder.embed([question]))[0] ?? []) : null;
    const commonCutoff = Math.max(COMMON_MIN, Math.round(COMMON_SHARE * this.totalChunks));
    const params: unknown[] = [
      text,
      tenant,
      Math.max(limit, RERANK),
      commonCutoff,
      ...(vector ? [vector] : []),
    ];
    const { rows } = await this.db.query<Row>(searchSql(this.vector, this.embedder.dim), params);
    const queryLexemes = rows[0]?.query_lexemes ?? (await this.lexemes(text));
    const idf = new Map<string, number>();
    const n = Math.max(this.totalChunks, 1);
    const questionNouns = nouns(question);
    for (const l of queryLexemes) {
      const noun = questionNouns.some((w) => w.startsWith(l) || (l.length >= 5 && w.includes(l)));
      const anyNoun = questionNouns.length > 0;
      idf.set(
        l,
        Math.log(1 + n / ((this.docFreq.get(l) ?? 0) + 0.5)) * (noun || !anyNoun ? 1 : NON_NOUN_WEIGHT),
      );
    }
    const passages: Passage[] = rows.map((r) => ({
      chunkId: Number(r.chunk_id),
      docId: r.doc_id,
      tenant: r.tenant,
      type: r.type,
      title: r.title,
      section: r.section,
      page: r.page,
      body: r.body,
      sources: r.sources,
      contactRoles: r.contact_roles,
      nextSteps: r.next_steps,
      tags: r.tags,
      rrf: Number(r.rrf),
      lexRank: r.lex_rank === null ? null : Number(r.lex_rank),
      vecRank: r.vec_rank === null ? null : Number(r.vec_rank),
      similarity: Number(r.similarity),
      matched: r.matched,
    }));
    const coverageOf = (p: Passage) => {
      let total = 0;
      let hit = 0;
      for (const [l, w] of idf) {
        total += w;
        if (p.matched.includes(l)) hit += w;
      }
      return total > 0 ? hit / total : 0;
    };
    // Rank fusion rewards frequent words; reranking by weighted coverage brings the passage that covers the rare
    // words of the question to the top.
    const reranked = passages
      .map((p, i) => ({ p, i, score: coverageOf(p) + RRF_SCALE * p.rrf }))
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, limit)
      .map((x) => x.p);
    return { passages: reranked, queryLexemes, idf, mode: this.mode };
  }

  private async lexemes(text: string): Promise<string[]> {
    const r = await this.db.query<{ l: string }>(
      "SELECT unnest(tsvector_to_array(to_tsvector('german', $1))) AS l",
      [text],
    );
    return r.rows.map((x) => x.l);
  }
}

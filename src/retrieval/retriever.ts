import type { Database } from "../db/database.ts";
import { hasVectorColumn } from "../db/migrate.ts";
import { expandCompounds, Lexicon } from "../text/compounds.ts";
import { nouns } from "../text/normalize.ts";
import { type Embedder, toVectorLiteral } from "./embedder.ts";

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

/** Reciprocal rank fusion constant (as in the original paper). */
const RRF_K = 60;
/** Candidates taken from each ranking before fusion. */
const CANDIDATES = 40;
/** Fused candidates reranked by coverage of the question's weighted words. */
const RERANK = 20;
/** Brings RRF (at most 2/61 ≈ 0.033) to the scale of coverage (0..1). */
const RRF_SCALE = 30;
/** A lexeme counts as common (left out of the match) above this share of chunks, but never below COMMON_MIN. */
const COMMON_SHARE = 0.025;
const COMMON_MIN = 500;
/** Bound on the chunks whose rank is computed, for questions made only of common words. */
const MAX_RANKED = 2000;
/** Weight of a word that is not a noun in the question. */
const NON_NOUN_WEIGHT = 0.5;

// $4: lexemes in more chunks than this are left out of the match; when every lexeme of the question is that common,
// only the rarest one matches. They all still count for coverage. Ranking every chunk that contains "Kommune" is what
// makes full-text search slow at scale, and such words say little about which chunk answers.
const lexicalCte = `
qall AS (
  SELECT l, coalesce(s.ndoc, 0) AS ndoc, row_number() OVER (ORDER BY coalesce(s.ndoc, 0), l) AS rarity
  FROM unnest(tsvector_to_array(to_tsvector('german', $1))) AS l
  LEFT JOIN lexeme_stats s ON s.lexeme = l
),
q AS (
  SELECT coalesce(array_agg(l), '{}') AS lx,
         to_tsquery('simple', coalesce(string_agg(quote_literal(l), ' | ')
           FILTER (WHERE ndoc <= $4 OR (rarity = 1 AND NOT EXISTS (SELECT 1 FROM qall WHERE ndoc <= $4))), '')) AS tsq
  FROM qall
),
matches AS (
  SELECT c.chunk_id, c.tsv FROM chunks c, q
  WHERE c.tsv @@ q.tsq AND coalesce(c.tenant, $2) = $2 -- written so that the planner uses the full-text index
  LIMIT ${MAX_RANKED}
),
lex AS (
  SELECT m.chunk_id, row_number() OVER (ORDER BY ts_rank_cd(m.tsv, q.tsq, 1) DESC, m.chunk_id) AS r
  FROM matches m, q
  ORDER BY ts_rank_cd(m.tsv, q.tsq, 1) DESC, m.chunk_id
  LIMIT ${CANDIDATES}
)`;

const vectorCte = (dim: number) => {
  const distance = `c.embedding::vector(${dim}) <=> $5::vector(${dim})`;
  return `,
vec AS (
  SELECT c.chunk_id, row_number() OVER (ORDER BY ${distance}, c.chunk_id) AS r, 1 - (${distance}) AS sim
  FROM chunks c
  WHERE (c.tenant IS NULL OR c.tenant = $2) AND vector_dims(c.embedding) = ${dim}
  ORDER BY ${distance}
  LIMIT ${CANDIDATES}
)`;
};

function searchSql(vector: boolean, dim: number): string {
  const ids = vector ? "SELECT chunk_id FROM lex UNION SELECT chunk_id FROM vec" : "SELECT chunk_id FROM lex";
  const vecCols = vector
    ? "vec.r AS vec_rank, coalesce(vec.sim, 0) AS similarity,"
    : "NULL::bigint AS vec_rank, 0 AS similarity,";
  const vecJoin = vector ? "LEFT JOIN vec ON vec.chunk_id = c.chunk_id" : "";
  const vecScore = vector ? `+ coalesce(1.0 / (${RRF_K} + vec.r), 0)` : "";
  return `WITH ${lexicalCte}${vector ? vectorCte(dim) : ""}
SELECT c.chunk_id, c.doc_id, c.tenant, d.type, d.title, c.section, c.page, c.body, d.sources, d.contact_roles,
       d.next_steps, d.tags, lex.r AS lex_rank, ${vecCols}
       coalesce(1.0 / (${RRF_K} + lex.r), 0) ${vecScore} AS rrf,
       ARRAY(SELECT unnest(tsvector_to_array(c.tsv)) INTERSECT SELECT unnest(q.lx)) AS matched,
       q.lx AS query_lexemes
FROM (${ids}) ids
JOIN chunks c ON c.chunk_id = ids.chunk_id
JOIN documents d ON d.doc_id = c.doc_id
CROSS JOIN q
LEFT JOIN lex ON lex.chunk_id = c.chunk_id
${vecJoin}
ORDER BY rrf DESC, c.chunk_id
LIMIT $3`;
}

type Row = {
  chunk_id: number | string;
  doc_id: string;
  tenant: string | null;
  type: string;
  title: string;
  section: string;
  page: number | null;
  body: string;
  sources: Passage["sources"];
  contact_roles: string[];
  next_steps: Passage["nextSteps"];
  tags: string[];
  lex_rank: number | string | null;
  vec_rank: number | string | null;
  similarity: number | string;
  rrf: number | string;
  matched: string[];
  query_lexemes: string[];
};

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

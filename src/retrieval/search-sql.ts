import type { Passage } from "./retriever.ts";

/** The hybrid search query: full-text and vector rankings fused by reciprocal rank, in one statement. */

/** Reciprocal rank fusion constant (as in the original paper). */
const RRF_K = 60;
/** Candidates taken from each ranking before fusion. */
const CANDIDATES = 40;
/**
 * Bound on the chunks whose rank is computed, for questions made only of common words: ranking costs a read of each
 * chunk's tsvector, and beyond a few hundred arbitrary matches more ranking buys nothing (vector similarity still
 * searches the whole index).
 */
const MAX_RANKED = 500;

// $1: the lexemes of every alternative of the question's concepts (stemmed by retrieval beforehand).
// $4: lexemes in more chunks than this are left out of the match; when every lexeme of the question is that common,
// only the rarest one matches. They all still count for coverage. Ranking every chunk that contains "Kommune" is what
// makes full-text search slow at scale, and such words say little about which chunk answers.
const lexicalCte = `
ql AS (
  SELECT $1::text[] AS lx
),
-- = ANY keeps the statistics lookup on the primary key; a join on unnest lets the planner scan the whole table.
qstats AS (
  SELECT s.lexeme, s.ndoc FROM lexeme_stats s, ql WHERE s.lexeme = ANY (ql.lx)
),
qall AS (
  SELECT l, coalesce(s.ndoc, 0) AS ndoc, row_number() OVER (ORDER BY coalesce(s.ndoc, 0), l) AS rarity
  FROM ql, unnest(ql.lx) AS l
  LEFT JOIN qstats s ON s.lexeme = l
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

export function searchSql(vector: boolean, dim: number): string {
  // One row per candidate with both ranks, aggregated rather than joined: the planner cannot estimate CTE sizes and
  // would compare every candidate with every rank row.
  const ranks = vector
    ? `SELECT chunk_id, r AS lex_r, NULL::bigint AS vec_r, NULL::float8 AS sim FROM lex
       UNION ALL SELECT chunk_id, NULL, r, sim FROM vec`
    : "SELECT chunk_id, r AS lex_r, NULL::bigint AS vec_r, NULL::float8 AS sim FROM lex";
  return `WITH ${lexicalCte}${vector ? vectorCte(dim) : ""},
fused AS (
  SELECT chunk_id, min(lex_r) AS lex_r, min(vec_r) AS vec_r, coalesce(max(sim), 0) AS sim,
         coalesce(1.0 / (${RRF_K} + min(lex_r)), 0) + coalesce(1.0 / (${RRF_K} + min(vec_r)), 0) AS rrf
  FROM (${ranks}) ranks
  GROUP BY chunk_id
  ORDER BY rrf DESC, chunk_id
  LIMIT $3
)
SELECT c.chunk_id, c.doc_id, c.tenant, d.type, d.title, c.section, c.page, c.body, d.sources, d.contact_roles,
       d.next_steps, d.tags, d.as_of, f.lex_r AS lex_rank, f.vec_r AS vec_rank, f.sim AS similarity, f.rrf,
       ARRAY(SELECT unnest(tsvector_to_array(c.tsv)) INTERSECT SELECT unnest(q.lx)) AS matched,
       q.lx AS query_lexemes
FROM fused f
JOIN chunks c ON c.chunk_id = f.chunk_id
JOIN documents d ON d.doc_id = c.doc_id
CROSS JOIN q
ORDER BY f.rrf DESC, c.chunk_id`;
}

/** Lexemes of each word ($1, text[]) by the index's stemmer, as the chunks' tsvector holds them. */
export const stemSql =
  "SELECT w, tsvector_to_array(to_tsvector('german', w)) AS l FROM unnest($1::text[]) AS w";

/**
 * Co-occurrence counts for sense choice where a sense's lexemes are too common to keep their postings: per tsquery
 * text in $1, the chunks of tenant $2 or shared guidance that match it, counted up to a bound (the GIN index answers
 * each; beyond the bound more says nothing).
 */
export const cooccurrenceSql = `
SELECT g.i, (SELECT count(*) FROM (
    SELECT 1 FROM chunks c WHERE c.tsv @@ to_tsquery('simple', g.q) AND coalesce(c.tenant, $2) = $2 LIMIT 200
  ) hits) AS n
FROM unnest($1::text[]) WITH ORDINALITY AS g(q, i)`;

/** A tsquery text for "any of group and any of context", lexemes quoted for to_tsquery('simple', …). */
export function cooccurrenceQuery(group: readonly string[], context: readonly string[]): string {
  const q = (ls: readonly string[]) => ls.map((l) => `'${l.replace(/'/g, "''")}'`).join(" | ");
  return `(${q(group)}) & (${q(context)})`;
}

export type Row = {
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
  /** null in an index written before migration 007 or for a document without as_of. */
  as_of?: string | null;
  lex_rank: number | string | null;
  vec_rank: number | string | null;
  similarity: number | string;
  rrf: number | string;
  matched: string[];
  query_lexemes: string[];
};

/** A passage with the document's `as_of`, until Passage (retriever.ts) carries it itself. */
export type PassageWithAsOf = Passage & { asOf?: string };

/** A row of the search query as the composer's passage. */
export function toPassage(r: Row): PassageWithAsOf {
  return {
    ...(r.as_of ? { asOf: r.as_of } : {}),
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
  };
}

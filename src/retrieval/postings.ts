import type { Queryable } from "../db/database.ts";

/**
 * Chunk ids per lexeme, so that sense choice counts co-occurrences in memory instead of asking the database for each
 * question. Lists do not depend on the question, only on the index: they are kept per process until the next refresh.
 * A small index is read whole at refresh; a large one fills the cache lexeme by lexeme (the full-text index answers
 * each), bounded so that odd questions cannot grow memory.
 */

/** Co-occurrences are counted up to this bound: beyond it, more says nothing about a sense. */
export const COOCCURRENCE_BOUND = 200;
/** Indexes of at most this many chunks are read whole at refresh (one scan, no per-lexeme lookups later). */
export const WHOLE_INDEX_CHUNKS = 2000;
/** Chunk ids kept in the cache of a large index; beyond it the cache starts over. */
const MAX_IDS = 2_000_000;

/**
 * A lexeme as the question's tsquery sees it: `to_tsquery('simple', quoted lexeme)` is that one lexeme only for a
 * single token of lower-case letters and digits. Other lexemes (hyphens, dots) are looked up in SQL, the way the
 * co-occurrence query always matched them.
 */
const PLAIN_LEXEME = /^[\p{Ll}\p{N}]+$/u;

/** A tsquery text for one lexeme, quoted in SQL as for to_tsquery('simple', …). */
const quotedSql = (col: string) => `'''' || replace(${col}, '''', '''''') || ''''`;

/** The postings of lexemes $1 (text[]): chunk ids and their tenants, by the full-text index. */
export const postingsSql = `
SELECT x AS lexeme, coalesce(array_agg(c.chunk_id::float8) FILTER (WHERE c.chunk_id IS NOT NULL), '{}') AS ids,
       coalesce(array_agg(c.tenant) FILTER (WHERE c.chunk_id IS NOT NULL), '{}') AS tenants
FROM unnest($1::text[]) AS x
LEFT JOIN LATERAL (
  SELECT c.chunk_id, c.tenant FROM chunks c WHERE c.tsv @@ to_tsquery('simple', ${quotedSql("x")})
) c ON true
GROUP BY x`;

/**
 * Lexemes of words $1 (text[]) by the index's stemmer, and in the same round trip the postings of those of their
 * lexemes that the index holds in at most $2 chunks (lexeme_stats): rows with `w` are stems, rows with `lexeme`
 * postings. Common lexemes are left to a later fetch: they are rarely needed and their lists are long.
 */
export const stemAndPostingsSql = `
WITH w AS (
  SELECT w, tsvector_to_array(to_tsvector('german', w)) AS l FROM unnest($1::text[]) AS w
),
lx AS (
  SELECT s.lexeme AS x FROM lexeme_stats s
  WHERE s.lexeme = ANY (ARRAY(SELECT unnest(l) FROM w)) AND s.ndoc <= $2
)
SELECT w, l, NULL::text AS lexeme, NULL::float8[] AS ids, NULL::text[] AS tenants FROM w
UNION ALL
SELECT NULL, NULL, lexeme, ids, tenants FROM (${postingsSql.replace("unnest($1::text[]) AS x", "lx")}) p`;

type PostingRow = { lexeme: string; ids: (number | string)[]; tenants: (string | null)[] };

/** Per-process postings of the index, filled at refresh (small index) or on demand. */
export class Postings {
  private lists = new Map<string, number[]>();
  /** Tenant of each chunk seen (null: shared guidance). */
  private tenantOf = new Map<number, string | null>();
  private whole = false;
  private ids = 0;

  /**
   * Reads the whole index when it is small (until then, and for a large index, lists are fetched on demand). Safe to
   * run beside searches: the whole lists replace the fetched ones at once, and hold everything they held.
   */
  async load(db: Queryable, totalChunks: number, wholeUpTo = WHOLE_INDEX_CHUNKS): Promise<void> {
    if (totalChunks === 0 || totalChunks > wholeUpTo) return;
    const { rows } = await db.query<{ id: number | string; tenant: string | null; l: string[] }>(
      "SELECT chunk_id::float8 AS id, tenant, tsvector_to_array(tsv) AS l FROM chunks",
    );
    const lists = new Map<string, number[]>();
    const tenantOf = new Map<number, string | null>();
    for (const r of rows) {
      const id = Number(r.id);
      tenantOf.set(id, r.tenant);
      for (const l of r.l) {
        const list = lists.get(l);
        if (list) list.push(id);
        else lists.set(l, [id]);
      }
    }
    this.lists = lists;
    this.tenantOf = tenantOf;
    this.ids = 0;
    this.whole = true;
  }

  /** Whether the postings of a lexeme are at hand (a lexeme the index lacks counts as known: no chunk). */
  has(lexeme: string): boolean {
    return this.lists.has(lexeme) || (this.whole && PLAIN_LEXEME.test(lexeme));
  }

  /** Lexemes whose postings must be fetched before counting. */
  missing(lexemes: Iterable<string>): string[] {
    return [...new Set(lexemes)].filter((l) => !this.has(l));
  }

  /** Whether the whole index was read at refresh (no lookups needed for plain lexemes). */
  get complete(): boolean {
    return this.whole;
  }

  /** Stores rows of postingsSql or stemAndPostingsSql. */
  remember(rows: Iterable<PostingRow>): void {
    for (const r of rows) {
      const ids = r.ids.map(Number);
      for (const [i, id] of ids.entries()) this.tenantOf.set(id, r.tenants[i] ?? null);
      this.lists.set(r.lexeme, ids);
      this.ids += ids.length;
    }
  }

  /** Fetches the postings of the lexemes not at hand, in one round trip (none when all are). */
  async fetch(db: Queryable, lexemes: Iterable<string>): Promise<void> {
    // Starting over here, before the lookup, keeps every list the caller is about to count with.
    if (!this.whole && this.ids > MAX_IDS) {
      this.lists.clear();
      this.tenantOf.clear();
      this.ids = 0;
    }
    const needed = this.missing(lexemes);
    if (needed.length === 0) return;
    const { rows } = await db.query<PostingRow>(postingsSql, [needed]);
    this.remember(rows);
  }

  /**
   * Chunks of the tenant or shared guidance that contain any lexeme of `group` and any of `context`, counted up to
   * COOCCURRENCE_BOUND: what `c.tsv @@ (group) & (context)` counts in SQL. Postings must be at hand (fetch first).
   */
  count(tenant: string, group: readonly string[], context: readonly string[]): number {
    const visible = (id: number) => {
      const t = this.tenantOf.get(id);
      return t === null || t === undefined || t === tenant;
    };
    const inContext = new Set<number>();
    for (const l of context) for (const id of this.lists.get(l) ?? []) if (visible(id)) inContext.add(id);
    if (inContext.size === 0) return 0;
    const hits = new Set<number>();
    for (const l of group)
      for (const id of this.lists.get(l) ?? [])
        if (inContext.has(id)) {
          hits.add(id);
          if (hits.size >= COOCCURRENCE_BOUND) return COOCCURRENCE_BOUND;
        }
    return hits.size;
  }
}

import type { Queryable } from "../db/database.ts";
import { type Postings, stemAndPostingsSql } from "./postings.ts";
import { cooccurrenceQuery, cooccurrenceSql, stemSql } from "./search-sql.ts";

/** The database lookups of query expansion besides the search itself: stems and co-occurrence counts. */

/** A sense's lexemes and the lexemes of the rest of the question, whose co-occurrence sense choice counts. */
export type SensePair = { group: string[]; context: string[] };

/**
 * Co-occurrence counts for sense choice, in memory from the postings (usually no round trip: the stems' round trip
 * brought them along, or the index was read whole). A pair with a common lexeme whose postings are not at hand is
 * counted in SQL instead: its list would cost more to fetch than the bounded count.
 */
export async function countCooccurrences(
  db: Queryable,
  pairs: SensePair[],
  tenant: string,
  postings: Postings,
  common: (lexeme: string) => boolean,
): Promise<number[]> {
  const live = pairs.filter((p) => p.group.length > 0 && p.context.length > 0);
  const inSql = live.filter((p) => [...p.group, ...p.context].some((l) => common(l) && !postings.has(l)));
  const inMemory = live.filter((p) => !inSql.includes(p));
  await postings.fetch(
    db,
    inMemory.flatMap((p) => [...p.group, ...p.context]),
  );
  const counted = new Map<SensePair, number>();
  for (const p of inMemory) counted.set(p, postings.count(tenant, p.group, p.context));
  if (inSql.length > 0) {
    const { rows } = await db.query<{ i: number | string; n: number | string }>(cooccurrenceSql, [
      inSql.map((p) => cooccurrenceQuery(p.group, p.context)),
      tenant,
    ]);
    for (const r of rows) counted.set(inSql[Number(r.i) - 1] as SensePair, Number(r.n));
  }
  return pairs.map((p) => counted.get(p) ?? 0);
}

/**
 * Lexemes of each word by the index's own stemmer (PostgreSQL 'german'), in one round trip. Given the postings of
 * a large index, the same round trip fetches the postings of the words' lexemes that are not common (sense choice
 * counts with them), so choosing senses needs no query of its own.
 */
export async function stemWords(
  db: Queryable,
  words: string[],
  postings: Postings | undefined,
  commonCutoff: number,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (words.length === 0) return out;
  if (!postings || postings.complete) {
    const { rows } = await db.query<{ w: string; l: string[] }>(stemSql, [words]);
    for (const r of rows) out.set(r.w, r.l);
    return out;
  }
  const { rows } = await db.query<{
    w: string | null;
    l: string[] | null;
    lexeme: string | null;
    ids: (number | string)[] | null;
    tenants: (string | null)[] | null;
  }>(stemAndPostingsSql, [words, commonCutoff]);
  const found: { lexeme: string; ids: (number | string)[]; tenants: (string | null)[] }[] = [];
  for (const r of rows)
    if (r.w !== null) out.set(r.w, r.l ?? []);
    else if (r.lexeme !== null && !postings.has(r.lexeme))
      found.push({ lexeme: r.lexeme, ids: r.ids ?? [], tenants: r.tenants ?? [] });
  postings.remember(found);
  return out;
}

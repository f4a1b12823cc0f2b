/** Runs SQL with positional parameters ($1, $2, …). */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** The database port: PGlite in-process or a PostgreSQL server, same SQL on both. */
export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Runs fn in one transaction; it is rolled back when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `q` running one statement at a time, in the order they were sent, so that callers may send the next before the
 * previous one is done (the ingest transaction writes while it reduces the dictionaries): a pg client warns about a
 * query sent while another one runs. A failed statement does not hold up the next one.
 */
export function oneAtATime(q: Queryable): Queryable {
  let last: Promise<unknown> = Promise.resolve();
  return {
    query: <T>(sql: string, params?: unknown[]) => {
      const run = last.then(() => q.query<T>(sql, params));
      last = run.catch(() => undefined);
      return run;
    },
  };
}

import pg from "pg";
import { LotseError } from "../errors.ts";
import { redactUrl } from "../log.ts";
import type { Database, Queryable } from "./database.ts";

/** Same HNSW search width as the embedded database; a placeholder setting where pgvector is not installed. */
const SEARCH_WIDTH = "-c hnsw.ef_search=100";

/**
 * The connection string with SEARCH_WIDTH added to its libpq `options`, keeping options already there (e.g.
 * `-c search_path=…`) and a width the operator set. Sent in the startup packet: a `SET` from the pool's "connect"
 * event would run while pg issues the first query on the same client (pg's concurrent-query DeprecationWarning).
 */
export function sessionSettings(url: string): { connectionString: string; options?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL ("/var/run/postgresql dbname"): pg reads no options from it, so a parameter is not overridden.
    return { connectionString: url, options: SEARCH_WIDTH };
  }
  const existing = u.searchParams.get("options") ?? "";
  if (existing.includes("hnsw.ef_search")) return { connectionString: url };
  // pg lets the connection string's options win over a parameter, so they are merged here.
  u.searchParams.set("options", `${existing} ${SEARCH_WIDTH}`.trim());
  return { connectionString: u.toString() };
}

/** A PostgreSQL server through DATABASE_URL; fails fast with a clear message when it is unreachable. */
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ ...sessionSettings(url), max: 10, connectionTimeoutMillis: 5000 });
  pool.on("error", () => undefined); // idle-client errors surface on the next query instead of crashing
  try {
    const c = await pool.connect();
    c.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new LotseError(
      "DB_UNREACHABLE",
      `PostgreSQL unter DATABASE_URL (${redactUrl(url)}) ist nicht erreichbar: ${(cause as Error).message}. ` +
        "Prüfen Sie DATABASE_URL oder lassen Sie die Variable leer, um die eingebettete Datenbank zu nutzen.",
      { cause },
    );
  }
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params: unknown[] = []) => {
      const r = await q.query(sql, params);
      return { rows: r.rows as T[] };
    },
  });
  return {
    kind: "postgres",
    query: (sql, params) => wrap(pool).query(sql, params),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

import pg from "pg";
import { LotseError } from "../errors.ts";
import { redactUrl } from "../log.ts";
import type { Database, Queryable } from "./database.ts";

/** A PostgreSQL server through DATABASE_URL; fails fast with a clear message when it is unreachable. */
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  pool.on("error", () => undefined); // idle-client errors surface on the next query instead of crashing
  // Same HNSW search width as the embedded database; a placeholder setting where pgvector is not installed.
  pool.on("connect", (client) => {
    client.query("SET hnsw.ef_search = 100").catch(() => undefined);
  });
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

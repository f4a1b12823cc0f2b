import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LotseError } from "../errors.ts";
import type { Database, Queryable } from "./database.ts";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
/** Arbitrary constant: replicas starting together apply migrations one after another. */
const LOCK_KEY = 7_324_001;
/** Migrations that need the pgvector extension; skipped (and retried at the next start) where it is missing. */
const NEEDS_VECTOR = new Set(["002_vector"]);

export interface MigrationResult {
  applied: string[];
  vector: boolean;
}

/** Applies the versioned SQL migrations in order; idempotent and safe to run from several replicas at once. */
export async function migrate(db: Database): Promise<MigrationResult> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).sort();
  const applied: string[] = [];
  try {
    await db.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, tenant text, applied_at timestamptz NOT NULL DEFAULT now())",
    );
  } catch (cause) {
    throw new LotseError("DB_MIGRATION_FAILED", "Tabelle schema_migrations konnte nicht angelegt werden.", {
      cause,
    });
  }
  // Usually every migration is applied already (each restart): one query says so, without a transaction per file.
  const done = new Set(
    (await db.query<{ version: string }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version),
  );
  const pending = files.map((f) => f.replace(/\.sql$/, "")).filter((v) => !done.has(v));
  const vectorAvailable =
    pending.some((v) => NEEDS_VECTOR.has(v)) &&
    (await db.query("SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'vector'")).rows.length > 0;
  for (const version of pending) {
    const file = `${version}.sql`;
    if (NEEDS_VECTOR.has(version) && !vectorAvailable) continue;
    const sql = await readFile(path.join(MIGRATIONS_DIR, file), "utf8");
    try {
      await db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
        // Another replica may have applied it since the query above.
        const already = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [version]);
        if (already.rows.length > 0) return;
        for (const statement of splitStatements(sql)) await tx.query(statement);
        await tx.query("INSERT INTO schema_migrations (version) VALUES ($1)", [version]);
        applied.push(version);
      });
    } catch (cause) {
      throw new LotseError(
        "DB_MIGRATION_FAILED",
        `Migration ${version} ist fehlgeschlagen: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
  }
  return { applied, vector: await hasVectorColumn(db) };
}

/**
 * Whether chunks carry embeddings (pgvector installed and migrated): the chunks table the queries see (search_path).
 * The catalog answers in a millisecond where information_schema.columns took tens (it runs at every start, ingest and
 * refresh).
 */
export async function hasVectorColumn(db: Queryable): Promise<boolean> {
  const r = await db.query(
    "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('chunks') AND attname = 'embedding' AND NOT attisdropped",
  );
  return r.rows.length > 0;
}

/** Our migration files hold plain statements separated by semicolons at line ends (no functions, no $$). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) =>
      s
        .split("\n")
        .filter((l) => !l.trim().startsWith("--"))
        .join("\n")
        .trim(),
    )
    .filter(Boolean);
}

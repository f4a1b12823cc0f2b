import { randomBytes } from "node:crypto";
import path from "node:path";
import { Writable } from "node:stream";
import pg from "pg";
import { type Config, loadConfig } from "../src/config.ts";
import { createLogger, type Logger, silentLogger } from "../src/log.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";

/** A JSON logger at debug level whose lines land in `logs` (for assertions on codes and on what is not logged). */
export function captureLogs(): { logs: Record<string, unknown>[]; log: Logger } {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      cb();
    },
  });
  return { logs, log: createLogger("debug", sink) };
}

export const ROOT = path.resolve(import.meta.dirname, "..");
export const FIXTURE_KNOWLEDGE = path.join(ROOT, "test/fixtures/knowledge");

/** Configuration for tests: in-memory PGlite, the fixture corpus, the real prompts. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig(
    { LOTSE_DATA_DIR: ":memory:", LOTSE_KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE, LOG_LEVEL: "silent", ...env },
    ROOT,
  );
}

export async function fixtureRuntime(env: Record<string, string> = {}): Promise<Runtime> {
  return createRuntime(testConfig(env), silentLogger, { autoIngest: true });
}

export const serverUrl = (): string =>
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A fresh schema on the real PostgreSQL server, so test files do not see each other's tables. */
export async function freshSchemaUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `lotse_test_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const u = new URL(serverUrl());
  u.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

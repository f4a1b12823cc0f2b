import { execFile } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionSettings } from "../../src/db/pg-database.ts";
import { freshSchemaUrl, ROOT } from "../helpers.ts";

const NODE = path.join(ROOT, "node_modules/.bin/node");

/** A process as the server runs: open the pool, queries at once (several clients connect), a transaction, close. */
const CHILD = `
const { openPostgres } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "src/db/pg-database.ts")).href)});
const db = await openPostgres(process.env.LOTSE_TEST_URL);
const shown = await Promise.all([1, 2, 3, 4].map(() => db.query("SELECT current_setting('hnsw.ef_search') AS ef, current_schema() AS schema")));
await db.transaction(async (tx) => { await tx.query("SELECT 1"); await tx.query("SELECT 2"); });
await db.close();
console.log(JSON.stringify(shown.map((r) => r.rows[0])));
`;

describe("openPostgres on the PostgreSQL server", () => {
  let schema: Awaited<ReturnType<typeof freshSchemaUrl>>;
  beforeAll(async () => {
    schema = await freshSchemaUrl();
  });
  afterAll(async () => {
    await schema.drop();
  });

  it("sets the HNSW search width on every connection without pg's concurrent-query DeprecationWarning", async () => {
    const { stdout, stderr } = await promisify(execFile)(NODE, ["--input-type=module", "-e", CHILD], {
      cwd: ROOT,
      env: { ...process.env, LOTSE_TEST_URL: schema.url },
      timeout: 30_000,
    });
    expect(stderr).not.toContain("DeprecationWarning");
    expect(stderr).not.toContain("already executing a query");
    const rows = JSON.parse(stdout) as { ef: string; schema: string }[];
    // The URL's own options (test/helpers.ts puts the search_path there) are kept beside the added setting.
    const expected = { ef: "100", schema: new URL(schema.url).searchParams.get("options")?.split("=")[1] };
    expect(rows).toEqual([expected, expected, expected, expected]);
  });
});

describe("sessionSettings", () => {
  it("adds -c hnsw.ef_search=100 to the URL's options, keeping those already there", () => {
    const plain = sessionSettings("postgres://lotse:geheim@db.intern:5432/lotse?sslmode=require");
    expect(new URL(plain.connectionString).searchParams.get("options")).toBe("-c hnsw.ef_search=100");
    expect(new URL(plain.connectionString).searchParams.get("sslmode")).toBe("require");
    expect(new URL(plain.connectionString).password).toBe("geheim");
    const kept = sessionSettings("postgres://db.intern/lotse?options=-c%20search_path%3Dlotse");
    expect(new URL(kept.connectionString).searchParams.get("options")).toBe(
      "-c search_path=lotse -c hnsw.ef_search=100",
    );
  });

  it("leaves a width the operator set in the URL alone", () => {
    const url = "postgres://db.intern/lotse?options=-c%20hnsw.ef_search%3D200";
    expect(sessionSettings(url)).toEqual({ connectionString: url });
  });

  it("passes the setting as a parameter where the connection string is no URL (socket directory form)", () => {
    expect(sessionSettings("/var/run/postgresql lotse")).toEqual({
      connectionString: "/var/run/postgresql lotse",
      options: "-c hnsw.ef_search=100",
    });
  });
});

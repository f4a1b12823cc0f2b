import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { AGGREGATES, PERSONAL_DATA } from "../../src/privacy/personal-data.ts";
import { ROOT } from "../helpers.ts";

/** A column that names a person by the words the schema uses for it. */
const PERSON_COLUMN = /user|pseudonym|person|creator|email/;

let db: Database;
let columns: Map<string, string[]>;
beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  const rows = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  columns = new Map();
  for (const r of rows.rows) columns.set(r.table_name, [...(columns.get(r.table_name) ?? []), r.column_name]);
});
afterAll(async () => {
  await db.close();
});

/** The cells of the README's "Datenschutz" table, one array per row below the header. */
function readmeTable(): string[][] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Datenschutz\n"));
  if (!section) throw new Error("README.md has no section „## Datenschutz“");
  const rows = section
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim()),
    );
  return rows.slice(2);
}

describe("the registry of personal data (src/privacy/personal-data.ts)", () => {
  it("holds every table of the migrations with a user, pseudonym, person, creator or email column", () => {
    const registered = new Set(PERSONAL_DATA.map((e) => e.table));
    const withPerson = [...columns]
      .filter(([, cols]) => cols.some((c) => PERSON_COLUMN.test(c)))
      .map(([table]) => table);
    expect(withPerson.length).toBeGreaterThanOrEqual(8);
    expect(withPerson.filter((t) => !registered.has(t))).toEqual([]);
  });

  it("names only tables and columns that exist", () => {
    for (const e of PERSONAL_DATA) {
      const cols = columns.get(e.table);
      expect(cols, e.table).toBeDefined();
      // "conversation_id (persönlicher Chat)", "reference (user.id, …)": the column is the first word.
      for (const c of e.personColumns) expect(cols, `${e.table}.${c}`).toContain(c.split(" ")[0]);
      if (e.tenantColumn) expect(cols, `${e.table}.${e.tenantColumn}`).toContain(e.tenantColumn);
    }
    for (const a of AGGREGATES) {
      expect(columns.get(a), a).toBeDefined();
      expect(
        columns.get(a)?.filter((c) => PERSON_COLUMN.test(c)),
        a,
      ).toEqual([]);
    }
  });

  it("is what the README's Datenschutz table says, row by row in the registry's order", () => {
    const expected = PERSONAL_DATA.map((e) => [
      `\`${e.table}\``,
      e.content,
      e.purpose,
      e.retention,
      e.visibleTo,
    ]);
    expect(readmeTable()).toEqual(expected);
  });
});

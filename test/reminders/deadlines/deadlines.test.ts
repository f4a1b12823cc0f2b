import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.ts";
import { migrate } from "../../../src/db/migrate.ts";
import { openPglite } from "../../../src/db/pglite-database.ts";
import { ingest } from "../../../src/ingest/ingest.ts";
import { Deadlines } from "../../../src/reminders/deadlines/deadlines.ts";
import { HashedNgramEmbedder } from "../../../src/retrieval/hashed-ngram-embedder.ts";
import { FIXTURE_KNOWLEDGE, ROOT } from "../../helpers.ts";
import { GOOD_DEADLINES, writeDocs } from "./deadline-fixtures.ts";

const embedder = new HashedNgramEmbedder(64);
const NOW = () => new Date("2026-12-01T08:00:00Z");

describe("ingest writes due, and Deadlines reads it back", () => {
  let db: Database;
  let dir: string;
  const run = () => ingest(db, embedder, { knowledgeDir: dir, now: NOW });
  const dues = async () =>
    (
      await db.query<{ doc_id: string; due: string | null }>(
        "SELECT doc_id, due FROM documents WHERE type = 'deadline' OR doc_id = 'musterstadt-ziel-fuhrpark' ORDER BY doc_id",
      )
    ).rows;

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    dir = await mkdtemp(path.join(tmpdir(), "lotse-deadlines-"));
    await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
    await writeDocs(dir, GOOD_DEADLINES);
    await run();
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("stores each document's due, NULL without one", async () => {
    expect(await dues()).toEqual([
      { doc_id: "frist-foerderaufruf-klimaschutz", due: "jährlich am 15.1." },
      { doc_id: "musterstadt-frist-klimaschutzbericht", due: "jährlich am 30.6." },
      { doc_id: "musterstadt-ziel-fuhrpark", due: null },
    ]);
  });

  it("lists the tenant's deadlines and the shared ones, with rule, reading, first source and summary", async () => {
    const deadlines = new Deadlines(db);
    const list = await deadlines.list("musterstadt");
    expect(list.map((d) => d.docId).sort()).toEqual([
      "frist-foerderaufruf-klimaschutz",
      "musterstadt-frist-klimaschutzbericht",
    ]);
    const own = list.find((d) => d.docId === "musterstadt-frist-klimaschutzbericht");
    expect(own).toMatchObject({
      tenant: "musterstadt",
      title: "Frist Musterstadt: Beiträge zum Klimaschutzbericht jedes Jahr bis 30. Juni",
      due: "jährlich am 30.6.",
      // Read from the reviewed date (2026-11-20): the first 30 June after it.
      rrule: "DTSTART;TZID=Europe/Berlin:20270630T090000\nRRULE:FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30",
      reading: "jedes Jahr am 30. Juni um 9:00 Uhr",
      url: "https://intranet.musterstadt.example/ratsinfo/klimaschutzkonzept",
    });
    // The first paragraph of the first ## section, cut at a sentence end; not the second paragraph.
    expect(
      own?.summary.startsWith(
        "In Musterstadt liefern alle Fachbereiche ihre Beiträge zum Klimaschutzbericht",
      ),
    ).toBe(true);
    expect(own?.summary.length).toBeLessThanOrEqual(300);
    expect(own?.summary).toMatch(/\.$/);
    expect(own?.summary).not.toContain("Herbst");
    // A shared deadline is listed for the tenant that asked.
    expect(list.find((d) => d.docId === "frist-foerderaufruf-klimaschutz")?.tenant).toBe("musterstadt");
    expect((await deadlines.list("otherstadt")).map((d) => d.docId)).toEqual([
      "frist-foerderaufruf-klimaschutz",
    ]);
  });

  it("gets one deadline of the tenant, and none of another tenant or of another type", async () => {
    const deadlines = new Deadlines(db);
    expect((await deadlines.get("musterstadt", "musterstadt-frist-klimaschutzbericht"))?.reading).toBe(
      "jedes Jahr am 30. Juni um 9:00 Uhr",
    );
    expect(await deadlines.get("otherstadt", "musterstadt-frist-klimaschutzbericht")).toBeUndefined();
    expect(await deadlines.get("musterstadt", "musterstadt-ziel-fuhrpark")).toBeUndefined();
  });

  it("rewrites the due when only the due changed (incremental ingest)", async () => {
    const file = path.join(dir, "musterstadt/frist-klimaschutzbericht.md");
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace('due: "jährlich am 30.6."', 'due: "jährlich am 1.7."'),
    );
    expect(await run()).toMatchObject({ updated: 1 });
    expect((await dues()).find((r) => r.doc_id === "musterstadt-frist-klimaschutzbericht")?.due).toBe(
      "jährlich am 1.7.",
    );
    expect(
      (await new Deadlines(db).get("musterstadt", "musterstadt-frist-klimaschutzbericht"))?.rrule,
    ).toContain("BYMONTH=7;BYMONTHDAY=1");
  });
});

describe("Deadlines on the bundled Musterstadt knowledge", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    await ingest(db, embedder, { knowledgeDir: path.join(ROOT, "knowledge"), now: NOW });
  }, 120_000);
  afterAll(async () => db.close());

  it("has the three deadlines with their dates, the BNK report every two years from 2027", async () => {
    const list = await new Deadlines(db).list("musterstadt");
    expect(list.map((d) => [d.docId, d.due, d.rrule.split("\n")[0]])).toEqual([
      ["musterstadt-frist-indikatoren", "jährlich am 31.3.", "DTSTART;TZID=Europe/Berlin:20270331T090000"],
      [
        "musterstadt-frist-nachhaltigkeitsbericht",
        "alle zwei Jahre am 30.9.",
        "DTSTART;TZID=Europe/Berlin:20270930T090000",
      ],
      [
        "musterstadt-frist-produktblaetter",
        "jährlich am 30.9.",
        "DTSTART;TZID=Europe/Berlin:20270930T090000",
      ],
    ]);
    expect(list[1]?.rrule).toContain("INTERVAL=2");
    for (const d of list) {
      expect(d.url).toMatch(/^https:\/\//);
      expect(d.summary.length).toBeGreaterThan(80);
      expect(d.summary.length).toBeLessThanOrEqual(300);
    }
  });
});

import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { ingest } from "../../src/ingest/ingest.ts";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.ts";
import { FIXTURE_KNOWLEDGE, ROOT } from "../helpers.ts";

/** A second municipality's folder (contacts, links, two documents), added to the fixture corpus mid-test. */
const NEUSTADT = path.join(ROOT, "test/fixtures/tenant-neustadt/neustadt");
const embedder = new HashedNgramEmbedder(64);

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(file, text.replace(from, to));
}

// One database through the steps below: each ingest builds on the index the previous one left.
describe("incremental ingest: a document is re-read only when its own inputs change", () => {
  let db: Database;
  let dir: string;
  const run = () => ingest(db, embedder, { knowledgeDir: dir });
  const contactName = async (tenant: string, role: string) =>
    (
      await db.query<{ name: string; label: string }>(
        "SELECT name, label FROM contacts WHERE tenant = $1 AND role = $2",
        [tenant, role],
      )
    ).rows[0];
  const nextStepUrls = async (docId: string) =>
    (
      await db.query<{ next_steps: { url: string }[] }>(
        "SELECT next_steps FROM documents WHERE doc_id = $1",
        [docId],
      )
    ).rows[0]?.next_steps.map((s) => s.url);

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    dir = await mkdtemp(path.join(tmpdir(), "lotse-incr-"));
    await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
    expect(await run()).toMatchObject({ added: 8, updated: 0 });
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("adds a new tenant folder without re-reading the existing documents", async () => {
    await cp(NEUSTADT, path.join(dir, "neustadt"), { recursive: true });
    expect(await run()).toMatchObject({
      added: 2,
      updated: 0,
      removed: 0,
      unchanged: 8,
      contactsUpdated: true,
    });
    expect((await contactName("neustadt", "nachhaltigkeit"))?.name).toBe("Petra Lange");
    expect(await run()).toMatchObject({ added: 0, updated: 0, unchanged: 10, contactsUpdated: false });
  });

  it("rewrites the contacts when a tenant's contacts change, and re-reads no document (they store role ids)", async () => {
    await edit(path.join(dir, "musterstadt/contacts.yaml"), "name: Dr. Anna Grün", "name: Dr. Anna Berg");
    const s = await run();
    expect(s).toMatchObject({ added: 0, updated: 0, unchanged: 10, contactsUpdated: true });
    expect((await contactName("musterstadt", "nachhaltigkeit"))?.name).toBe("Dr. Anna Berg");
    expect((await contactName("neustadt", "nachhaltigkeit"))?.name).toBe("Petra Lange");
  });

  it("re-reads only the documents that resolve a changed catalogue link of their own tenant", async () => {
    await edit(
      path.join(dir, "musterstadt/links.yaml"),
      "/formulare/nachhaltigkeitscheck",
      "/formulare/check-2027",
    );
    expect(await run()).toMatchObject({ added: 0, updated: 1, unchanged: 9 });
    expect(await nextStepUrls("musterstadt-nachhaltigkeitscheck")).toEqual([
      "https://intranet.musterstadt.example/formulare/check-2027",
    ]);
    // Neustadt's catalogue: its one linking document re-read, Musterstadt's not.
    await edit(
      path.join(dir, "neustadt/links.yaml"),
      "/richtlinien/beschaffung.pdf",
      "/richtlinien/beschaffung-2027.pdf",
    );
    expect(await run()).toMatchObject({ added: 0, updated: 1, unchanged: 9 });
    expect(await nextStepUrls("neustadt-regel-vergabe")).toEqual([
      "https://intranet.neustadt.example/richtlinien/beschaffung-2027.pdf",
    ]);
    expect(await nextStepUrls("musterstadt-nachhaltigkeitscheck")).toEqual([
      "https://intranet.musterstadt.example/formulare/check-2027",
    ]);
  });

  it("relabels contacts when roles.yaml changes, without re-reading documents", async () => {
    await edit(path.join(dir, "roles.yaml"), "label: Vergabestelle", "label: Zentrale Vergabestelle");
    expect(await run()).toMatchObject({ added: 0, updated: 0, unchanged: 10, contactsUpdated: true });
    expect((await contactName("otherstadt", "nachhaltigkeit"))?.label).toBe("Nachhaltigkeitskoordination");
    expect((await contactName("neustadt", "vergabestelle"))?.label).toBe("Zentrale Vergabestelle");
  });

  it("removes a tenant folder's documents and contacts, leaving the others", async () => {
    await rm(path.join(dir, "neustadt"), { recursive: true });
    expect(await run()).toMatchObject({ added: 0, updated: 0, removed: 2, unchanged: 8 });
    expect(await contactName("neustadt", "nachhaltigkeit")).toBeUndefined();
    expect((await contactName("musterstadt", "nachhaltigkeit"))?.name).toBe("Dr. Anna Berg");
  });
});

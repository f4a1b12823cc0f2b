import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citationFor } from "../../src/assistant/cite.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { ingest } from "../../src/ingest/ingest.ts";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.ts";
import { Retriever } from "../../src/retrieval/retriever.ts";
import { FIXTURE_KNOWLEDGE } from "../helpers.ts";

const embedder = new HashedNgramEmbedder(64);

async function addAsOf(file: string, asOf: string): Promise<void> {
  const text = await readFile(file, "utf8");
  await writeFile(file, text.replace("reviewed: 2026-11-20", `reviewed: 2026-11-20\nas_of: ${asOf}`));
}

describe("as_of from front matter and sidecar to the citation", () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    dir = await mkdtemp(path.join(tmpdir(), "lotse-asof-"));
    await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
    await addAsOf(path.join(dir, "shared/waermeplanung.md"), "2026-03");
    await addAsOf(path.join(dir, "musterstadt/leitfaden-beschaffung.pdf.yaml"), "2026-02-15");
    await ingest(db, embedder, { knowledgeDir: dir });
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is stored with the document, NULL where the front matter has none", async () => {
    const { rows } = await db.query<{ doc_id: string; as_of: string | null }>(
      "SELECT doc_id, as_of FROM documents WHERE as_of IS NOT NULL OR doc_id = 'beschaffungskriterien' ORDER BY doc_id",
    );
    expect(rows.map((r) => [r.doc_id, r.as_of])).toEqual([
      ["beschaffungskriterien", null],
      ["musterstadt-leitfaden-beschaffung", "2026-02-15"],
      ["waermeplanung", "2026-03"],
    ]);
  });

  it("travels with the retrieved passage into the citation", async () => {
    const retriever = new Retriever(db, embedder);
    await retriever.refresh();
    const { passages } = await retriever.search("Bis wann brauchen wir einen Wärmeplan?", "musterstadt");
    const heat = passages.find((p) => p.docId === "waermeplanung");
    expect(heat && citationFor(heat, []).asOf).toBe("2026-03");
    const other = passages.find(
      (p) => p.docId !== "waermeplanung" && p.docId !== "musterstadt-leitfaden-beschaffung",
    );
    if (other) expect(citationFor(other, [])).not.toHaveProperty("asOf");
  });
});

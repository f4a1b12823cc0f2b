import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { ingest } from "../../src/ingest/ingest.ts";
import type { DictionaryFiles } from "../../src/ingest/query-vocabulary-store.ts";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.ts";
import { Retriever } from "../../src/retrieval/retriever.ts";
import {
  FINGERPRINT_KEY,
  META_KEY,
  type ReducedVocabulary,
} from "../../src/retrieval/vocabulary-reduction.ts";
import { FIXTURE_KNOWLEDGE } from "../helpers.ts";

const embedder = new HashedNgramEmbedder(64);

/** Small data files: a change to them must reach the stored reduction. */
async function writeDictionaries(dir: string, name: string, thesaurus: string, english: string) {
  const files: DictionaryFiles = {
    thesaurus: path.join(dir, `${name}-thesaurus.txt`),
    english: path.join(dir, `${name}-english.tsv`),
  };
  await writeFile(files.thesaurus, `# test thesaurus\n${thesaurus}\n`);
  await writeFile(files.english, `# test dictionary\n${english}\n`);
  return files;
}

// One database through the steps below: each ingest builds on the index the previous one left.
describe("the stored reduction is reused only for the same vocabulary and data files", () => {
  let db: Database;
  let dir: string;
  let first: DictionaryFiles;
  let second: DictionaryFiles;
  const stored = async () => {
    const { rows } = await db.query<{ key: string; value: unknown; at: string }>(
      "SELECT key, value, updated_at::text AS at FROM index_meta WHERE key = ANY($1)",
      [[META_KEY, FINGERPRINT_KEY]],
    );
    const row = (key: string) => rows.find((r) => r.key === key);
    return {
      reduced: row(META_KEY)?.value as ReducedVocabulary,
      fingerprint: row(FINGERPRINT_KEY)?.value,
      at: row(META_KEY)?.at,
    };
  };
  const run = (dictionaries: DictionaryFiles, force = false) =>
    ingest(db, embedder, { knowledgeDir: dir, dictionaries, force });

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    dir = await mkdtemp(path.join(tmpdir(), "lotse-reduce-"));
    await cp(FIXTURE_KNOWLEDGE, path.join(dir, "knowledge"), { recursive: true });
    first = await writeDictionaries(
      dir,
      "first",
      "Kauf;Erwerb;Beschaffung",
      "procurement\tBeschaffung;Ankauf",
    );
    second = await writeDictionaries(dir, "second", "Ankauf;Beschaffung", "purchasing\tBeschaffung");
    dir = path.join(dir, "knowledge");
    await run(first);
  });
  afterAll(async () => {
    await db.close();
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it("stores the reduction of the data files with the fingerprint of its input", async () => {
    const s = await stored();
    expect(s.reduced.senses).toEqual([
      ["Kauf, Erwerb, Beschaffung", ["kauf", "erwerb", "beschaffung"], ["beschaffung"]],
    ]);
    expect(s.reduced.english).toEqual({ procurement: ["beschaffung"] });
    expect(s.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps it when an ingest changes neither the vocabulary nor the data files (a contact changed)", async () => {
    const before = await stored();
    const contacts = path.join(dir, "musterstadt/contacts.yaml");
    await writeFile(
      contacts,
      (await readFile(contacts, "utf8")).replace("Dr. Anna Grün", "Dr. Anna Grün-Weiß"),
    );
    expect(await run(first)).toMatchObject({ contactsUpdated: true });
    expect(await stored()).toEqual(before);
  });

  it("reduces again when the vocabulary changes: a new document's word leads into a sense", async () => {
    const before = await stored();
    await writeFile(
      path.join(dir, "shared/erwerb.md"),
      "---\nid: erwerb\ntitle: Erwerb von Geräten\ntype: guidance\ntenant: shared\nreviewed: 2026-11-01\n---\n\n## Erwerb\n\nDer Erwerb folgt der Dienstanweisung.\n",
    );
    expect(await run(first)).toMatchObject({ added: 1 });
    const after = await stored();
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.reduced.senses[0]?.[2]).toEqual(expect.arrayContaining(["beschaffung", "erwerb"]));
  });

  it("reduces again when a data file changes", async () => {
    const before = await stored();
    await run(second, true);
    const after = await stored();
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.reduced.english).toEqual({ purchasing: ["beschaffung"] });
    expect(after.reduced.senses).toEqual([
      ["Ankauf, Beschaffung", ["ankauf", "beschaffung"], ["beschaffung"]],
    ]);
  });

  it("a refresh reads the index's reduction when another replica stored one after this process", async () => {
    // This process just stored a reduction; another replica then ingests and stores its own.
    await run(first, true);
    const other: ReducedVocabulary = { senses: [], english: { zzquux: ["beschaffung"] } };
    await db.query("UPDATE index_meta SET value = $2 WHERE key = $1", [META_KEY, JSON.stringify(other)]);
    await db.query("UPDATE index_meta SET value = $2 WHERE key = $1", [
      FINGERPRINT_KEY,
      JSON.stringify("other"),
    ]);
    const retriever = new Retriever(db, embedder);
    await retriever.refresh();
    const concepts = await retriever.concepts("zzquux", "musterstadt");
    const english = concepts[0]?.alternatives.filter((a) => a.source === "english").map((a) => a.term);
    expect(english).toEqual(["beschaffung"]);
  });
});

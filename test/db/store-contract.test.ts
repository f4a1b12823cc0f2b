import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationStore } from "../../src/core/conversation-store.ts";
import { EventClaims } from "../../src/core/event-claims.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPostgres } from "../../src/db/pg-database.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";
import { FeedbackStore } from "../../src/feedback/feedback-store.ts";
import { ingest } from "../../src/ingest/ingest.ts";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.ts";
import { Retriever } from "../../src/retrieval/retriever.ts";
import { FIXTURE_KNOWLEDGE, freshSchemaUrl } from "../helpers.ts";

type Backend = {
  name: string;
  vector: boolean;
  open: () => Promise<{ db: Database; cleanup: () => Promise<void> }>;
};

const backends: Backend[] = [
  {
    name: "PGlite (embedded, pgvector)",
    vector: true,
    open: async () => {
      const db = await openPglite(":memory:");
      return { db, cleanup: () => db.close() };
    },
  },
  {
    name: "PostgreSQL server (TEST_DATABASE_URL, no pgvector)",
    vector: false,
    open: async () => {
      const schema = await freshSchemaUrl();
      const db = await openPostgres(schema.url);
      return {
        db,
        cleanup: async () => {
          await db.close();
          await schema.drop();
        },
      };
    },
  },
];

const embedder = new HashedNgramEmbedder(64);

describe.each(backends)("store contract: $name", (backend) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    ({ db, cleanup } = await backend.open());
    dir = await mkdtemp(path.join(tmpdir(), "lotse-store-"));
    await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
  });
  afterAll(async () => {
    await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("applies migrations once and is idempotent", async () => {
    const first = await migrate(db);
    expect(first.applied).toContain("001_init");
    expect(first.vector).toBe(backend.vector);
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    const cols = await db.query<{ table_name: string }>(
      "SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'tenant' AND table_schema = current_schema()",
    );
    expect(cols.rows.map((r) => r.table_name).sort()).toEqual([
      "chunks",
      "contacts",
      "conversation_refs",
      "conversation_turns",
      "deadline_subscriptions",
      "documents",
      "event_claims",
      "feedback",
      "index_meta",
      "jobs",
      "lexeme_stats",
      "onboarding_progress",
      "onboarding_stats",
      "person_links",
      "reminders",
      "schema_migrations",
    ]);
  });

  it("ingests the corpus and filters retrieval to the tenant plus shared guidance", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    const s = await ingest(db, embedder, { knowledgeDir: dir }).finally(() =>
      process.off("warning", onWarning),
    );
    // The transaction sends statements ahead: pg must still see one at a time.
    expect(warnings.filter((m) => m.includes("already executing a query"))).toEqual([]);
    expect(s.added).toBe(8);
    expect(s.chunks).toBeGreaterThan(8);
    const r = new Retriever(db, embedder);
    await r.refresh();
    expect(r.mode).toBe(backend.vector ? "hybrid" : "lexical");
    const mine = await r.search("Ziel Photovoltaik Schuldächer Solardächer", "musterstadt");
    expect(mine.passages.map((p) => p.docId)).not.toContain("otherstadt-ziel-solar");
    const theirs = await r.search("Ziel Photovoltaik Schuldächer Solardächer", "otherstadt");
    expect(theirs.passages[0]?.docId).toBe("otherstadt-ziel-solar");
    const shared = await r.search("Wärmeplanung Frist", "otherstadt");
    expect(shared.passages[0]?.docId).toBe("waermeplanung");
    const contacts = await db.query<{ tenant: string; role: string }>(
      "SELECT tenant, role FROM contacts ORDER BY tenant, role",
    );
    expect(contacts.rows).toContainEqual({ tenant: "otherstadt", role: "nachhaltigkeit" });
  });

  it("skips unchanged files and re-reads a changed one", async () => {
    const again = await ingest(db, embedder, { knowledgeDir: dir });
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 8, chunks: 0 });
    const file = path.join(dir, "shared/waermeplanung.md");
    await writeFile(file, (await readFile(file, "utf8")).replace("fünf Jahre", "5 Jahre"));
    const changed = await ingest(db, embedder, { knowledgeDir: dir });
    expect(changed).toMatchObject({ added: 0, updated: 1, unchanged: 7 });
  });

  it("re-reads the documents that resolve a changed catalogue link (next steps are stored resolved)", async () => {
    const links = path.join(dir, "musterstadt/links.yaml");
    await writeFile(
      links,
      (await readFile(links, "utf8")).replace("/formulare/nachhaltigkeitscheck", "/formulare/check-2027"),
    );
    const s = await ingest(db, embedder, { knowledgeDir: dir });
    expect(s).toMatchObject({ updated: 1, unchanged: 7 });
    const steps = await db.query<{ next_steps: { url: string }[] }>(
      "SELECT next_steps FROM documents WHERE doc_id = 'musterstadt-nachhaltigkeitscheck'",
    );
    expect(steps.rows[0]?.next_steps[0]?.url).toBe(
      "https://intranet.musterstadt.example/formulare/check-2027",
    );
  });

  it("leaves the previous index answering when a file has broken front matter", async () => {
    const broken = path.join(dir, "shared/kaputt.md");
    await writeFile(broken, "---\nid: kaputt\ntitle: [offen\n---\nText\n");
    await expect(ingest(db, embedder, { knowledgeDir: dir })).rejects.toMatchObject({
      code: "KNOWLEDGE_INVALID",
      message: expect.stringContaining("shared/kaputt.md:"),
    });
    await rm(broken);
    const r = new Retriever(db, embedder);
    await r.refresh();
    expect((await r.search("Wärmeplanung Frist", "musterstadt")).passages[0]?.docId).toBe("waermeplanung");
  });

  it("rolls back a write that fails halfway", async () => {
    const before = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM chunks");
    const failing: Database = {
      ...db,
      kind: db.kind,
      query: db.query.bind(db),
      close: db.close.bind(db),
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            query: async (sql, params) => {
              if (sql.startsWith("INSERT INTO contacts")) throw new Error("Festplatte voll (simuliert)");
              return tx.query(sql, params);
            },
          }),
        ),
    };
    const err = await ingest(failing, embedder, { knowledgeDir: dir, force: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LotseError);
    expect((err as LotseError).code).toBe("INGEST_FAILED");
    const after = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM chunks");
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    expect((await db.query("SELECT 1 FROM contacts")).rows.length).toBeGreaterThan(0);
  });

  it("removes documents whose files were deleted", async () => {
    await rm(path.join(dir, "shared/beschaffungskriterien.md"));
    const s = await ingest(db, embedder, { knowledgeDir: dir });
    expect(s.removed).toBe(1);
    const left = await db.query("SELECT 1 FROM chunks WHERE doc_id = 'beschaffungskriterien'");
    expect(left.rows).toEqual([]);
  });

  it("leaves full-text and vector indexes in place after a bulk write", async () => {
    // bulkWriteFrom 1: the embedded database drops its indexes before writing and rebuilds them afterwards.
    await ingest(db, embedder, { knowledgeDir: dir, force: true, bulkWriteFrom: 1 });
    const idx = await db.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'chunks' AND schemaname = current_schema() ORDER BY indexname",
    );
    const names = idx.rows.map((r) => r.indexname);
    expect(names).toContain("chunks_tsv_idx");
    if (backend.vector) expect(names).toContain("chunks_embedding_hnsw_64");
    const r = new Retriever(db, embedder);
    await r.refresh();
    const found = await r.search("Wärmeplanung Frist", "musterstadt");
    expect(found.passages[0]?.docId).toBe("waermeplanung");
  });

  it("stores conversation references (newest wins) and feedback with question and cited documents", async () => {
    const conversations = new ConversationStore(db);
    const ref = {
      platform: "teams" as const,
      conversationId: "19:kanal@thread.tacv2;messageid=1",
      tenant: "musterstadt",
      externalTenantId: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10",
      kind: "thread" as const,
      reference: { serviceUrl: "https://smba.trafficmanager.net/de/", conversation: { id: "19:kanal" } },
    };
    await conversations.save(ref);
    await conversations.save({ ...ref, reference: { ...ref.reference, activityId: "2" } });
    expect(await conversations.get("teams", ref.conversationId)).toEqual({
      ...ref,
      reference: { ...ref.reference, activityId: "2" },
    });
    expect(await conversations.get("slack", ref.conversationId)).toBeUndefined();
    await new FeedbackStore(db).record({
      tenant: "musterstadt",
      platform: "teams",
      userId: "6f1c2d3e",
      rating: "up",
      question: "Bis wann muss die Wärmeplanung fertig sein?",
      docIds: ["waermeplanung", "musterstadt-waermeplanung"],
    });
    const rows = await db.query<{ rating: string; doc_ids: string[]; conversation_id: string | null }>(
      "SELECT rating, doc_ids, conversation_id FROM feedback",
    );
    expect(rows.rows).toEqual([
      { rating: "up", doc_ids: ["waermeplanung", "musterstadt-waermeplanung"], conversation_id: null },
    ]);
  });

  it("claims an event once, however often and from however many replicas it is claimed", async () => {
    const claims = new EventClaims(db);
    const other = new EventClaims(db);
    const results = await Promise.all([
      claims.claim("slack", "Ev0A1B2C3D4E", "musterstadt"),
      other.claim("slack", "Ev0A1B2C3D4E", "musterstadt"),
      claims.claim("slack", "Ev0A1B2C3D4E"),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await claims.claim("teams", "Ev0A1B2C3D4E")).toBe(true);
  });

  // Only where embeddings exist: the server here has no pgvector, so there is nothing to re-embed.
  it.runIf(backend.vector)("re-embeds everything when the embedder changes", async () => {
    const s = await ingest(db, new HashedNgramEmbedder(96), { knowledgeDir: dir });
    expect(s.reembedded).toBe(true);
    expect(s.unchanged).toBe(0);
    const meta = await db.query<{ value: { name: string; dim: number } }>(
      "SELECT value FROM index_meta WHERE key = 'embedder'",
    );
    expect(meta.rows[0]?.value.dim).toBe(96);
  });
});

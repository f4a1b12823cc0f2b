import type { Queryable } from "../db/database.ts";
import type { Chunk } from "../knowledge/chunk.ts";
import type { LoadedDoc, TenantKnowledge } from "../knowledge/types.ts";
import { type Embedder, toVectorLiteral } from "../retrieval/embedder.ts";
import { expandCompounds, type Lexicon } from "../text/compounds.ts";

/** Row writers of the ingest transaction. */

/** The HNSW index is built on the embedding cast to the embedder's dimension, one index per dimension. */
export function vectorIndexName(dim: number): string {
  return `chunks_embedding_hnsw_${dim}`;
}

/** An index for another dimension would reject the new vectors: drop it before writing. */
export async function dropForeignVectorIndexes(tx: Queryable, dim: number): Promise<void> {
  const r = await tx.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'chunks' AND schemaname = current_schema() AND indexname LIKE 'chunks_embedding_hnsw_%'",
  );
  for (const { indexname } of r.rows)
    if (indexname !== vectorIndexName(dim))
      await tx.query(`DROP INDEX IF EXISTS ${indexname.replace(/[^a-z0-9_]/g, "")}`);
}

/** The full-text index of migration 001, dropped and rebuilt around bulk writes. */
const FULLTEXT_INDEX = "chunks_tsv_idx";

/**
 * Before a bulk write on the embedded database: building the full-text and vector indexes once afterwards is several
 * times faster than updating them row by row. Not on a server, where DROP INDEX would block readers until commit.
 */
export async function dropIndexesForBulkWrite(tx: Queryable, dim: number): Promise<void> {
  await tx.query(`DROP INDEX IF EXISTS ${FULLTEXT_INDEX}`);
  await tx.query(`DROP INDEX IF EXISTS ${vectorIndexName(dim)}`);
}

/** Rebuilds the full-text index after a bulk write (the vector index is created at the end of every ingest). */
export async function createFullTextIndex(tx: Queryable): Promise<void> {
  await tx.query(`CREATE INDEX IF NOT EXISTS ${FULLTEXT_INDEX} ON chunks USING gin (tsv)`);
}

/** Writes index_meta entries (key, value as JSON) in one statement. */
export async function upsertMeta(tx: Queryable, entries: [key: string, value: unknown][]): Promise<void> {
  if (entries.length === 0) return;
  const values = entries.map((_, i) => `($${2 * i + 1}, $${2 * i + 2}, now())`).join(", ");
  await tx.query(
    `INSERT INTO index_meta (key, value, updated_at) VALUES ${values} ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    entries.flatMap(([key, value]) => [key, JSON.stringify(value)]),
  );
}

/** Rewrites the contacts table from every tenant's contacts, in one statement. */
export async function writeContacts(tx: Queryable, tenants: Iterable<TenantKnowledge>): Promise<void> {
  await tx.query("DELETE FROM contacts");
  const rows = [...tenants].flatMap((t) =>
    [...t.contacts.values()].map((c) => [
      t.tenant,
      c.role,
      c.label,
      c.name,
      c.unit ?? null,
      c.email ?? null,
      c.phone ?? null,
      c.teamsUpn ?? null,
      c.slackUserId ?? null,
      c.topics ?? [],
    ]),
  );
  if (rows.length === 0) return;
  const values = rows.map((r, i) => `(${r.map((_, k) => `$${i * r.length + k + 1}`).join(",")})`).join(",");
  await tx.query(
    `INSERT INTO contacts (tenant, role, label, name, unit, email, phone, teams_upn, slack_user_id, topics) VALUES ${values}`,
    rows.flat(),
  );
}

/** Chunks per INSERT statement. */
const BATCH = 400;

/**
 * Writes the chunks in batches, each embedded (when `embedder` is given) and prepared while the database is still
 * writing the previous one: the embedded database runs in its own thread, so both threads stay busy. `onWritten`
 * gets the number of chunks written so far.
 */
export async function writeChunks(
  tx: Queryable,
  chunks: Chunk[],
  embedder: Embedder | undefined,
  lexicon: Lexicon,
  onWritten: (done: number) => void,
): Promise<void> {
  let writing: Promise<unknown> | undefined;
  let inFlight = 0;
  let written = 0;
  const settle = async () => {
    if (!writing) return;
    await writing;
    written += inFlight;
    onWritten(written);
  };
  for (let i = 0; i < chunks.length; i += BATCH) {
    const batch = chunks.slice(i, i + BATCH);
    const embeddings = embedder ? await embedder.embed(batch.map((c) => c.indexText)) : undefined;
    const insert = chunkInsert(batch, embeddings, lexicon);
    await settle();
    writing = tx.query(insert.sql, insert.params);
    inFlight = batch.length;
    // Awaited in the next round or below; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
  }
  await settle();
}

/** Documents per INSERT statement (14 parameters each: far below the 65,535 a statement may have). */
const DOCUMENT_BATCH = 200;

/**
 * Writes documents with their vocabularies, a batch per statement, in the given order (the index lists the
 * vocabulary in it). Next steps are stored resolved: catalogue links become label and URL of the tenant's catalogue.
 */
export async function insertDocuments(
  tx: Queryable,
  docs: readonly { doc: LoadedDoc; vocabulary: string[]; tenant: TenantKnowledge | undefined }[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += DOCUMENT_BATCH) {
    const batch = docs.slice(i, i + DOCUMENT_BATCH);
    const values = batch.map(
      (_, d) => `(${Array.from({ length: 14 }, (_, k) => `$${d * 14 + k + 1}`).join(",")})`,
    );
    await tx.query(
      `INSERT INTO documents (doc_id, tenant, type, title, source_path, content_hash, sources, contact_roles, next_steps, tags, reviewed, as_of, vocabulary, due)
       VALUES ${values.join(",")}`,
      batch.flatMap(({ doc, vocabulary, tenant }) => {
        const nextSteps = doc.meta.nextSteps.flatMap((s) => {
          if (s.kind === "url") return [{ label: s.label, url: s.url }];
          const link = tenant?.links.get(s.link);
          return link ? [{ label: link.label, url: link.url }] : [];
        });
        return [
          doc.meta.id,
          doc.meta.tenant,
          doc.meta.type,
          doc.meta.title,
          doc.path,
          doc.hash,
          JSON.stringify(doc.meta.sources),
          doc.meta.contacts,
          JSON.stringify(nextSteps),
          doc.meta.tags,
          doc.meta.reviewed ?? null,
          doc.meta.asOf ?? null,
          vocabulary,
          // Part of the file, so a changed due changes the content hash and the row is rewritten.
          doc.meta.due ?? null,
        ];
      }),
    );
  }
}

/** The INSERT of a batch of chunks with their search text (compound parts added) and embeddings. */
function chunkInsert(
  chunks: Chunk[],
  embeddings: number[][] | undefined,
  lexicon: Lexicon,
): { sql: string; params: unknown[] } {
  const cols = embeddings ? 8 : 7;
  const values: string[] = [];
  const params: unknown[] = [];
  chunks.forEach((c, i) => {
    const base = i * cols;
    const ph = Array.from({ length: cols }, (_, k) => `$${base + k + 1}`);
    if (embeddings) ph[7] = `${ph[7]}::vector`;
    values.push(`(${ph.join(",")})`);
    params.push(
      c.docId,
      c.tenant,
      c.ord,
      c.section,
      c.page ?? null,
      c.body,
      expandCompounds(c.indexText, lexicon),
    );
    if (embeddings) params.push(toVectorLiteral(embeddings[i] ?? []));
  });
  const columns = `doc_id, tenant, ord, section, page, body, search_text${embeddings ? ", embedding" : ""}`;
  return { sql: `INSERT INTO chunks (${columns}) VALUES ${values.join(",")}`, params };
}

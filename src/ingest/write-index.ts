import type { Queryable } from "../db/database.ts";
import type { Chunk } from "../knowledge/chunk.ts";
import type { LoadedDoc, TenantKnowledge } from "../knowledge/types.ts";
import { toVectorLiteral } from "../retrieval/embedder.ts";
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

export async function upsertMeta(tx: Queryable, key: string, value: unknown): Promise<void> {
  await tx.query(
    "INSERT INTO index_meta (key, value, updated_at) VALUES ($1, $2, now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
    [key, JSON.stringify(value)],
  );
}

/** Next steps are stored resolved: catalogue links become label and URL of the tenant's catalogue. */
export async function insertDocument(
  tx: Queryable,
  doc: LoadedDoc,
  vocabulary: string[],
  tenant: TenantKnowledge | undefined,
): Promise<void> {
  const nextSteps = doc.meta.nextSteps.flatMap((s) => {
    if (s.kind === "url") return [{ label: s.label, url: s.url }];
    const link = tenant?.links.get(s.link);
    return link ? [{ label: link.label, url: link.url }] : [];
  });
  await tx.query(
    `INSERT INTO documents (doc_id, tenant, type, title, source_path, content_hash, sources, contact_roles, next_steps, tags, reviewed, vocabulary)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [
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
      vocabulary,
    ],
  );
}

export async function insertChunks(
  tx: Queryable,
  chunks: Chunk[],
  embeddings: number[][] | undefined,
  lexicon: Lexicon,
): Promise<void> {
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
  await tx.query(`INSERT INTO chunks (${columns}) VALUES ${values.join(",")}`, params);
}

import { createHash } from "node:crypto";
import type { Database } from "../db/database.ts";
import { hasVectorColumn } from "../db/migrate.ts";
import { LotseError } from "../errors.ts";
import { type Chunk, chunkDocument } from "../knowledge/chunk.ts";
import { type KnowledgeSet, loadKnowledge } from "../knowledge/load-knowledge.ts";
import { SYNONYMS_KEY, type SynonymSet, synonymsFingerprint } from "../knowledge/synonyms.ts";
import type { Finding } from "../knowledge/types.ts";
import { formatFindings, hasErrors, type ValidateOptions, validateKnowledge } from "../knowledge/validate.ts";
import type { Embedder } from "../retrieval/embedder.ts";
import { dictionaryEntries, writeQueryVocabulary } from "../retrieval/vocabulary-reduction.ts";
import { Lexicon, vocabularyOf } from "../text/compounds.ts";
import { loadThesaurus } from "../text/thesaurus.ts";
import {
  createFullTextIndex,
  dropForeignVectorIndexes,
  dropIndexesForBulkWrite,
  insertChunks,
  insertDocument,
  upsertMeta,
  vectorIndexName,
} from "./write-index.ts";

export type IngestProgress =
  | { kind: "reading"; file: string }
  | { kind: "embedding"; done: number; total: number }
  | { kind: "writing"; done: number; total: number };

export interface IngestSummary {
  files: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  chunks: number;
  reembedded: boolean;
  /** roles.yaml or a contacts.yaml changed: the contacts were rewritten (no document needs re-reading for that). */
  contactsUpdated: boolean;
  warnings: Finding[];
  durationMs: number;
}

export interface IngestOptions {
  knowledgeDir: string;
  force?: boolean;
  now?: () => Date;
  onProgress?: (p: IngestProgress) => void;
  /** From this many chunks in one ingest, the embedded database rebuilds its indexes instead of updating them. */
  bulkWriteFrom?: number;
  /** Default tenant and contact role from the configuration, for validate's set-up warnings. */
  validation?: ValidateOptions;
}

const INGEST_LOCK = 7_324_002;
const BATCH = 400;
const BULK_WRITE_FROM = 2000;

/**
 * Loads, validates, chunks, embeds and writes the knowledge directory in one transaction: a failure leaves the
 * previous index untouched. Files whose content hash is unchanged are skipped; a different embedder re-embeds all.
 */
export async function ingest(
  db: Database,
  embedder: Embedder,
  options: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const vector = await hasVectorColumn(db);
  const meta = await db.query<{ key: string; value: unknown }>(
    "SELECT key, value FROM index_meta WHERE key IN ('embedder', 'knowledge_config', 'synonyms')",
  );
  const storedEmbedder = meta.rows.find((r) => r.key === "embedder")?.value as
    | { name: string; dim: number }
    | undefined;
  const reembed =
    vector &&
    storedEmbedder !== undefined &&
    (storedEmbedder.name !== embedder.name || storedEmbedder.dim !== embedder.dim);
  const existing = await db.query<{ doc_id: string; source_path: string; content_hash: string }>(
    "SELECT doc_id, source_path, content_hash FROM documents",
  );
  // A document's hash covers what its rows are made of (its file, the chunking version, the catalogue links it
  // resolves), so only documents whose inputs changed are read again; see dependencyFingerprint.
  const knownHashes =
    options.force || reembed
      ? new Map<string, string>()
      : new Map(existing.rows.map((r) => [r.source_path, r.content_hash]));

  const set = await loadKnowledge(options.knowledgeDir, {
    knownHashes,
    onFile: (file) => options.onProgress?.({ kind: "reading", file }),
  });
  // Roles and contacts feed the contacts table, which is rewritten whenever they change, even if no document did.
  const configHash = contactsFingerprint(set);
  const configChanged = meta.rows.find((r) => r.key === "knowledge_config")?.value !== configHash;
  // Synonyms are used at query time only: a change rewrites index_meta, no document.
  const synonymsChanged =
    synonymsFingerprint(meta.rows.find((r) => r.key === SYNONYMS_KEY)?.value as SynonymSet | undefined) !==
    synonymsFingerprint(set.synonyms);
  const findings = validateKnowledge(set, now(), options.validation);
  if (hasErrors(findings)) {
    throw new LotseError(
      "KNOWLEDGE_INVALID",
      `Die Wissensbasis enthält Fehler; der bisherige Index bleibt unverändert in Betrieb.\n${formatFindings(findings.filter((f) => f.severity === "error"))}`,
      { details: { findings } },
    );
  }

  const presentIds = new Set([...set.docs, ...set.unchanged].map((d) => d.meta.id));
  const existingIds = new Set(existing.rows.map((r) => r.doc_id));
  const removed = [...existingIds].filter((id) => !presentIds.has(id));
  if (set.docs.length === 0 && removed.length === 0 && !configChanged && !reembed && !synonymsChanged)
    return summarize(set.unchanged.length, 0, 0, 0, findings, false, false, started);

  const lexicon = new Lexicon();
  const unchangedIds = set.unchanged.map((u) => u.meta.id);
  if (unchangedIds.length > 0) {
    const vocab = await db.query<{ w: string }>(
      "SELECT DISTINCT unnest(vocabulary) AS w FROM documents WHERE doc_id = ANY($1)",
      [unchangedIds],
    );
    for (const r of vocab.rows) lexicon.add(r.w);
  }
  const vocabByDoc = new Map<string, string[]>();
  for (const doc of set.docs) {
    const vocab = vocabularyOf(
      [doc.meta.title, ...doc.sections.flatMap((s) => [...s.headings, s.text])].join("\n"),
    );
    vocabByDoc.set(doc.meta.id, vocab);
    for (const w of vocab) lexicon.add(w);
  }

  const chunksByDoc = new Map<string, Chunk[]>();
  for (const doc of set.docs) chunksByDoc.set(doc.meta.id, chunkDocument(doc));
  const allChunks = [...chunksByDoc.values()].flat();
  const embeddings: number[][] = [];
  if (vector) {
    for (let i = 0; i < allChunks.length; i += BATCH) {
      embeddings.push(...(await embedder.embed(allChunks.slice(i, i + BATCH).map((c) => c.indexText))));
      options.onProgress?.({
        kind: "embedding",
        done: Math.min(i + BATCH, allChunks.length),
        total: allChunks.length,
      });
    }
  }

  const added = set.docs.filter((d) => !existingIds.has(d.meta.id)).length;

  try {
    await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK]);
      if (vector) await dropForeignVectorIndexes(tx, embedder.dim);
      const bulk = db.kind === "pglite" && allChunks.length >= (options.bulkWriteFrom ?? BULK_WRITE_FROM);
      if (bulk) await dropIndexesForBulkWrite(tx, embedder.dim);
      if (removed.length > 0) await tx.query("DELETE FROM documents WHERE doc_id = ANY($1)", [removed]);
      // A changed file may have changed its id: remove rows of that path under any id.
      const changedPaths = set.docs.map((d) => d.path);
      if (changedPaths.length > 0)
        await tx.query("DELETE FROM documents WHERE doc_id = ANY($1) OR source_path = ANY($2)", [
          set.docs.map((d) => d.meta.id),
          changedPaths,
        ]);
      for (const doc of set.docs)
        await insertDocument(
          tx,
          doc,
          vocabByDoc.get(doc.meta.id) ?? [],
          set.tenants.get(doc.meta.tenant ?? ""),
        );
      let written = 0;
      for (let i = 0; i < allChunks.length; i += BATCH) {
        const batch = allChunks.slice(i, i + BATCH);
        await insertChunks(tx, batch, vector ? embeddings.slice(i, i + BATCH) : undefined, lexicon);
        written += batch.length;
        options.onProgress?.({ kind: "writing", done: written, total: allChunks.length });
      }
      if (bulk) await createFullTextIndex(tx);
      await tx.query("DELETE FROM contacts");
      for (const tenant of set.tenants.values())
        for (const c of tenant.contacts.values())
          await tx.query(
            "INSERT INTO contacts (tenant, role, label, name, unit, email, phone, teams_upn, slack_user_id, topics) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            [
              tenant.tenant,
              c.role,
              c.label,
              c.name,
              c.unit ?? null,
              c.email ?? null,
              c.phone ?? null,
              c.teamsUpn ?? null,
              c.slackUserId ?? null,
              c.topics ?? [],
            ],
          );
      await tx.query("DELETE FROM lexeme_stats");
      await tx.query(
        "INSERT INTO lexeme_stats (lexeme, ndoc) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks')",
      );
      // Partial on the dimension: an index build also reads rows this transaction deleted, which may have another one.
      // ef_construction 40 instead of pgvector's 64: the build takes two thirds of the time, and recall@10 against exact
      // search at 20,000 chunks drops from 0.87 to 0.85 (both measured in `npm run bench`).
      if (vector)
        await tx.query(
          `CREATE INDEX IF NOT EXISTS ${vectorIndexName(embedder.dim)} ON chunks USING hnsw ((embedding::vector(${embedder.dim})) vector_cosine_ops) WITH (m = 16, ef_construction = 40) WHERE vector_dims(embedding) = ${embedder.dim}`,
        );
      await upsertMeta(tx, SYNONYMS_KEY, set.synonyms);
      // The thesaurus and dictionary reduced to this vocabulary, so that a server start need not read them.
      await writeQueryVocabulary(tx, loadThesaurus(), dictionaryEntries());
      await upsertMeta(tx, "embedder", { name: embedder.name, dim: embedder.dim });
      await upsertMeta(tx, "knowledge_config", configHash);
      await upsertMeta(tx, "last_ingest", { at: now().toISOString(), documents: presentIds.size });
    });
  } catch (cause) {
    throw new LotseError(
      "INGEST_FAILED",
      `Import fehlgeschlagen, der bisherige Index bleibt in Betrieb: ${(cause as Error).message}`,
      { cause },
    );
  }
  return summarize(
    set.unchanged.length,
    added,
    set.docs.length - added,
    removed.length,
    findings,
    reembed,
    configChanged,
    started,
    allChunks.length,
  );
}

function summarize(
  unchanged: number,
  added: number,
  updated: number,
  removed: number,
  findings: Finding[],
  reembedded: boolean,
  contactsUpdated: boolean,
  started: number,
  chunks = 0,
): IngestSummary {
  return {
    files: unchanged + added + updated,
    added,
    updated,
    removed,
    unchanged,
    chunks,
    reembedded,
    contactsUpdated,
    warnings: findings.filter((f) => f.severity === "warning"),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Hash of every tenant's contacts with their role labels: exactly what the contacts table is made of. */
function contactsFingerprint(set: KnowledgeSet): string {
  const rows = [...set.tenants.values()]
    .sort((a, b) => a.tenant.localeCompare(b.tenant))
    .map((t) => [t.tenant, [...t.contacts.values()].sort((a, b) => a.role.localeCompare(b.role))]);
  return createHash("sha256").update(JSON.stringify(rows)).digest("hex");
}

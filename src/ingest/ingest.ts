import { createHash } from "node:crypto";
import { type Database, oneAtATime } from "../db/database.ts";
import { hasVectorColumn } from "../db/migrate.ts";
import { LotseError } from "../errors.ts";
import { type Chunk, chunkDocument } from "../knowledge/chunk.ts";
import { type KnowledgeSet, loadKnowledge } from "../knowledge/load-knowledge.ts";
import { SYNONYMS_KEY, type SynonymSet, synonymsFingerprint } from "../knowledge/synonyms.ts";
import type { Finding } from "../knowledge/types.ts";
import { formatFindings, hasErrors, type ValidateOptions, validateKnowledge } from "../knowledge/validate.ts";
import type { Embedder } from "../retrieval/embedder.ts";
import { Lexicon, vocabularyOf } from "../text/compounds.ts";
import {
  type DictionaryFiles,
  loadDictionaries,
  reduceForIndex,
  storeReduction,
} from "./query-vocabulary-store.ts";
import {
  createFullTextIndex,
  dropForeignVectorIndexes,
  dropIndexesForBulkWrite,
  insertDocuments,
  upsertMeta,
  vectorIndexName,
  writeChunks,
  writeContacts,
} from "./write-index.ts";

export type IngestProgress =
  | { kind: "reading"; file: string }
  /** Chunks embedded and written: each batch is embedded while the previous one is written, so one count covers both. */
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
  /** Thesaurus and English dictionary reduced to the corpus (default: the committed vocabulary/ files). */
  dictionaries?: DictionaryFiles;
}

const INGEST_LOCK = 7_324_002;
const BULK_WRITE_FROM = 2000;

/**
 * Loads, validates, chunks, embeds and writes the knowledge directory in one transaction: a failure leaves the
 * previous index untouched. Files whose content hash is unchanged are skipped; a different embedder re-embeds all.
 * The embedded database works in its own thread: chunks are embedded while the previous batch is written, and the
 * dictionaries are reduced to the new vocabulary while the index is built.
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

  // Read and gunzipped in libuv's pool while the documents are chunked below; an error surfaces where it is awaited.
  const dictionaries = loadDictionaries(options.dictionaries);
  dictionaries.catch(() => undefined);
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
  const added = set.docs.filter((d) => !existingIds.has(d.meta.id)).length;

  try {
    await db.transaction(async (transaction) => {
      // Statements are sent ahead (chunks while the dictionaries are reduced): one at a time all the same.
      const tx = oneAtATime(transaction);
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
      await insertDocuments(
        tx,
        set.docs.map((doc) => ({
          doc,
          vocabulary: vocabByDoc.get(doc.meta.id) ?? [],
          tenant: set.tenants.get(doc.meta.tenant ?? ""),
        })),
      );
      // The documents hold the new vocabulary now. Reduced on this thread in slices while the database writes chunks
      // and builds indexes; an error surfaces where it is awaited.
      const reduction = reduceForIndex(tx, dictionaries);
      reduction.catch(() => undefined);
      await writeChunks(tx, allChunks, vector ? embedder : undefined, lexicon, (done) =>
        options.onProgress?.({ kind: "writing", done, total: allChunks.length }),
      );
      if (bulk) await createFullTextIndex(tx);
      await writeContacts(tx, set.tenants.values());
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
      // The thesaurus and dictionary reduced to this vocabulary, so that a server start need not read them.
      await storeReduction(tx, await reduction);
      await upsertMeta(tx, [
        [SYNONYMS_KEY, set.synonyms],
        ["embedder", { name: embedder.name, dim: embedder.dim }],
        ["knowledge_config", configHash],
        ["last_ingest", { at: now().toISOString(), documents: presentIds.size }],
      ]);
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

import { Assistant } from "./assistant/assistant.ts";
import { ExtractiveComposer } from "./assistant/compose-extractive.ts";
import { Templates } from "./assistant/templates.ts";
import type { Config } from "./config.ts";
import { ConversationStore } from "./core/conversation-store.ts";
import { EventClaims } from "./core/event-claims.ts";
import { Router } from "./core/router.ts";
import { Tenancy } from "./core/tenancy.ts";
import { WorkTracker } from "./core/work-tracker.ts";
import type { Database } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { openPostgres } from "./db/pg-database.ts";
import { openPglite } from "./db/pglite-database.ts";
import { FeedbackStore } from "./feedback/feedback-store.ts";
import { type IngestProgress, type IngestSummary, ingest } from "./ingest/ingest.ts";
import type { ValidateOptions } from "./knowledge/validate.ts";
import type { Logger } from "./log.ts";
import type { Embedder } from "./retrieval/embedder.ts";
import { HashedNgramEmbedder } from "./retrieval/hashed-ngram-embedder.ts";
import { Retriever } from "./retrieval/retriever.ts";

/** Database reachable, knowledge ingested, and whether the server is shutting down. */
export interface Readiness {
  ok: boolean;
  database: boolean;
  documents: number;
  stopping?: boolean;
}

/** Everything the adapters need, wired from the configuration. */
export interface Runtime {
  config: Config;
  db: Database;
  embedder: Embedder;
  retriever: Retriever;
  assistant: Assistant;
  router: Router;
  tenancy: Tenancy;
  templates: Templates;
  conversations: ConversationStore;
  feedback: FeedbackStore;
  eventClaims: EventClaims;
  /** Acknowledged work still running; shutdown drains it before closing the database. */
  work: WorkTracker;
  /** Re-reads knowledge/ into the index and refreshes the in-memory statistics. */
  ingest(options?: { force?: boolean; onProgress?: (p: IngestProgress) => void }): Promise<IngestSummary>;
  /** Database reachable and at least one document indexed. */
  ready(): Promise<Readiness>;
  close(): Promise<void>;
}

export function createEmbedder(config: Config): Embedder {
  return new HashedNgramEmbedder(config.embedder.dim);
}

/** Opens the configured database (server through DATABASE_URL, otherwise embedded PGlite) and migrates it. */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dataDir);
  const result = await migrate(db);
  if (result.applied.length > 0) log.info({ applied: result.applied }, "database migrated");
  if (!result.vector)
    log.warn(
      { code: "VECTOR_UNAVAILABLE" },
      "pgvector extension is not installed on this PostgreSQL server: retrieval runs lexical-only (full-text search without vector similarity). Install pgvector to enable hybrid search.",
    );
  return db;
}

/** What validation needs from the configuration: the tenants that must have a folder and the fallback contact role. */
export function validationOptions(config: Config): ValidateOptions {
  return {
    defaultTenant: config.defaultTenant,
    defaultContactRole: config.defaultContactRole,
    mappedTenants: config.tenantMap.map((m) => m.tenant),
  };
}

/** Builds the runtime; with autoIngest (embedded default) knowledge/ is ingested when it changed. */
export async function createRuntime(
  config: Config,
  log: Logger,
  options: { autoIngest?: boolean } = {},
): Promise<Runtime> {
  const db = await openDatabase(config, log);
  try {
    const templates = await Templates.load(config.promptsDir);
    const embedder = createEmbedder(config);
    const retriever = new Retriever(db, embedder);
    const composer = new ExtractiveComposer({
      templates,
      minConfidence: config.minConfidence,
      tentativeConfidence: config.tentativeConfidence,
      defaultContactRole: config.defaultContactRole,
    });
    const assistant = new Assistant(db, retriever, composer);
    const tenancy = Tenancy.fromConfig(config);
    const router = new Router({
      assistant,
      templates,
      tenancy,
      log,
      maxQuestionChars: config.maxQuestionChars,
      defaultContactRole: config.defaultContactRole,
      logMessages: config.logMessages,
    });
    const runtime: Runtime = {
      config,
      db,
      embedder,
      retriever,
      assistant,
      router,
      tenancy,
      templates,
      conversations: new ConversationStore(db),
      feedback: new FeedbackStore(db),
      eventClaims: new EventClaims(db),
      work: new WorkTracker(),
      async ingest(opts = {}) {
        const summary = await ingest(db, embedder, {
          knowledgeDir: config.knowledgeDir,
          validation: validationOptions(config),
          ...opts,
        });
        await assistant.refresh();
        return summary;
      },
      async ready() {
        // A stopping server is not ready: load balancers should send new work elsewhere.
        if (!runtime.work.accepting) return { ok: false, database: true, documents: 0, stopping: true };
        try {
          const r = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM documents");
          const documents = Number(r.rows[0]?.n ?? 0);
          return { ok: documents > 0, database: true, documents };
        } catch {
          return { ok: false, database: false, documents: 0 };
        }
      },
      close: () => db.close(),
    };
    if (options.autoIngest ?? config.autoIngest) {
      const summary = await runtime.ingest();
      log.info({ ...summary, warnings: summary.warnings.length }, "knowledge ingested");
    } else await assistant.refresh();
    return runtime;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

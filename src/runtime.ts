import { Assistant } from "./assistant/assistant.ts";
import { ExtractiveComposer } from "./assistant/compose-extractive.ts";
import { describeContact } from "./assistant/contacts.ts";
import { QuestionFeature } from "./assistant/question-feature.ts";
import { ShareFeature } from "./assistant/share-feature.ts";
import { Templates } from "./assistant/templates.ts";
import type { Config } from "./config.ts";
import { ConversationCore } from "./core/conversation-core.ts";
import { ConversationStore } from "./core/conversation-store.ts";
import { EventClaims } from "./core/event-claims.ts";
import { FirstContact } from "./core/first-contact.ts";
import type { Notifier } from "./core/notifier.ts";
import { People } from "./core/people.ts";
import { Pseudonyms, pseudonymiseStoredFeedback } from "./core/pseudonyms.ts";
import type { Roster } from "./core/roster.ts";
import { Router } from "./core/router.ts";
import { Tenancy } from "./core/tenancy.ts";
import { TurnStore } from "./core/turn-store.ts";
import { WorkTracker } from "./core/work-tracker.ts";
import type { Database } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { openPostgres } from "./db/pg-database.ts";
import { openPglite } from "./db/pglite-database.ts";
import { FeedbackFeature } from "./feedback/feedback-feature.ts";
import { FeedbackStore } from "./feedback/feedback-store.ts";
import { GapDigestJob } from "./gaps/gap-digest-job.ts";
import { GapReport } from "./gaps/gap-report.ts";
import { HelpFeature } from "./help/help-feature.ts";
import { type IngestProgress, type IngestSummary, ingest } from "./ingest/ingest.ts";
import { planJobs } from "./jobs/job-store.ts";
import { Scheduler } from "./jobs/scheduler.ts";
import type { ValidateOptions } from "./knowledge/validate.ts";
import type { Logger } from "./log.ts";
import { OnboardingFeature } from "./onboarding/onboarding-feature.ts";
import { OnboardingNudgeJob } from "./onboarding/onboarding-nudge-job.ts";
import { OnboardingPaths } from "./onboarding/onboarding-paths.ts";
import { moveOnboarding } from "./onboarding/onboarding-store.ts";
import { OnboardingReportFeature } from "./onboarding/report-feature.ts";
import { OnboardingReport } from "./onboarding/report-onboarding.ts";
import { RetentionJob } from "./privacy/retention-job.ts";
import { retentionPurges } from "./privacy/retention-purges.ts";
import { DeadlineFeature } from "./reminders/deadline-feature.ts";
import { DeadlineLookup } from "./reminders/deadline-lookup.ts";
import { DeadlineNoticeJob } from "./reminders/deadline-notice-job.ts";
import { DeadlineSubscriptions } from "./reminders/deadline-subscriptions.ts";
import { Deadlines } from "./reminders/deadlines/deadlines.ts";
import { ReminderFeature } from "./reminders/reminder-feature.ts";
import { ReminderJob } from "./reminders/reminder-job.ts";
import { deadlineRender, reminderRender } from "./reminders/reminder-views.ts";
import { Reminders } from "./reminders/reminders.ts";
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
  /** The conversation core every chat platform hands its inputs to. */
  core: ConversationCore;
  tenancy: Tenancy;
  templates: Templates;
  conversations: ConversationStore;
  feedback: FeedbackStore;
  turns: TurnStore;
  pseudonyms: Pseudonyms;
  /** The person behind a platform user (linked by email pseudonym across the tenant's platforms). */
  people: People;
  eventClaims: EventClaims;
  /**
   * The platforms' notifiers for messages nobody asked for (reminders, onboarding nudges, digests): each adapter
   * registers its own when it starts (it needs the platform's client), features reach them here.
   */
  notifiers: Map<Notifier["platform"], Notifier>;
  /** The platforms' rosters (who is in which user group, who owns a team): each adapter registers its own. */
  rosters: Map<Roster["platform"], Roster>;
  /** Reminders (channel and personal): created in chat or by the CLI, delivered by the scheduler. */
  reminders: Reminders;
  /** The tenant's deadlines (documents of type deadline with a `due` schedule). */
  deadlines: Deadlines;
  /** Channels subscribed to all of a tenant's deadlines. */
  subscriptions: DeadlineSubscriptions;
  /**
   * The one scheduler (src/jobs/): `lotse serve` starts it (LOTSE_SCHEDULER), `lotse reminders run-due` runs it once;
   * reminder occurrences, deadline notices, onboarding nudges, the weekly gap digest and the daily retention clean-up
   * are its job kinds.
   */
  scheduler: Scheduler;
  /** The tenants' onboarding paths, read from knowledge/ (refreshed after each ingest). */
  onboardingPaths: OnboardingPaths;
  /** Aggregated onboarding progress for coordinators (`lotse report onboarding`, "onboarding bericht"). */
  onboardingReport: OnboardingReport;
  /** Unanswered and voted-down questions, grouped (`lotse report gaps`, the weekly digest). */
  gapReport: GapReport;
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
    const pseudonyms = await Pseudonyms.open(db, config.pseudonymKey);
    const rewritten = await pseudonymiseStoredFeedback(db, pseudonyms);
    if (rewritten > 0) log.info({ rows: rewritten }, "stored feedback pseudonymised");
    // Onboarding progress follows a person who turns out to be linked by email (begun before the link was known).
    const people = new People(db, pseudonyms, [moveOnboarding]);
    const conversations = new ConversationStore(db);
    const feedback = new FeedbackStore(db);
    const turns = new TurnStore(db);
    const firstContact = new FirstContact(db);
    const notifiers = new Map<Notifier["platform"], Notifier>();
    const rosters = new Map<Roster["platform"], Roster>();
    const wake = () => scheduler.wake();
    const reminders = new Reminders({ db, log, wake });
    const deadlines = new Deadlines(db);
    const deadlineLookup = new DeadlineLookup(deadlines);
    const subscriptions = new DeadlineSubscriptions({
      db,
      deadlines,
      log,
      wake,
      graceMs: config.reminderGraceMs,
    });
    // Per tenant (retention_days, default LOTSE_RETENTION_DAYS): conversation turns, the question and comment of a
    // 👍/👎 (ratings and reasons stay), reminder drafts older than a day.
    const retention = new RetentionJob({
      log,
      purges: retentionPurges({
        db,
        tenantSettings: config.tenantSettings,
        defaultDays: config.retentionDays,
      }),
    });
    const onboardingPaths = new OnboardingPaths(config.knowledgeDir);
    const contactsOf = async (tenant: string) => assistant.contacts(tenant);
    const onboarding = new OnboardingFeature({
      db,
      paths: onboardingPaths,
      people,
      rosters,
      templates,
      tenantSettings: config.tenantSettings,
      notifiers,
      contacts: contactsOf,
      log,
      wake,
    });
    const onboardingReport = new OnboardingReport({
      db,
      tenantSettings: config.tenantSettings,
      templates,
      paths: onboardingPaths,
    });
    const gapReport = new GapReport({
      db,
      embedder,
      defaultContactRole: config.defaultContactRole,
      retentionDays: (t) => config.tenantSettings.of(t).retentionDays ?? config.retentionDays,
    });
    const gapDigest = new GapDigestJob({
      report: gapReport,
      tenantSettings: config.tenantSettings,
      notifiers,
      templates,
      log,
    });
    // A refusal names the tenant's sustainability coordination (the default contact role) with mail and phone.
    const whoCanHelp = async (tenant: string) => {
      const c = (await assistant.contacts(tenant)).get(config.defaultContactRole);
      return c ? describeContact(c) : undefined;
    };
    const scheduler: Scheduler = new Scheduler({
      db,
      log,
      pollMs: config.schedulerPollMs,
      handlers: [
        retention,
        new OnboardingNudgeJob({ db, paths: onboardingPaths, templates, notifiers, log }),
        gapDigest,
        new ReminderJob({
          db,
          notifiers,
          render: reminderRender(templates),
          log,
          graceMs: config.reminderGraceMs,
        }),
        new DeadlineNoticeJob({
          subscriptions,
          deadlines,
          notifiers,
          render: deadlineRender(templates),
          log,
          graceMs: config.reminderGraceMs,
        }),
      ],
    });
    const core = new ConversationCore({
      tenancy,
      templates,
      log,
      conversations,
      turns,
      pseudonyms,
      people,
      // Tracked like acknowledged work: shutdown waits for it before the database closes.
      later: (work, platform) => {
        if (!runtime.work.accepting) return false; // shutting down: the feature awaits the work itself
        void runtime.work.track({ platform }, () => work).catch(() => undefined);
        return true;
      },
      defaultContact: async (tenant) => (await assistant.contacts(tenant)).get(config.defaultContactRole),
      features: [
        new HelpFeature({ templates, firstContact, log, onboarding }),
        // Before onboarding: "onboarding bericht" is the report, plain "onboarding" the path.
        new OnboardingReportFeature({
          report: onboardingReport,
          templates,
          tenantSettings: config.tenantSettings,
          rosters,
          log,
          whoCanHelp,
        }),
        onboarding,
        new ReminderFeature({
          reminders,
          deadlines,
          templates,
          tenantSettings: config.tenantSettings,
          rosters,
          log,
          whoCanHelp,
        }),
        new DeadlineFeature({
          subscriptions,
          deadlines,
          templates,
          tenantSettings: config.tenantSettings,
          rosters,
          log,
        }),
        new FeedbackFeature({ store: feedback, templates, log }),
        new ShareFeature({ router, templates }),
        new QuestionFeature({
          router,
          templates,
          turns,
          firstContact,
          log,
          followUpMinutes: config.followUpMinutes,
          deadlineFor: (tenant, docIds) => deadlineLookup.first(tenant, docIds),
        }),
      ],
    });
    const runtime: Runtime = {
      config,
      db,
      embedder,
      retriever,
      assistant,
      router,
      core,
      tenancy,
      templates,
      conversations,
      feedback,
      turns,
      pseudonyms,
      people,
      notifiers,
      rosters,
      reminders,
      deadlines,
      subscriptions,
      scheduler,
      onboardingPaths,
      onboardingReport,
      gapReport,
      eventClaims: new EventClaims(db),
      work: new WorkTracker(),
      async ingest(opts = {}) {
        const summary = await ingest(db, embedder, {
          knowledgeDir: config.knowledgeDir,
          validation: validationOptions(config),
          ...opts,
        });
        await assistant.refresh();
        deadlineLookup.refresh();
        onboardingPaths.refresh();
        // A deadline added or moved: subscribed channels hear of it (planning is idempotent).
        await subscriptions.replan(new Date());
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
      close: async () => {
        await scheduler.stop();
        await db.close();
      },
    };
    // Today's clean-up (due at once after 03:00; planned once however often Lotse starts): the scheduler runs it.
    // The weekly gap digest of every tenant with a digest channel, likewise planned once.
    await planJobs(db, [retention.today(new Date()), ...gapDigest.planned(new Date())]);
    if (options.autoIngest ?? config.autoIngest) {
      const summary = await runtime.ingest();
      log.info({ ...summary, warnings: summary.warnings.length }, "knowledge ingested");
    } else {
      await assistant.refresh();
      await subscriptions.replan(new Date());
    }
    return runtime;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

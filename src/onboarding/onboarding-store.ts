import type { Platform } from "../core/inbound.ts";
import type { Database, Queryable } from "../db/database.ts";
import type { NewJob } from "../jobs/job.ts";
import { cancelJobs, planJobs } from "../jobs/job-store.ts";

/** Where one person is in the tenant's onboarding path (a row of onboarding_progress). */
export interface Progress {
  tenant: string;
  person: string;
  role: string | null;
  currentModule: string | null;
  completed: string[];
  status: "active" | "paused" | "completed";
  platform: string;
  notifyUserId: string | null;
  nudges: boolean;
  lastNudgeAt: Date | null;
  displayName: string | null;
  startedAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/**
 * Who took the step: the platform and user id a nudge would go to (kept only while nudges may go), and the name a
 * per-person report shows (null unless the tenant switched per-person reporting on).
 */
export interface StepBy {
  platform: Platform;
  userId: string | null;
  displayName: string | null;
  at: Date;
}

/** A counter of onboarding_stats: a module or path item, its metric, and for answers the choice. */
export interface StatIncrement {
  item: string;
  metric: "started" | "completed" | "answer";
  choice?: string;
  correct?: boolean;
}

/** The path item of the common path and of a role add-on in onboarding_stats. */
export const PATH_ALL = "pfad:alle";
export const pathItem = (role: string): string => `pfad:${role}`;

/** The jobs subject of a person's nudges: "onboarding:<tenant>:<person>". */
export function nudgeSubject(tenant: string, person: string): string {
  return `onboarding:${tenant}:${person}`;
}

const COLUMNS =
  "tenant, person, role, current_module, completed, status, platform, notify_user_id, nudges, last_nudge_at, display_name, started_at, updated_at, completed_at";

/**
 * Who took the step, in every UPDATE: platform, name (or none), and the user id only while nudges may still go
 * (nudges on, not completed). `$3`…`$6` are the StepBy parameters of byParams().
 */
const BY_SET = `platform = $3, display_name = $4, updated_at = $5::timestamptz,
  notify_user_id = CASE WHEN nudges AND status <> 'completed' THEN $6 ELSE NULL END`;

function byParams(by: StepBy): unknown[] {
  return [by.platform, by.displayName, by.at.toISOString(), by.userId];
}

/**
 * Onboarding progress per (tenant, person) and the aggregates beside it. Every step is one conditional UPDATE …
 * RETURNING, with its counters in the same transaction: two presses at once (or two replicas) change and count a step
 * once; a press the row no longer matches (a stale card, a forged value) changes nothing.
 */
export class OnboardingStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async get(tenant: string, person: string, q: Queryable = this.db): Promise<Progress | undefined> {
    const r = await q.query(`SELECT ${COLUMNS} FROM onboarding_progress WHERE tenant = $1 AND person = $2`, [
      tenant,
      person,
    ]);
    return r.rows[0] ? toProgress(r.rows[0]) : undefined;
  }

  /** The person's row, created (before any module: role not chosen yet) where there is none. */
  async begin(tenant: string, person: string, by: StepBy): Promise<Progress> {
    const r = await this.db.query(
      `INSERT INTO onboarding_progress (tenant, person, platform, display_name, started_at, updated_at, notify_user_id)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz, $6)
       ON CONFLICT (tenant, person) DO UPDATE SET platform = $3, display_name = $4, updated_at = $5::timestamptz,
         notify_user_id = CASE WHEN onboarding_progress.nudges AND onboarding_progress.status <> 'completed'
           THEN $6 ELSE NULL END
       RETURNING ${COLUMNS}`,
      [tenant, person, ...byParams(by)],
    );
    return toProgress(r.rows[0] as Record<string, unknown>);
  }

  /**
   * The role add-on chosen (null: none) and the first module entered, once: only while no module is current.
   * Counts the paths and the first module as started. Undefined when the choice was made already.
   */
  async chooseRole(
    tenant: string,
    person: string,
    role: string | null,
    first: string,
    by: StepBy,
  ): Promise<Progress | undefined> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query(
        `UPDATE onboarding_progress SET role = $7, current_module = $8, status = 'active', ${BY_SET}
         WHERE tenant = $1 AND person = $2 AND current_module IS NULL
         RETURNING ${COLUMNS}`,
        [tenant, person, ...byParams(by), role, first],
      );
      if (!r.rows[0]) return undefined;
      await count(tx, tenant, [
        { item: PATH_ALL, metric: "started" },
        ...(role ? [{ item: pathItem(role), metric: "started" as const }] : []),
        { item: first, metric: "started" },
      ]);
      return toProgress(r.rows[0]);
    });
  }

  /**
   * The check question of `module` answered: recorded and counted once, only while the module is not completed yet
   * (a second press, at once or later, counts nothing). Completes the paths whose last module this was, and the
   * whole onboarding when every module of the person's path is done (the nudge target is then forgotten).
   */
  async answer(
    tenant: string,
    person: string,
    step: {
      module: string;
      choice: string;
      correct: boolean;
      /** The person's role as the modules below were chosen for (the row must still have it). */
      role: string | null;
      commonModules: string[];
      roleModules: string[];
    },
    by: StepBy,
  ): Promise<{ counted: boolean; progress: Progress | undefined }> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query(
        `UPDATE onboarding_progress SET
           completed = array_append(completed, $7::text),
           current_module = $7,
           status = CASE WHEN $8::text[] <@ array_append(completed, $7::text) THEN 'completed' ELSE 'active' END,
           completed_at = CASE WHEN $8::text[] <@ array_append(completed, $7::text) THEN $5::timestamptz ELSE NULL END,
           platform = $3, display_name = $4, updated_at = $5::timestamptz,
           notify_user_id = CASE WHEN nudges AND NOT ($8::text[] <@ array_append(completed, $7::text)) THEN $6 ELSE NULL END
         WHERE tenant = $1 AND person = $2 AND current_module = $7 AND NOT ($7 = ANY(completed))
           AND role IS NOT DISTINCT FROM $9
         RETURNING ${COLUMNS}`,
        [
          tenant,
          person,
          ...byParams(by),
          step.module,
          [...step.commonModules, ...step.roleModules],
          step.role,
        ],
      );
      if (!r.rows[0]) return { counted: false, progress: await this.get(tenant, person, tx) };
      const progress = toProgress(r.rows[0]);
      const done = new Set(progress.completed);
      const counters: StatIncrement[] = [
        { item: step.module, metric: "answer", choice: step.choice, correct: step.correct },
        { item: step.module, metric: "completed" },
      ];
      if (step.commonModules.includes(step.module) && step.commonModules.every((m) => done.has(m)))
        counters.push({ item: PATH_ALL, metric: "completed" });
      if (
        progress.role &&
        step.roleModules.includes(step.module) &&
        step.roleModules.every((m) => done.has(m))
      )
        counters.push({ item: pathItem(progress.role), metric: "completed" });
      await count(tx, tenant, counters);
      return { counted: true, progress };
    });
  }

  /**
   * From module `from` (answered) to `to` ("Weiter", "Zurück"): only while `from` is the current module, so a stale
   * or repeated press moves nothing. `to` is counted as started the first time (it is not completed: a module not
   * yet completed is left only forward by answering it, so it is entered once). Undefined when nothing moved.
   */
  async move(
    tenant: string,
    person: string,
    from: string,
    to: string,
    by: StepBy,
  ): Promise<Progress | undefined> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query(
        `UPDATE onboarding_progress SET current_module = $8,
           status = CASE WHEN status = 'completed' THEN 'completed' ELSE 'active' END, ${BY_SET}
         WHERE tenant = $1 AND person = $2 AND current_module = $7 AND $7 = ANY(completed)
         RETURNING ${COLUMNS}`,
        [tenant, person, ...byParams(by), from, to],
      );
      if (!r.rows[0]) return undefined;
      const progress = toProgress(r.rows[0]);
      if (!progress.completed.includes(to)) await count(tx, tenant, [{ item: to, metric: "started" }]);
      return progress;
    });
  }

  /** The current module moved to `to` because `from` left the knowledge base (only while `from` is current). */
  async relocate(
    tenant: string,
    person: string,
    from: string,
    to: string,
    by: StepBy,
  ): Promise<Progress | undefined> {
    const r = await this.db.query(
      `UPDATE onboarding_progress SET current_module = $8, ${BY_SET}
       WHERE tenant = $1 AND person = $2 AND current_module = $7 RETURNING ${COLUMNS}`,
      [tenant, person, ...byParams(by), from, to],
    );
    return r.rows[0] ? toProgress(r.rows[0]) : undefined;
  }

  /** Back to work after a pause (resume, a step): paused → active. */
  async resume(tenant: string, person: string, by: StepBy): Promise<Progress | undefined> {
    const r = await this.db.query(
      `UPDATE onboarding_progress SET status = 'active', ${BY_SET}
       WHERE tenant = $1 AND person = $2 AND status = 'paused' RETURNING ${COLUMNS}`,
      [tenant, person, ...byParams(by)],
    );
    return r.rows[0] ? toProgress(r.rows[0]) : undefined;
  }

  /**
   * "Später fortsetzen": active → paused, once; `nudge` (given the row as paused) is planned in the same transaction,
   * so a pause and its nudge are kept together or not at all. Undefined when it was not active.
   */
  async pause(
    tenant: string,
    person: string,
    by: StepBy,
    nudge: (p: Progress) => NewJob | undefined,
  ): Promise<{ progress: Progress; planned: NewJob | undefined } | undefined> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query(
        `UPDATE onboarding_progress SET status = 'paused', ${BY_SET}
         WHERE tenant = $1 AND person = $2 AND status = 'active' AND current_module IS NOT NULL
         RETURNING ${COLUMNS}`,
        [tenant, person, ...byParams(by)],
      );
      if (!r.rows[0]) return undefined;
      const progress = toProgress(r.rows[0]);
      const job = nudge(progress);
      const planned = job ? await planNudge(tx, job) : undefined;
      return { progress, planned };
    });
  }

  /** "Keine Erinnerungen mehr" (or the person cannot be reached): no more nudges, planned ones cancelled. */
  async stopNudges(tenant: string, person: string, at: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query(
        `UPDATE onboarding_progress SET nudges = false, notify_user_id = NULL, updated_at = $3::timestamptz
         WHERE tenant = $1 AND person = $2 RETURNING 1`,
        [tenant, person, at.toISOString()],
      );
      await cancelJobs(tx, nudgeSubject(tenant, person), at);
      return r.rows.length > 0;
    });
  }

  /** A nudge was delivered at `at`. */
  async nudged(tenant: string, person: string, at: Date): Promise<void> {
    await this.db.query(
      "UPDATE onboarding_progress SET last_nudge_at = $3::timestamptz WHERE tenant = $1 AND person = $2",
      [tenant, person, at.toISOString()],
    );
  }
}

/**
 * Plans a nudge; where the week already has one (its key), that one stands: still pending, it is the nudge (at its
 * own time); finished without reaching the person (they had resumed, or it was cancelled), it is planned again for
 * the new time. A nudge delivered this week (or running now) leaves nothing to plan.
 */
async function planNudge(tx: Queryable, job: NewJob): Promise<NewJob | undefined> {
  if ((await planJobs(tx, [job])) > 0) return job;
  const r = await tx.query<{ due_at: Date | string; status: string }>(
    `UPDATE jobs SET status = 'pending', due_at = $3::timestamptz, run_at = $3::timestamptz, attempts = 0,
       locked_by = NULL, locked_until = NULL, late = false, outcome = NULL, finished_at = NULL
     WHERE kind = $1 AND job_key = $2 AND status IN ('done', 'cancelled', 'skipped', 'failed')
       AND outcome IS DISTINCT FROM 'delivered'
     RETURNING due_at, status`,
    [job.kind, job.key, job.dueAt.toISOString()],
  );
  if (r.rows[0]) return job;
  const pending = await tx.query<{ due_at: Date | string }>(
    "SELECT due_at FROM jobs WHERE kind = $1 AND job_key = $2 AND status = 'pending'",
    [job.kind, job.key],
  );
  const due = pending.rows[0]?.due_at;
  return due ? { ...job, dueAt: new Date(due) } : undefined;
}

/**
 * Moves a person's onboarding to the person they turned out to be (People.link: a platform pseudonym became linked
 * to an email pseudonym), in the link's transaction: the row and its pending nudge follow; where the email person
 * already has a row (begun on the other platform), the one further along stays and the other goes.
 */
export async function moveOnboarding(q: Queryable, tenant: string, from: string, to: string): Promise<void> {
  const rows = await q.query<{ person: string; done: number; status: string }>(
    `SELECT person, cardinality(completed) AS done, status FROM onboarding_progress
     WHERE tenant = $1 AND person = ANY($2::text[]) FOR UPDATE`,
    [tenant, [from, to]],
  );
  const old = rows.rows.find((r) => r.person === from);
  if (!old) return;
  const existing = rows.rows.find((r) => r.person === to);
  const rank = (r: { done: number; status: string }) => (r.status === "completed" ? 1e6 : 0) + Number(r.done);
  if (existing && rank(existing) >= rank(old)) {
    await q.query("DELETE FROM onboarding_progress WHERE tenant = $1 AND person = $2", [tenant, from]);
  } else {
    if (existing) {
      await q.query("DELETE FROM onboarding_progress WHERE tenant = $1 AND person = $2", [tenant, to]);
      // The replaced row's nudges go with it: the moved row's are the ones to keep.
      await q.query(
        "UPDATE jobs SET status = 'cancelled', finished_at = now() WHERE tenant = $1 AND subject = $2 AND status = 'pending'",
        [tenant, nudgeSubject(tenant, to)],
      );
    }
    await q.query("UPDATE onboarding_progress SET person = $3 WHERE tenant = $1 AND person = $2", [
      tenant,
      from,
      to,
    ]);
  }
  // The pending nudges of the old pseudonym are the moved row's (or, where it went, nobody's).
  const keep = !existing || rank(existing) < rank(old);
  if (keep)
    await q.query(
      `UPDATE jobs SET payload = jsonb_set(payload, '{person}', to_jsonb($3::text)),
         subject = $4, job_key = replace(job_key, $2, $3), lane = replace(lane, $2, $3)
       WHERE tenant = $1 AND subject = $5 AND status = 'pending'
         AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = jobs.kind AND j.job_key = replace(jobs.job_key, $2, $3))`,
      [tenant, from, to, nudgeSubject(tenant, to), nudgeSubject(tenant, from)],
    );
  await q.query(
    "UPDATE jobs SET status = 'cancelled', finished_at = now() WHERE tenant = $1 AND subject = $2 AND status = 'pending'",
    [tenant, nudgeSubject(tenant, from)],
  );
}

/** Adds one to each counter, in one statement. */
async function count(q: Queryable, tenant: string, counters: StatIncrement[]): Promise<void> {
  if (counters.length === 0) return;
  const rows = counters.map((c) => ({
    item: c.item,
    metric: c.metric,
    choice: c.choice ?? "",
    correct: c.correct ?? null,
  }));
  await q.query(
    `INSERT INTO onboarding_stats (tenant, item, metric, choice, correct, count)
     SELECT $1, item, metric, choice, correct, 1
     FROM jsonb_to_recordset($2::jsonb) AS x(item text, metric text, choice text, correct boolean)
     ON CONFLICT (tenant, item, metric, choice) DO UPDATE SET count = onboarding_stats.count + 1`,
    [tenant, JSON.stringify(rows)],
  );
}

function toProgress(row: Record<string, unknown>): Progress {
  const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
  return {
    tenant: String(row.tenant),
    person: String(row.person),
    role: (row.role as string | null) ?? null,
    currentModule: (row.current_module as string | null) ?? null,
    completed: (row.completed as string[] | null) ?? [],
    status: row.status as Progress["status"],
    platform: String(row.platform),
    notifyUserId: (row.notify_user_id as string | null) ?? null,
    nudges: row.nudges === true,
    lastNudgeAt: date(row.last_nudge_at),
    displayName: (row.display_name as string | null) ?? null,
    startedAt: date(row.started_at) as Date,
    updatedAt: date(row.updated_at) as Date,
    completedAt: date(row.completed_at),
  };
}

import type { Database } from "../../src/db/database.ts";
import type { Clock, Job, JobHandler, JobResult, NewJob, RunContext } from "../../src/jobs/job.ts";

export const KIND = "reminder.occurrence";
export const DAY = 86_400_000;
export const T0 = new Date("2027-03-01T08:00:00.000Z");

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  t: Date;
  constructor(t: Date = T0) {
    this.t = t;
  }
  now(): Date {
    return this.t;
  }
  advance(ms: number): Date {
    this.t = new Date(this.t.getTime() + ms);
    return this.t;
  }
}

/** An occurrence of a reminder, keyed as the reminders feature keys it ("<subject>@<instant>"). */
export function occurrence(
  subject: string,
  dueAt: Date,
  lane = "slack:C0REPORT",
  tenant = "musterstadt",
): NewJob {
  return {
    kind: KIND,
    key: `${subject}@${dueAt.toISOString()}`,
    tenant,
    subject,
    lane,
    dueAt,
    payload: { text: "Bitte melden Sie die Indikatoren für den Nachhaltigkeitsbericht." },
  };
}

/** The occurrence after this one in a chain stepping `stepMs`. */
export function nextOf(job: Job, stepMs: number): NewJob {
  return occurrence(job.subject ?? "", new Date(job.dueAt.getTime() + stepMs), job.lane, job.tenant);
}

export interface Run {
  key: string;
  ctx: Omit<RunContext, "signal">;
  attempts: number;
}

/**
 * A handler recording every run; `behave` decides the result (default: done with the next occurrence of a daily
 * chain); settled() plans the next occurrence too and records the call.
 */
export function recordingHandler(
  behave: (job: Job, ctx: RunContext) => Promise<JobResult> | JobResult = (job) => ({
    kind: "done",
    outcome: "delivered",
    next: [nextOf(job, DAY)],
  }),
  opts: { graceMs?: number; stepMs?: number } = {},
): JobHandler & { runs: Run[]; settledCalls: { key: string; status: string; outcome: string }[] } {
  const runs: Run[] = [];
  const settledCalls: { key: string; status: string; outcome: string }[] = [];
  return {
    kind: KIND,
    graceMs: opts.graceMs,
    runs,
    settledCalls,
    async run(job, ctx) {
      runs.push({
        key: job.key,
        ctx: { now: ctx.now, late: ctx.late, lastAttempt: ctx.lastAttempt },
        attempts: job.attempts,
      });
      return behave(job, ctx);
    },
    async settled(job, how) {
      settledCalls.push({ key: job.key, status: how.status, outcome: how.outcome });
      return [nextOf(job, opts.stepMs ?? DAY)];
    },
  };
}

/** A `jobs` row by key, as the tests inspect it. */
export async function row(db: Database, key: string): Promise<Record<string, unknown> | undefined> {
  const r = await db.query(
    "SELECT status, attempts, outcome, late, locked_by, locked_until, run_at, finished_at FROM jobs WHERE job_key = $1",
    [key],
  );
  return r.rows[0];
}

/** A Database that counts the statements sent through it (transactions count their statements). */
export function countingDb(db: Database): Database & { count: () => number } {
  let n = 0;
  return {
    kind: db.kind,
    count: () => n,
    query: (sql, params) => {
      n++;
      return db.query(sql, params);
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (sql, params) => {
            n++;
            return tx.query(sql, params);
          },
        }),
      ),
    close: () => db.close(),
  };
}

import type { Database, Queryable } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Job, JobHandler, JobResult, NewJob } from "./job.ts";
import { type Settlement, settleJob } from "./job-claims.ts";
import { planJobs } from "./job-store.ts";
import type { Pacer } from "./pacer.ts";
import type { TickSummary } from "./scheduler-options.ts";

/** How a claimed job ends in this instance. */
export type Finish =
  /** Not started (stopping, lease nearly gone): pending again at once, the attempt not counted. */
  | { kind: "release" }
  /** Its lane is held back longer than worth sleeping: pending again at runAt, the attempt not counted. */
  | { kind: "defer"; runAt: Date }
  /** Beyond its handler's grace window: skipped, not run. */
  | { kind: "skip"; now: Date }
  | { kind: "result"; result: JobResult; late: boolean; now: Date };

export interface FinishContext {
  db: Database;
  me: string;
  log: Logger;
  pacer: Pacer;
  maxAttempts: number;
  backoffMs: (attempt: number) => number;
  summary: TickSummary;
}

/**
 * Records how a claimed job ended, together with what comes next (planned in the same transaction, so a chain of
 * occurrences never breaks or forks). Logs kind, key and outcome — never the payload.
 */
export async function finishJob(c: FinishContext, job: Job, handler: JobHandler, f: Finish): Promise<void> {
  const log = { kind: job.kind, key: job.key };
  const attempt = job.attempts + 1;
  switch (f.kind) {
    case "release":
      await settleJob(c.db, job.id, c.me, { status: "pending", uncount: true });
      return;
    case "defer":
      if (await settleJob(c.db, job.id, c.me, { status: "pending", runAt: f.runAt, uncount: true }))
        c.summary.waited++;
      return;
    case "skip": {
      const how = { status: "skipped", outcome: "missed", now: f.now } as const;
      if (
        await settle(c, job, { status: "skipped", outcome: "missed", late: false, at: f.now }, (tx) =>
          settled(handler, job, how, tx),
        )
      ) {
        c.summary.skipped++;
        c.log.info(
          { event: "job_skipped", ...log, outcome: "missed" },
          "occurrence beyond its grace window skipped",
        );
      }
      return;
    }
  }
  const { result, late, now } = f;
  switch (result.kind) {
    case "done": {
      const outcome = result.outcome ?? "done";
      if (await settle(c, job, { status: "done", outcome, late, at: now }, async () => result.next ?? [])) {
        c.summary.done++;
        c.log.debug({ event: "job_done", ...log, outcome, late }, "job done");
      }
      return;
    }
    case "failed":
      if (
        await settle(
          c,
          job,
          { status: "failed", outcome: result.outcome, late, at: now },
          async () => result.next ?? [],
        )
      ) {
        c.summary.failed++;
        c.log.warn({ event: "job_failed", ...log, outcome: result.outcome }, "job failed for good");
      }
      return;
    case "wait": {
      const afterMs = Math.max(1, result.afterMs);
      if (job.lane) c.pacer.block(job.lane, afterMs);
      const runAt = new Date(now.getTime() + afterMs);
      if (
        await settleJob(c.db, job.id, c.me, {
          status: "pending",
          runAt,
          outcome: "rate_limited",
          uncount: true,
        })
      ) {
        c.summary.waited++;
        c.log.debug({ event: "job_wait", ...log, afterMs }, "platform asked to wait");
      }
      return;
    }
    case "retry": {
      if (attempt >= c.maxAttempts) {
        const how = { status: "failed", outcome: result.outcome, now } as const;
        if (
          await settle(c, job, { status: "failed", outcome: result.outcome, late, at: now }, (tx) =>
            settled(handler, job, how, tx),
          )
        ) {
          c.summary.failed++;
          c.log.warn(
            { event: "job_failed", ...log, outcome: result.outcome, attempts: attempt },
            "job failed after its last attempt",
          );
        }
        return;
      }
      const runAt = new Date(now.getTime() + c.backoffMs(attempt));
      if (
        await settleJob(c.db, job.id, c.me, {
          status: "pending",
          runAt,
          outcome: result.outcome,
          uncount: false,
        })
      ) {
        c.summary.retried++;
        c.log.info(
          { event: "job_retry", ...log, outcome: result.outcome, attempts: attempt },
          "job will be retried",
        );
      }
      return;
    }
  }
}

/** Marks the job and plans what comes next in one transaction; false (and nothing planned) when the claim was lost. */
async function settle(
  c: FinishContext,
  job: Job,
  s: Settlement,
  next: (tx: Queryable) => Promise<NewJob[]>,
): Promise<boolean> {
  const ok = await c.db.transaction(async (tx) => {
    if (!(await settleJob(tx, job.id, c.me, s))) return false;
    await planJobs(tx, await next(tx));
    return true;
  });
  if (!ok)
    c.log.warn(
      { event: "job_lease_lost", kind: job.kind, key: job.key },
      "another instance owns this job now",
    );
  return ok;
}

function settled(
  handler: JobHandler,
  job: Job,
  how: { status: "skipped" | "failed"; outcome: string; now: Date },
  tx: Queryable,
): Promise<NewJob[]> {
  return handler.settled ? handler.settled(job, how, tx) : Promise.resolve([]);
}

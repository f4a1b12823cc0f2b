import { Temporal } from "temporal-polyfill";
import type { Job, JobHandler, JobResult, NewJob } from "../jobs/job.ts";
import type { Logger } from "../log.ts";

/** The job kind of the daily clean-up. */
export const RETENTION_JOB = "retention";
const ZONE = "Europe/Berlin";
/** Local hour the clean-up runs at: a quiet one. */
const HOUR = 3;
/** Jobs carry a tenant; the clean-up is every tenant's. */
const ALL_TENANTS = "*";

/** One kind of text past its retention: what it is (for the log), how long it is kept, and how it is deleted. */
export interface Purge {
  name: string;
  keepMs: number;
  purge(before: Date): Promise<number>;
}

/**
 * A clean-up that works out its own cut-offs from the time of the run (each tenant's retention period, see
 * retention-purges.ts); returns how many rows it deleted or blanked.
 */
export interface TenantPurge {
  name: string;
  purgeAt(now: Date): Promise<number>;
}

/** The clean-up of the Berlin day `date` (YYYY-MM-DD), due at 03:00 local time. */
function dayJob(date: Temporal.PlainDate): NewJob {
  const at = date.toPlainDateTime({ hour: HOUR }).toZonedDateTime(ZONE, { disambiguation: "compatible" });
  return {
    kind: RETENTION_JOB,
    key: date.toString(),
    tenant: ALL_TENANTS,
    dueAt: new Date(at.epochMilliseconds),
  };
}

/**
 * The daily retention clean-up, run by the one scheduler (no timer of its own): question texts, feedback comments and
 * conversation turns older than the tenant's retention period, unconfirmed reminder drafts older than a day, a
 * person's own state a year after their last step. Aggregates stay (a rating keeps its vote without its question). Each day's run is one job (key = the Berlin date), so replicas run it once; a
 * day missed while Lotse was down is caught up at the next start, once.
 */
export class RetentionJob implements JobHandler {
  readonly kind = RETENTION_JOB;
  private readonly purges: (Purge | TenantPurge)[];
  private readonly log: Logger;

  constructor(deps: { purges: (Purge | TenantPurge)[]; log: Logger }) {
    this.purges = deps.purges;
    this.log = deps.log;
  }

  /** Today's clean-up (due at once when 03:00 has passed): planning it again does nothing. */
  today(now: Date): NewJob {
    return dayJob(
      Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(ZONE).toPlainDate(),
    );
  }

  async run(job: Job, ctx: { now: Date }): Promise<JobResult> {
    const deleted: Record<string, number> = {};
    for (const p of this.purges)
      deleted[p.name] =
        "purgeAt" in p ? await p.purgeAt(ctx.now) : await p.purge(new Date(ctx.now.getTime() - p.keepMs));
    if (Object.values(deleted).some((n) => n > 0))
      this.log.info({ event: "retention", ...deleted }, "texts past their retention deleted");
    // The next clean-up still ahead: the following day's, or — after downtime, when this one ran days late and has
    // just done their work — the first whose time has not come yet. Days missed are caught up once, not one by one.
    let next = dayJob(Temporal.PlainDate.from(job.key).add({ days: 1 }));
    const today = this.today(ctx.now);
    if (next.dueAt <= ctx.now)
      next = today.dueAt > ctx.now ? today : dayJob(Temporal.PlainDate.from(today.key).add({ days: 1 }));
    return { kind: "done", outcome: "purged", next: [next] };
  }
}

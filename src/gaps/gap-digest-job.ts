import { Temporal } from "temporal-polyfill";
import type { Templates } from "../assistant/templates.ts";
import type { Notifier, NotifyOutcome } from "../core/notifier.ts";
import type { TenantSettings } from "../core/tenant-settings.ts";
import { LotseError } from "../errors.ts";
import type { Job, JobHandler, JobResult, NewJob, RunContext } from "../jobs/job.ts";
import type { Logger } from "../log.ts";
import { gapCard } from "./gap-card.ts";
import type { GapReport } from "./gap-report.ts";

/** The job kind of the weekly gap digest. */
export const GAP_DIGEST_JOB = "gap-digest";
const ZONE = "Europe/Berlin";
/** Monday, 08:00 Berlin time: the start of the coordinators' week. */
const HOUR = 8;
/** A digest more than this late (Lotse was down for days) is skipped: next Monday's covers the questions again. */
const GRACE_MS = 3 * 86_400_000;

/** The Monday of the ISO week `date` lies in. */
function mondayOf(date: Temporal.PlainDate): Temporal.PlainDate {
  return date.subtract({ days: date.dayOfWeek - 1 });
}

/** "2026-W49": the ISO week of a Monday. */
export function isoWeek(monday: Temporal.PlainDate): string {
  return `${monday.yearOfWeek}-W${String(monday.weekOfYear).padStart(2, "0")}`;
}

/** The digest of `tenant` for the week starting `monday`, due at 08:00 Berlin, paced with its channel. */
function weekJob(tenant: string, monday: Temporal.PlainDate, lane?: string): NewJob {
  const at = monday.toPlainDateTime({ hour: HOUR }).toZonedDateTime(ZONE, { disambiguation: "compatible" });
  return {
    kind: GAP_DIGEST_JOB,
    key: `${tenant}:${isoWeek(monday)}`,
    tenant,
    ...(lane ? { lane } : {}),
    dueAt: new Date(at.epochMilliseconds),
  };
}

function berlinDate(d: Date): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(ZONE).toPlainDate();
}

/**
 * The weekly digest of knowledge gaps, run by the one scheduler: every Monday at 08:00 (Berlin) each tenant with a
 * `digest` channel in its settings gets the past week's gap report (no_answer and 👎, grouped) as a new thread in
 * that channel, through the platform's Notifier. One job per tenant and ISO week (key "<tenant>:<week>"), so
 * replicas post it once; each run plans the next week's. A week without gaps gets a short "keine neuen Lücken" card:
 * silence would look the same as a digest that stopped working. Comments never go into the channel. Logs ids and
 * codes only.
 */
export class GapDigestJob implements JobHandler {
  readonly kind = GAP_DIGEST_JOB;
  readonly graceMs = GRACE_MS;
  private readonly report: GapReport;
  private readonly tenantSettings: TenantSettings;
  private readonly notifiers: Map<"teams" | "slack", Notifier>;
  private readonly templates: Pick<Templates, "label">;
  private readonly log: Logger;

  constructor(deps: {
    report: GapReport;
    tenantSettings: TenantSettings;
    notifiers: Map<"teams" | "slack", Notifier>;
    templates: Pick<Templates, "label">;
    log: Logger;
  }) {
    this.report = deps.report;
    this.tenantSettings = deps.tenantSettings;
    this.notifiers = deps.notifiers;
    this.templates = deps.templates;
    this.log = deps.log;
  }

  /**
   * The jobs to plan at start, one per tenant with a digest channel: this week's (due at once when Monday 08:00 has
   * passed, still within the grace window), otherwise next week's. Planning again does nothing.
   */
  planned(now: Date): NewJob[] {
    return this.tenantSettings
      .tenants()
      .filter((t) => this.tenantSettings.of(t).digest)
      .sort()
      .map((t) => {
        const current = this.thisWeek(t, now);
        return now.getTime() - current.dueAt.getTime() <= GRACE_MS
          ? current
          : weekJob(t, mondayOf(berlinDate(now)).add({ days: 7 }), this.laneOf(t));
      });
  }

  /** The tenant's digest of the week `now` lies in (due at once when Monday 08:00 has passed). */
  private thisWeek(tenant: string, now: Date): NewJob {
    return weekJob(tenant, mondayOf(berlinDate(now)), this.laneOf(tenant));
  }

  private laneOf(tenant: string): string | undefined {
    const d = this.tenantSettings.of(tenant).digest;
    return d ? `${d.platform}:${d.channel}` : undefined;
  }

  /** The digest after `job`: the following week's, or after downtime the first one still ahead. */
  private next(job: Job, now: Date): NewJob[] {
    if (!this.tenantSettings.of(job.tenant).digest) return [];
    let next = weekJob(job.tenant, mondayOf(berlinDate(job.dueAt)).add({ days: 7 }), this.laneOf(job.tenant));
    if (next.dueAt <= now) {
      const current = this.thisWeek(job.tenant, now);
      next =
        current.dueAt > now
          ? current
          : weekJob(job.tenant, mondayOf(berlinDate(now)).add({ days: 7 }), this.laneOf(job.tenant));
    }
    return [next];
  }

  async run(job: Job, ctx: RunContext): Promise<JobResult> {
    const digest = this.tenantSettings.of(job.tenant).digest;
    // The channel was removed from the settings: no digest, and none planned.
    if (!digest) return { kind: "done", outcome: "no_digest" };
    const notifier = this.notifiers.get(digest.platform);
    if (!notifier) return { kind: "retry", outcome: "NOTIFIER_MISSING" };
    let sent: NotifyOutcome;
    try {
      // From the previous Monday's 08:00 (Berlin): a week of 167 or 169 hours when the clocks change in between.
      const since = weekJob(job.tenant, mondayOf(berlinDate(job.dueAt)).subtract({ days: 7 })).dueAt;
      const data = await this.report.build(job.tenant, { since, until: job.dueAt });
      sent = await notifier.send(
        { kind: "new-thread", channelConversationId: digest.channel },
        { kind: "card", card: gapCard(data, this.templates, { digest: true }) },
      );
    } catch (err) {
      const code = err instanceof LotseError ? err.code : "INTERNAL";
      this.log.warn(
        { job: job.id, tenant: job.tenant, code, attempts: job.attempts + 1 },
        "gap digest failed",
      );
      return { kind: "retry", outcome: code };
    }
    if (sent.ok) return { kind: "done", outcome: "delivered", next: this.next(job, ctx.now) };
    if (sent.reason === "rate-limited") return { kind: "wait", afterMs: sent.retryAfterMs };
    // The channel is gone (archived, Lotse removed): next week's is planned all the same, the settings may be fixed.
    this.log.warn({ job: job.id, tenant: job.tenant, platform: digest.platform }, "gap digest channel gone");
    return { kind: "failed", outcome: "gone", next: this.next(job, ctx.now) };
  }

  /** A digest skipped (too late) or finally failed: next week's is planned. */
  async settled(
    job: Job,
    how: { status: "skipped" | "failed"; outcome: string; now: Date },
  ): Promise<NewJob[]> {
    return this.next(job, how.now);
  }
}

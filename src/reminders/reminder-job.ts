import type { Notifier, NotifyTarget } from "../core/notifier.ts";
import type { Reply } from "../core/replies.ts";
import type { Database, Queryable } from "../db/database.ts";
import { LotseError } from "../errors.ts";
import type { Job, JobHandler, JobResult, NewJob, RunContext } from "../jobs/job.ts";
import { planJobs } from "../jobs/job-store.ts";
import type { Logger } from "../log.ts";
import { type Reminder, ReminderStore } from "./reminder-store.ts";
import { occurrenceJob, pauseIn, REMINDER_JOB, reminderIdOf, successorOf } from "./reminders.ts";

/** The messages a reminder job sends (the views write them: text, link button, who set it, the late mark). */
export interface ReminderRender {
  delivery(r: Reminder, occ: { dueAt: Date; late: boolean }): Reply;
  /** To the creator, personally: the target conversation is gone, the reminder was paused. */
  gone(r: Reminder): Reply;
}

/** Where an occurrence is posted: a new top-level post in the channel, or the creator's personal chat. */
export function deliveryTarget(r: Reminder): NotifyTarget {
  return r.audience === "personal"
    ? { kind: "user", userId: r.creatorUserId, tenant: r.tenant }
    : { kind: "new-thread", channelConversationId: r.target };
}

/**
 * Delivers one occurrence of a reminder and plans the next (only while the reminder is still active), so every
 * occurrence is planned exactly once; after downtime only the latest missed occurrence is posted. Logs ids and codes only, never the text, names or user ids.
 */
export class ReminderJob implements JobHandler {
  readonly kind = REMINDER_JOB;
  readonly graceMs: number;
  private readonly db: Database;
  private readonly notifiers: Map<"teams" | "slack", Notifier>;
  private readonly render: ReminderRender;
  private readonly log: Logger;
  private readonly store = new ReminderStore();

  constructor(deps: {
    db: Database;
    notifiers: Map<"teams" | "slack", Notifier>;
    render: ReminderRender;
    log: Logger;
    graceMs: number;
  }) {
    this.db = deps.db;
    this.notifiers = deps.notifiers;
    this.render = deps.render;
    this.log = deps.log;
    this.graceMs = deps.graceMs;
  }

  /** Sends the occurrence; see JobResult for what each outcome makes of the job. */
  async run(job: Job, ctx: RunContext): Promise<JobResult> {
    const id = reminderIdOf(job.subject);
    const r = id ? await this.store.get(this.db, id, job.tenant) : undefined;
    if (r?.status !== "active") return { kind: "done", outcome: "inactive" };
    // After downtime a missed occurrence is posted once, late, never once per missed date: while the next one is
    // already due too, this one is passed over for it (the last of them is posted, marked late).
    const successor = job.payload.extra === true ? undefined : successorOf(r, job.dueAt);
    if (successor && successor.getTime() <= ctx.now.getTime())
      return { kind: "done", outcome: "superseded", next: await this.planNext(job, r.id) };
    const notifier = this.notifiers.get(r.platform);
    if (!notifier) return { kind: "retry", outcome: "NOTIFIER_MISSING" };
    let sent: Awaited<ReturnType<Notifier["send"]>>;
    try {
      sent = await notifier.send(
        deliveryTarget(r),
        this.render.delivery(r, { dueAt: job.dueAt, late: ctx.late }),
      );
    } catch (err) {
      const code = err instanceof LotseError ? err.code : "INTERNAL";
      this.log.warn(
        { reminder: r.id, job: job.id, code, attempts: job.attempts + 1 },
        "reminder delivery failed",
      );
      return { kind: "retry", outcome: code };
    }
    if (sent.ok) return { kind: "done", outcome: "delivered", next: await this.planNext(job, r.id) };
    if (sent.reason === "rate-limited") return { kind: "wait", afterMs: sent.retryAfterMs };
    await this.targetGone(r, ctx.now);
    return { kind: "failed", outcome: "gone" };
  }

  /** A skipped or finally failed occurrence does not end a recurring reminder: its successor is planned. */
  async settled(
    job: Job,
    how: { status: "skipped" | "failed"; outcome: string; now: Date },
    tx: Queryable,
  ): Promise<NewJob[]> {
    if (job.payload.extra === true) return [];
    const id = reminderIdOf(job.subject);
    const r = id ? await this.store.get(tx, id, job.tenant, true) : undefined;
    if (r?.status !== "active") return [];
    const next = successorOf(r, job.dueAt);
    if (!next) {
      // The last occurrence of the schedule is behind us, delivered or not; the list shows it failed or skipped.
      await this.store.transition(tx, r.id, r.tenant, ["active"], "ended");
      this.log.info({ reminder: r.id, job: job.id, status: how.status }, "reminder ended");
      return [];
    }
    return [occurrenceJob(r, next)];
  }

  /**
   * Plans the occurrence after this one, or ends the schedule, in a transaction that holds the reminder's row and
   * reads its status afresh: a pause or a deletion while this one was being sent wins, and nothing more is planned.
   * It is planned here rather than in the scheduler's finishing transaction, which cannot re-read the reminder; a lost
   * "done" mark runs this job again, which plans the same (kind, key) again, i.e. nothing.
   */
  private async planNext(job: Job, id: string): Promise<NewJob[]> {
    // "Jetzt senden" is an extra: the schedule goes on from its own planned occurrence.
    if (job.payload.extra === true) return [];
    await this.db.transaction(async (tx) => {
      const r = await this.store.get(tx, id, job.tenant, true);
      if (r?.status !== "active") return;
      const next = successorOf(r, job.dueAt);
      if (next) {
        await planJobs(tx, [occurrenceJob(r, next)]);
        return;
      }
      // Ended before the job is marked done: should that mark be lost, the job runs again and finds it inactive.
      await this.store.transition(tx, r.id, r.tenant, ["active"], "ended");
      this.log.info({ reminder: r.id, job: job.id }, "reminder ended");
    });
    return [];
  }

  /** The target conversation is gone: pause the reminder and tell its creator personally why. */
  private async targetGone(r: Reminder, now: Date): Promise<void> {
    await this.db.transaction((tx) => pauseIn(tx, this.store, r, "conversation_gone", now));
    this.log.warn({ reminder: r.id, tenant: r.tenant, platform: r.platform }, "reminder target gone, paused");
    // A personal reminder's target is the creator: there is nobody left to tell.
    if (r.audience === "personal") return;
    // The creator's data was deleted on request (lotse privacy delete): the channel keeps its reminder, nobody is told.
    if (r.creatorUserId === "") {
      this.log.info({ reminder: r.id }, "reminder creator erased, not told");
      return;
    }
    const notifier = this.notifiers.get(r.platform);
    try {
      const told = await notifier?.send(
        { kind: "user", userId: r.creatorUserId, tenant: r.tenant },
        this.render.gone(r),
      );
      if (!told?.ok)
        this.log.warn(
          { reminder: r.id, reason: told?.reason ?? "NOTIFIER_MISSING" },
          "reminder creator not told",
        );
    } catch (err) {
      const code = err instanceof LotseError ? err.code : "INTERNAL";
      this.log.warn({ reminder: r.id, code }, "reminder creator not told");
    }
  }
}

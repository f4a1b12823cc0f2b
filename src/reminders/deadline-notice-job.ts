import type { Notifier } from "../core/notifier.ts";
import type { Reply } from "../core/replies.ts";
import { LotseError } from "../errors.ts";
import type { Job, JobHandler, JobResult, NewJob, RunContext } from "../jobs/job.ts";
import type { Logger } from "../log.ts";
import {
  DEADLINE_NOTICE_JOB,
  type DeadlineSource,
  type DeadlineSubscription,
  type DeadlineSubscriptions,
  type NoticePayload,
  noticeJob,
} from "./deadline-subscriptions.ts";
import type { Deadline } from "./deadlines/deadlines.ts";
import { nextOccurrences } from "./schedule/occurrences.ts";

/** The message announcing a deadline (the views write it). */
export interface DeadlineRender {
  notice(d: Deadline, occ: { deadlineAt: Date; leadDays: number; late: boolean }): Reply;
}

function payloadOf(job: Job): NoticePayload | undefined {
  const p = job.payload;
  return typeof p.subscriptionId === "string" &&
    typeof p.docId === "string" &&
    typeof p.deadlineAt === "string" &&
    typeof p.leadDays === "number"
    ? { subscriptionId: p.subscriptionId, docId: p.docId, deadlineAt: p.deadlineAt, leadDays: p.leadDays }
    : undefined;
}

/** What a notice is still about, or why it has nothing left to announce. */
type Still =
  | { kind: "live"; s: DeadlineSubscription; d: Deadline; deadlineAt: Date; leadDays: number }
  | { kind: "gone"; outcome: string };

/**
 * Posts one deadline notice into a subscribed channel as a new top-level post and plans the same lead day for the
 * deadline's next occurrence in the transaction that finishes this one.
 */
export class DeadlineNoticeJob implements JobHandler {
  readonly kind = DEADLINE_NOTICE_JOB;
  readonly graceMs: number;
  private readonly subscriptions: DeadlineSubscriptions;
  private readonly deadlines: DeadlineSource;
  private readonly notifiers: Map<"teams" | "slack", Notifier>;
  private readonly render: DeadlineRender;
  private readonly log: Logger;

  constructor(deps: {
    subscriptions: DeadlineSubscriptions;
    deadlines: DeadlineSource;
    notifiers: Map<"teams" | "slack", Notifier>;
    render: DeadlineRender;
    log: Logger;
    graceMs: number;
  }) {
    this.subscriptions = deps.subscriptions;
    this.deadlines = deps.deadlines;
    this.notifiers = deps.notifiers;
    this.render = deps.render;
    this.log = deps.log;
    this.graceMs = deps.graceMs;
  }

  /** Sends the notice; see JobResult for what each outcome makes of the job. */
  async run(job: Job, ctx: RunContext): Promise<JobResult> {
    const still = await this.still(job);
    if (still.kind === "gone") return { kind: "done", outcome: still.outcome };
    const { s, d, deadlineAt, leadDays } = still;
    // As with reminders, a missed notice is posted once: when the same lead day of the deadline's next date is
    // already due as well (a deadline recurring faster than the downtime lasted), that one is posted instead.
    const successor = this.successor(s, d, deadlineAt, leadDays);
    if (successor.some((j) => j.dueAt.getTime() <= ctx.now.getTime()))
      return { kind: "done", outcome: "superseded", next: successor };
    const notifier = this.notifiers.get(s.platform);
    if (!notifier) return { kind: "retry", outcome: "NOTIFIER_MISSING" };
    let sent: Awaited<ReturnType<Notifier["send"]>>;
    try {
      sent = await notifier.send(
        { kind: "new-thread", channelConversationId: s.conversationId },
        this.render.notice(d, { deadlineAt, leadDays, late: ctx.late }),
      );
    } catch (err) {
      const code = err instanceof LotseError ? err.code : "INTERNAL";
      this.log.warn(
        { subscription: s.id, job: job.id, code, attempts: job.attempts + 1 },
        "deadline notice failed",
      );
      return { kind: "retry", outcome: code };
    }
    if (sent.ok) return { kind: "done", outcome: "delivered", next: successor };
    if (sent.reason === "rate-limited") return { kind: "wait", afterMs: sent.retryAfterMs };
    await this.subscriptions.unsubscribe(s.tenant, s.platform, s.conversationId);
    this.log.warn(
      { subscription: s.id, tenant: s.tenant, platform: s.platform },
      "deadline channel gone, unsubscribed",
    );
    return { kind: "failed", outcome: "gone" };
  }

  /** A skipped or finally failed notice: the same lead day is planned for the deadline's next occurrence. */
  async settled(job: Job): Promise<NewJob[]> {
    const still = await this.still(job);
    return still.kind === "live" ? this.successor(still.s, still.d, still.deadlineAt, still.leadDays) : [];
  }

  private successor(s: DeadlineSubscription, d: Deadline, deadlineAt: Date, leadDays: number): NewJob[] {
    const next = nextOccurrences(d.rrule, deadlineAt, 1)[0];
    return next ? [noticeJob(s, d, next, leadDays)] : [];
  }

  /**
   * Whether the notice still stands: the channel is still subscribed with this lead day, the deadline is still in the
   * knowledge base, and this occurrence is still one of its dates (a changed `due` is planned afresh by replan).
   */
  private async still(job: Job): Promise<Still> {
    const p = payloadOf(job);
    if (!p) return { kind: "gone", outcome: "payload_invalid" };
    const s = await this.subscriptions.byId(p.subscriptionId);
    if (!s) return { kind: "gone", outcome: "unsubscribed" };
    if (!s.leadDays.includes(p.leadDays)) return { kind: "gone", outcome: "lead_removed" };
    const d = await this.deadlines.get(s.tenant, p.docId);
    if (!d) return { kind: "gone", outcome: "deadline_removed" };
    const deadlineAt = new Date(p.deadlineAt);
    const occurs = nextOccurrences(d.rrule, deadlineAt, 1, { inclusive: true })[0];
    if (occurs?.getTime() !== deadlineAt.getTime()) return { kind: "gone", outcome: "deadline_changed" };
    return { kind: "live", s, d, deadlineAt, leadDays: p.leadDays };
  }
}

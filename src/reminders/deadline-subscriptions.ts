import { Temporal } from "temporal-polyfill";
import type { Database, Queryable } from "../db/database.ts";
import { LotseError } from "../errors.ts";
import type { Clock, NewJob } from "../jobs/job.ts";
import { cancelJobs, planJobs } from "../jobs/job-store.ts";
import type { Logger } from "../log.ts";
import type { Deadline, Deadlines } from "./deadlines/deadlines.ts";
import { timezoneOf } from "./reminder-store.ts";
import { laneOf } from "./reminders.ts";
import { nextOccurrences } from "./schedule/occurrences.ts";

/** Where deadlines come from: Deadlines over the knowledge base (a fake in tests). */
export type DeadlineSource = Pick<Deadlines, "list" | "get">;

/** The job kind of a deadline notice. */
export const DEADLINE_NOTICE_JOB = "deadline-notice";

/** A channel subscribed to all of its tenant's deadlines, each announced `leadDays` days before. */
export interface DeadlineSubscription {
  id: string;
  tenant: string;
  platform: "slack" | "teams";
  conversationId: string;
  leadDays: number[];
  creatorPseudonym: string;
}

/** What a notice job carries: which subscription, deadline, occurrence and lead (ids and instants, no text). */
export interface NoticePayload {
  subscriptionId: string;
  docId: string;
  /** The deadline occurrence, ISO 8601 UTC. */
  deadlineAt: string;
  leadDays: number;
}

/** Lead days beyond a year announce nothing useful; 0 is the day itself. */
const MAX_LEAD_DAYS = 365;
const DAY_MS = 86_400_000;
/** Default window within which a missed notice is still planned (the notice job's grace). */
const DEFAULT_GRACE_MS = 6 * 3_600_000;

/** The jobs subject of a subscription: "deadline-subscription:<id>". */
export function subscriptionSubject(id: string): string {
  return `deadline-subscription:${id}`;
}

/**
 * When to announce a deadline occurrence `leadDays` before it: the same wall-clock time that many calendar days
 * earlier in the rule's time zone, so a notice across a daylight-saving change keeps its local hour.
 */
export function noticeAt(deadlineAt: Date, leadDays: number, timezone: string): Date {
  const zoned = Temporal.Instant.fromEpochMilliseconds(deadlineAt.getTime()).toZonedDateTimeISO(timezone);
  return new Date(zoned.subtract({ days: leadDays }).epochMilliseconds);
}

/** The first occurrence of the deadline whose notice `leadDays` before is at or after `floor`, with that notice. */
export function firstNotice(
  d: Deadline,
  leadDays: number,
  floor: Date,
): { deadlineAt: Date; noticeAt: Date } | undefined {
  const tz = timezoneOf(d.rrule);
  // A notice is lead days before its occurrence, give or take a daylight-saving hour: start a day early to be sure.
  const from = new Date(floor.getTime() + (leadDays - 1) * DAY_MS);
  for (const deadlineAt of nextOccurrences(d.rrule, from, 4, { inclusive: true })) {
    const at = noticeAt(deadlineAt, leadDays, tz);
    if (at.getTime() >= floor.getTime()) return { deadlineAt, noticeAt: at };
  }
  return undefined;
}

/** The notice job of one (subscription, deadline occurrence, lead day). */
export function noticeJob(s: DeadlineSubscription, d: Deadline, deadlineAt: Date, leadDays: number): NewJob {
  const payload: NoticePayload = {
    subscriptionId: s.id,
    docId: d.docId,
    deadlineAt: deadlineAt.toISOString(),
    leadDays,
  };
  return {
    kind: DEADLINE_NOTICE_JOB,
    key: `${s.id}:${d.docId}:${deadlineAt.toISOString()}:${leadDays}`,
    tenant: s.tenant,
    subject: subscriptionSubject(s.id),
    lane: laneOf(s.platform, s.conversationId),
    dueAt: noticeAt(deadlineAt, leadDays, timezoneOf(d.rrule)),
    payload: { ...payload },
  };
}

interface SubscriptionRow {
  subscription_id: string | number;
  tenant: string;
  platform: "slack" | "teams";
  conversation_id: string;
  lead_days: number[];
  creator_pseudonym: string;
}

const COLUMNS = "subscription_id, tenant, platform, conversation_id, lead_days, creator_pseudonym";

function toSubscription(row: SubscriptionRow): DeadlineSubscription {
  return {
    id: String(row.subscription_id),
    tenant: row.tenant,
    platform: row.platform,
    conversationId: row.conversation_id,
    leadDays: row.lead_days.map(Number),
    creatorPseudonym: row.creator_pseudonym,
  };
}

/** Lead days as stored: whole days from 0 to a year, each once, the earliest notice first. */
function normaliseLeadDays(leadDays: number[]): number[] {
  const days = [...new Set(leadDays)].sort((a, b) => b - a);
  if (days.length === 0 || days.some((n) => !Number.isInteger(n) || n < 0 || n > MAX_LEAD_DAYS))
    throw new LotseError("REQUEST_INVALID", `lead days must be whole days from 0 to ${MAX_LEAD_DAYS}`, {
      details: { reason: "lead_days_invalid" },
    });
  return days;
}

/**
 * Channels subscribed to their tenant's deadlines, and the planning of their notices: one job per (subscription,
 * deadline occurrence, lead day), planned once whoever plans it, the next one planned when one is delivered.
 */
export class DeadlineSubscriptions {
  private readonly db: Database;
  private readonly deadlines: DeadlineSource;
  private readonly log: Logger;
  private readonly wake: () => void;
  private readonly graceMs: number;
  private readonly clock: Clock;

  constructor(deps: {
    db: Database;
    deadlines: DeadlineSource;
    log: Logger;
    wake?: () => void;
    /** Notices missed by less than this are still planned (and posted late); default 6 hours. */
    graceMs?: number;
    clock?: Clock;
  }) {
    this.db = deps.db;
    this.deadlines = deps.deadlines;
    this.log = deps.log;
    this.wake = deps.wake ?? (() => undefined);
    this.graceMs = deps.graceMs ?? DEFAULT_GRACE_MS;
    this.clock = deps.clock ?? { now: () => new Date() };
  }

  /**
   * Subscribes a channel (again: its lead days are updated, notices for dropped lead days end when they come up)
   * and plans the next notice of each deadline and lead day.
   */
  async subscribe(
    s: Omit<DeadlineSubscription, "id">,
    now: Date,
  ): Promise<{ subscription: DeadlineSubscription; created: boolean; planned: number }> {
    const leadDays = normaliseLeadDays(s.leadDays);
    const { rows } = await this.db.query<SubscriptionRow & { created: boolean }>(
      `INSERT INTO deadline_subscriptions (tenant, platform, conversation_id, lead_days, creator_pseudonym)
       VALUES ($1, $2, $3, $4::integer[], $5)
       ON CONFLICT (tenant, platform, conversation_id) DO UPDATE SET lead_days = EXCLUDED.lead_days
       RETURNING ${COLUMNS}, (xmax = 0) AS created`,
      [s.tenant, s.platform, s.conversationId, leadDays, s.creatorPseudonym],
    );
    const row = rows[0] as SubscriptionRow & { created: boolean };
    const subscription = toSubscription(row);
    const planned = await this.plan(
      this.db,
      subscription,
      await this.deadlines.list(subscription.tenant),
      now,
    );
    this.log.info(
      { subscription: subscription.id, tenant: s.tenant, created: row.created, planned },
      "deadline subscription saved",
    );
    if (planned > 0) this.wake();
    return { subscription, created: row.created === true, planned };
  }

  /** Ends a channel's subscription and cancels its pending notices; false when there was none. */
  async unsubscribe(tenant: string, platform: "slack" | "teams", conversationId: string): Promise<boolean> {
    const id = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ subscription_id: string | number }>(
        "DELETE FROM deadline_subscriptions WHERE tenant = $1 AND platform = $2 AND conversation_id = $3 RETURNING subscription_id",
        [tenant, platform, conversationId],
      );
      if (!rows[0]) return undefined;
      const subId = String(rows[0].subscription_id);
      await cancelJobs(tx, subscriptionSubject(subId), this.clock.now());
      return subId;
    });
    if (id) this.log.info({ subscription: id, tenant }, "deadline subscription ended");
    return id !== undefined;
  }

  /** A tenant's subscriptions, oldest first. */
  async list(tenant: string): Promise<DeadlineSubscription[]> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM deadline_subscriptions WHERE tenant = $1 ORDER BY subscription_id`,
      [tenant],
    );
    return rows.map(toSubscription);
  }

  /** One subscription by id (a notice job's), or undefined when it has ended. */
  async byId(id: string, q: Queryable = this.db): Promise<DeadlineSubscription | undefined> {
    if (!/^[1-9]\d{0,17}$/.test(id)) return undefined;
    const { rows } = await q.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM deadline_subscriptions WHERE subscription_id = $1`,
      [id],
    );
    return rows[0] ? toSubscription(rows[0]) : undefined;
  }

  /**
   * Plans the next notice of every (subscription, deadline, lead day); what is planned already is left alone, so
   * calling it again plans nothing. Call it at start and after each ingest (new or changed deadlines).
   */
  async replan(now: Date): Promise<number> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM deadline_subscriptions ORDER BY tenant, subscription_id`,
    );
    const byTenant = new Map<string, Deadline[]>();
    let planned = 0;
    for (const s of rows.map(toSubscription)) {
      let deadlines = byTenant.get(s.tenant);
      if (!deadlines) {
        deadlines = await this.deadlines.list(s.tenant);
        byTenant.set(s.tenant, deadlines);
      }
      planned += await this.plan(this.db, s, deadlines, now);
    }
    this.log.info({ subscriptions: rows.length, planned }, "deadline notices planned");
    if (planned > 0) this.wake();
    return planned;
  }

  private async plan(
    q: Queryable,
    s: DeadlineSubscription,
    deadlines: Deadline[],
    now: Date,
  ): Promise<number> {
    const floor = new Date(now.getTime() - this.graceMs);
    const jobs: NewJob[] = [];
    for (const d of deadlines)
      for (const lead of s.leadDays) {
        const first = firstNotice(d, lead, floor);
        if (first) jobs.push(noticeJob(s, d, first.deadlineAt, lead));
      }
    return planJobs(q, jobs);
  }
}

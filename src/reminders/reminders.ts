import type { Database, Queryable } from "../db/database.ts";
import { LotseError } from "../errors.ts";
import type { Clock, NewJob } from "../jobs/job.ts";
import { cancelJobs, type JobRecord, jobsOf, jobsOfSubjects, planJobs } from "../jobs/job-store.ts";
import type { Logger } from "../log.ts";
import { type NewReminder, type Reminder, ReminderStore } from "./reminder-store.ts";
import { nextOccurrences } from "./schedule/occurrences.ts";

/** The job kind of a reminder occurrence. */
export const REMINDER_JOB = "reminder";

/** The jobs subject of a reminder: "reminder:<id>". */
export function reminderSubject(id: string): string {
  return `reminder:${id}`;
}

/** The reminder id of a jobs subject, or undefined when it is not a reminder's. */
export function reminderIdOf(subject: string | undefined): string | undefined {
  return subject?.startsWith("reminder:") ? subject.slice("reminder:".length) : undefined;
}

/**
 * The pacing lane of deliveries into one place: "slack:C0123", "teams:19:…@thread.tacv2" (a channel, never a thread
 * of it); a personal delivery goes to the user's own chat, named by the user's pseudonym ("slack:user:p-4f2a9c"),
 * never the platform id: a lane is kept with the job, and jobs are no place for ids of people.
 */
export function laneOf(
  platform: "slack" | "teams",
  place: string,
  audience: "channel" | "personal" = "channel",
): string {
  return audience === "personal" ? `${platform}:user:${place}` : `${platform}:${place}`;
}

/** The job of one occurrence of a reminder (payload empty: the job reads the reminder's row, never carries its text). */
export function occurrenceJob(r: Reminder, dueAt: Date, key = `${r.id}@${dueAt.toISOString()}`): NewJob {
  return {
    kind: REMINDER_JOB,
    key,
    tenant: r.tenant,
    subject: reminderSubject(r.id),
    lane:
      r.audience === "personal"
        ? laneOf(r.platform, r.creatorPseudonym, "personal")
        : laneOf(r.platform, r.target),
    dueAt,
    payload: {},
  };
}

/** The occurrence after the one just handled, strictly later; undefined when the schedule has ended. */
export function successorOf(r: Reminder, dueAt: Date): Date | undefined {
  return nextOccurrences(r.rrule, dueAt, 1)[0];
}

/** A reminder as a list shows it: next planned date, the last occurrence that was handled, counts of misses. */
export interface ReminderListing {
  reminder: Reminder;
  next?: Date;
  last?: { dueAt: Date; status: "done" | "failed" | "skipped"; late: boolean; outcome?: string };
  failed: number;
  skipped: number;
}

/** How many of a reminder's past jobs a list looks at for its last delivery and its counts. */
const HISTORY = 100;

function notFound(id: string): LotseError {
  return new LotseError("REMINDER_NOT_FOUND", `reminder ${id} not found`, {
    details: { reason: "reminder_not_found" },
  });
}

function inPast(id: string, now: Date): LotseError {
  return new LotseError("REMINDER_IN_PAST", `reminder ${id} has no occurrence after ${now.toISOString()}`, {
    details: { reason: "reminder_in_past" },
  });
}

function wrongStatus(r: Reminder, reason: string): LotseError {
  return new LotseError("REQUEST_INVALID", `reminder ${r.id} is ${r.status}`, {
    details: { reason, status: r.status },
  });
}

function listing(reminder: Reminder, jobs: JobRecord[]): ReminderListing {
  let next: Date | undefined;
  let last: ReminderListing["last"];
  let failed = 0;
  let skipped = 0;
  for (const j of jobs) {
    if (j.status === "pending" || j.status === "running") {
      if (!next || j.dueAt < next) next = j.dueAt;
    } else if (j.status === "done" || j.status === "failed" || j.status === "skipped") {
      if (j.status === "failed") failed++;
      if (j.status === "skipped") skipped++;
      // An inactive run (paused meanwhile) or one passed over for a later missed date delivered nothing: it is no
      // "last delivery".
      if (j.outcome === "inactive" || j.outcome === "superseded") continue;
      if (!last || j.dueAt > last.dueAt)
        last = {
          dueAt: j.dueAt,
          status: j.status,
          late: j.late,
          ...(j.outcome !== undefined ? { outcome: j.outcome } : {}),
        };
    }
  }
  return {
    reminder,
    ...(reminder.status === "active" && next ? { next } : {}),
    ...(last ? { last } : {}),
    failed,
    skipped,
  };
}

/** The reminders service: drafts, confirmation, pause/resume/delete, "jetzt senden", lists; plans occurrence jobs. */
export class Reminders {
  private readonly db: Database;
  private readonly log: Logger;
  private readonly wake: () => void;
  private readonly clock: Clock;
  private readonly store = new ReminderStore();

  constructor(deps: { db: Database; log: Logger; wake?: () => void; clock?: Clock }) {
    this.db = deps.db;
    this.log = deps.log;
    this.wake = deps.wake ?? (() => undefined);
    this.clock = deps.clock ?? { now: () => new Date() };
  }

  /** Saves a reminder as a draft (shown for confirmation); nothing is planned. */
  async draft(r: NewReminder): Promise<Reminder> {
    return this.store.insert(this.db, r, "draft");
  }

  /**
   * Activates a draft and plans its first occurrence at or after `now`; confirming an active one again changes
   * nothing (a second click). A schedule with no occurrence left (a one-off in the past) is refused.
   */
  async confirm(id: string, tenant: string, now: Date): Promise<Reminder> {
    const r = await this.db.transaction(async (tx) => {
      const current = await this.store.get(tx, id, tenant, true);
      if (!current) throw notFound(id);
      if (current.status === "active") return current;
      if (current.status !== "draft") throw wrongStatus(current, "reminder_not_draft");
      const first = nextOccurrences(current.rrule, now, 1, { inclusive: true })[0];
      if (!first) throw inPast(id, now);
      const active = await this.store.transition(tx, id, tenant, ["draft"], "active");
      if (!active) throw notFound(id);
      await planJobs(tx, [occurrenceJob(active, first)]);
      return active;
    });
    this.log.info({ reminder: r.id, tenant }, "reminder confirmed");
    this.wake();
    return r;
  }

  /** Saves and confirms in one step (CLI). */
  async add(r: NewReminder, now: Date): Promise<Reminder> {
    const draft = await this.draft(r);
    try {
      return await this.confirm(draft.id, draft.tenant, now);
    } catch (err) {
      // A refused schedule leaves no draft behind.
      await this.store.delete(this.db, draft.id, draft.tenant);
      throw err;
    }
  }

  /** One reminder of a tenant (drafts included: the confirmation shows one). */
  async get(id: string, tenant: string): Promise<Reminder | undefined> {
    return this.store.get(this.db, id, tenant);
  }

  /**
   * The reminders of a channel (`conversation`: channel reminders set or posted there, whichever thread of it they
   * were set in) and one's own, never drafts, with
   * their next date and last delivery, ordered by next date (those without one last). Ended ones are listed with
   * includeEnded, and always when their last occurrence failed or was skipped (so that the mark is seen).
   */
  async list(
    q: {
      tenant: string;
      platform?: "slack" | "teams";
      conversation?: string;
      creatorPseudonym?: string;
      includeEnded?: boolean;
    },
    _now: Date,
  ): Promise<ReminderListing[]> {
    const reminders = await this.store.list(this.db, { ...q, includeEnded: true });
    if (reminders.length === 0) return [];
    const jobs = await jobsOfSubjects(
      this.db,
      reminders.map((r) => reminderSubject(r.id)),
      { limit: HISTORY },
    );
    const listings = reminders
      .map((r) => listing(r, jobs.get(reminderSubject(r.id)) ?? []))
      .filter(
        (l) =>
          l.reminder.status !== "ended" ||
          q.includeEnded === true ||
          (l.last !== undefined && l.last.status !== "done"),
      );
    const at = (l: ReminderListing) => l.next?.getTime() ?? Number.POSITIVE_INFINITY;
    return listings.sort(
      (a, b) => at(a) - at(b) || a.reminder.createdAt.getTime() - b.reminder.createdAt.getTime(),
    );
  }

  /** Pauses an active reminder and cancels its pending occurrences; pausing a paused one changes nothing. */
  async pause(id: string, tenant: string, reason?: "conversation_gone"): Promise<Reminder> {
    const r = await this.db.transaction(async (tx) => {
      const current = await this.store.get(tx, id, tenant, true);
      if (!current) throw notFound(id);
      if (current.status === "paused") return current;
      if (current.status !== "active") throw wrongStatus(current, "reminder_not_pausable");
      const paused = await pauseIn(tx, this.store, current, reason, this.clock.now());
      if (!paused) throw notFound(id);
      return paused;
    });
    this.log.info({ reminder: id, tenant, reason: reason ?? "by_user" }, "reminder paused");
    return r;
  }

  /** Resumes a paused reminder with its next occurrence after `now`; refused when its schedule has none left. */
  async resume(id: string, tenant: string, now: Date): Promise<Reminder> {
    const r = await this.db.transaction(async (tx) => {
      const current = await this.store.get(tx, id, tenant, true);
      if (!current) throw notFound(id);
      if (current.status === "active") return current;
      if (current.status !== "paused") throw wrongStatus(current, "reminder_not_paused");
      const next = nextOccurrences(current.rrule, now, 1)[0];
      if (!next) throw inPast(id, now);
      const active = await this.store.transition(tx, id, tenant, ["paused"], "active");
      if (!active) throw notFound(id);
      await planResumed(tx, active, next, now);
      return active;
    });
    this.log.info({ reminder: id, tenant }, "reminder resumed");
    this.wake();
    return r;
  }

  /**
   * Deletes a reminder with all its occurrence jobs, past ones too (their lanes and history would outlive it); false
   * when there was none. An occurrence being sent right now finds its row gone when it finishes, and plans nothing.
   */
  async remove(id: string, tenant: string): Promise<boolean> {
    const removed = await this.db.transaction(async (tx) => {
      const current = await this.store.get(tx, id, tenant, true);
      if (!current) return false;
      await tx.query("DELETE FROM jobs WHERE kind = $1 AND subject = $2 AND tenant = $3", [
        REMINDER_JOB,
        reminderSubject(id),
        tenant,
      ]);
      return this.store.delete(tx, id, tenant);
    });
    if (removed) this.log.info({ reminder: id, tenant }, "reminder deleted");
    return removed;
  }

  /** Plans an extra occurrence now ("jetzt senden"); the schedule stays as it is. Only an active reminder is sent. */
  async sendNow(id: string, tenant: string, now: Date): Promise<void> {
    const r = await this.store.get(this.db, id, tenant);
    if (!r) throw notFound(id);
    if (r.status !== "active") throw wrongStatus(r, "reminder_not_active");
    // Keyed to the minute: a double click (or two clicks on two copies of the list) sends it once.
    const minute = `${now.toISOString().slice(0, 16)}Z`;
    await planJobs(this.db, [
      { ...occurrenceJob(r, now, `${r.id}@now:${minute}`), payload: { extra: true } },
    ]);
    this.log.info({ reminder: id, tenant }, "reminder sent now");
    this.wake();
  }

  /** Deletes drafts nobody confirmed, created before `olderThan`. */
  async purgeDrafts(olderThan: Date): Promise<number> {
    const n = await this.store.purgeDrafts(this.db, olderThan);
    if (n > 0) this.log.info({ count: n }, "reminder drafts purged");
    return n;
  }
}

/** Marks a reminder paused (from active) and cancels its pending occurrences, in the caller's transaction. */
export async function pauseIn(
  tx: Queryable,
  store: ReminderStore,
  r: Reminder,
  reason: string | undefined,
  now: Date,
): Promise<Reminder | undefined> {
  const paused = await store.transition(tx, r.id, r.tenant, ["active"], "paused", reason);
  if (paused) await cancelJobs(tx, reminderSubject(r.id), now);
  return paused;
}

/**
 * Plans the occurrence a resumed reminder continues with. Pausing cancelled that very occurrence's job when it was
 * the one planned, and (kind, key) is planned only once: a second key for the same instant is planned then, unless
 * one is still pending (a pause and a resume while its delivery ran).
 */
async function planResumed(tx: Queryable, r: Reminder, next: Date, now: Date): Promise<void> {
  if ((await planJobs(tx, [occurrenceJob(r, next)])) > 0) return;
  const open = await jobsOf(tx, reminderSubject(r.id), { statuses: ["pending", "running"] });
  if (open.some((j) => j.dueAt.getTime() === next.getTime() && j.payload.extra !== true)) return;
  await planJobs(tx, [occurrenceJob(r, next, `${r.id}@${next.toISOString()}~resumed@${now.toISOString()}`)]);
}

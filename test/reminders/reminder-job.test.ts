import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Notifier, NotifyOutcome, NotifyTarget } from "../../src/core/notifier.ts";
import { notice, type Reply } from "../../src/core/replies.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";
import type { Job, RunContext } from "../../src/jobs/job.ts";
import { jobsOf } from "../../src/jobs/job-store.ts";
import { Pacer } from "../../src/jobs/pacer.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { ReminderJob, type ReminderRender } from "../../src/reminders/reminder-job.ts";
import type { NewReminder, Reminder } from "../../src/reminders/reminder-store.ts";
import { Reminders, reminderSubject } from "../../src/reminders/reminders.ts";
import { captureLogs } from "../helpers.ts";

const WEEKLY = "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO";
const ONCE = "DTSTART;TZID=Europe/Berlin:20270115T140000\nRRULE:FREQ=DAILY;COUNT=1";

const weekly: NewReminder = {
  tenant: "musterstadt",
  audience: "channel",
  platform: "slack",
  target: "C0NACHHALT",
  originConversation: "C0NACHHALT",
  text: "Wochenrunde Nachhaltigkeit: Bitte offene Punkte im Board aktualisieren.",
  rrule: WEEKLY,
  reading: "jeden Montag um 9:00 Uhr",
  creatorPseudonym: "p-4f2a9c",
  creatorName: "Erika Mustermann",
  creatorUserId: "U0ERIKA01",
  source: "chat",
};

type Script = NotifyOutcome | Error;

/** A notifier that records what it was asked to send and answers from a script (delivered when it runs out). */
class FakeNotifier implements Notifier {
  readonly sent: { target: NotifyTarget; reply: Reply }[] = [];
  readonly platform: "slack" | "teams";
  private readonly script: Script[];
  constructor(platform: "slack" | "teams", script: Script[] = []) {
    this.platform = platform;
    this.script = script;
  }
  async send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
    this.sent.push({ target, reply });
    const next = this.script.shift() ?? { ok: true, conversationId: "C0NACHHALT:1767000000.000100" };
    if (next instanceof Error) throw next;
    return next;
  }
}

/** Renders what the job passes, so a test sees it: the reminder, the occurrence, the late mark. */
const render: ReminderRender = {
  delivery: (r: Reminder, occ) => notice(`${r.text} | fällig ${occ.dueAt.toISOString()} | late=${occ.late}`),
  gone: (r: Reminder) => notice(`gone ${r.id}`),
};

const ctx = (now: string, extra: Partial<RunContext> = {}): RunContext => ({
  now: new Date(now),
  late: false,
  lastAttempt: false,
  signal: new AbortController().signal,
  ...extra,
});

describe("ReminderJob", () => {
  let db: Database;
  let reminders: Reminders;
  const setUp = (script: Script[] = [], platform: "slack" | "teams" = "slack") => {
    const notifier = new FakeNotifier(platform, script);
    const { logs, log } = captureLogs();
    const handler = new ReminderJob({
      db,
      notifiers: new Map([[platform, notifier]]),
      render,
      log,
      graceMs: 6 * 3_600_000,
    });
    return { notifier, handler, logs };
  };
  /** The reminder's pending job as the scheduler would hand it over. */
  const pendingJob = async (id: string): Promise<Job> => {
    const [j] = await jobsOf(db, reminderSubject(id), { statuses: ["pending"] });
    if (!j) throw new Error(`no pending job for reminder ${id}`);
    return {
      id: j.id,
      kind: j.kind,
      key: j.key,
      tenant: j.tenant,
      subject: j.subject,
      lane: j.lane,
      dueAt: j.dueAt,
      payload: j.payload,
      attempts: j.attempts,
    };
  };

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    reminders = new Reminders({
      db,
      log: silentLogger,
      clock: { now: () => new Date("2027-01-04T08:00:00Z") },
    });
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM reminders");
    await db.query("DELETE FROM jobs");
  });

  it("posts a channel reminder as a new top-level post and plans the next occurrence", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const { notifier, handler } = setUp();
    const job = await pendingJob(r.id);
    const result = await handler.run(job, ctx("2027-01-04T08:00:01Z"));
    expect(notifier.sent).toEqual([
      {
        target: { kind: "new-thread", channelConversationId: "C0NACHHALT" },
        reply: notice(`${weekly.text} | fällig 2027-01-04T08:00:00.000Z | late=false`),
      },
    ]);
    expect(result).toEqual({ kind: "done", outcome: "delivered", next: [] });
    const [next] = await jobsOf(db, reminderSubject(r.id), { statuses: ["pending"] }).then((js) =>
      js.filter((j) => j.id !== job.id),
    );
    expect(next).toMatchObject({
      kind: "reminder",
      key: `${r.id}@2027-01-11T08:00:00.000Z`,
      tenant: "musterstadt",
      subject: `reminder:${r.id}`,
      lane: "slack:C0NACHHALT",
      dueAt: new Date("2027-01-11T08:00:00Z"),
      payload: {},
    });
  });

  it("plans no next occurrence for a reminder paused while its occurrence was being sent", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const job = await pendingJob(r.id);
    const { notifier, handler } = setUp();
    const send = notifier.send.bind(notifier);
    notifier.send = async (target, reply) => {
      await reminders.pause(r.id, "musterstadt");
      return send(target, reply);
    };
    const result = await handler.run(job, ctx("2027-01-04T08:00:01Z"));
    expect(result).toEqual({ kind: "done", outcome: "delivered", next: [] });
    expect(notifier.sent).toHaveLength(1);
    expect((await reminders.get(r.id, "musterstadt"))?.status).toBe("paused");
    expect(await jobsOf(db, reminderSubject(r.id), { statuses: ["pending"] })).toEqual([]);
  });

  it("passes over an occurrence whose successor is already due, planning that one instead", async () => {
    const hourly = await reminders.add(
      { ...weekly, rrule: "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=HOURLY" },
      new Date("2027-01-04T07:00:00Z"),
    );
    const { notifier, handler } = setUp();
    const job = await pendingJob(hourly.id);
    const result = await handler.run(job, ctx("2027-01-04T09:30:00Z", { late: true }));
    expect(result).toEqual({ kind: "done", outcome: "superseded", next: [] });
    expect(notifier.sent).toEqual([]);
    const pending = await jobsOf(db, reminderSubject(hourly.id), { statuses: ["pending"] });
    expect(pending.map((j) => j.dueAt.toISOString())).toContain("2027-01-04T09:00:00.000Z");
  });

  it("passes a late occurrence's due time and mark to the view", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const { notifier, handler } = setUp();
    await handler.run(await pendingJob(r.id), ctx("2027-01-04T11:00:00Z", { late: true }));
    expect(notifier.sent[0]?.reply).toEqual(
      notice(`${weekly.text} | fällig 2027-01-04T08:00:00.000Z | late=true`),
    );
  });

  it("sends a personal reminder to the creator's personal chat", async () => {
    const r = await reminders.add(
      { ...weekly, audience: "personal", target: "U0ERIKA01" },
      new Date("2027-01-03T12:00:00Z"),
    );
    const { notifier, handler } = setUp();
    await handler.run(await pendingJob(r.id), ctx("2027-01-04T08:00:01Z"));
    expect(notifier.sent[0]?.target).toEqual({ kind: "user", userId: "U0ERIKA01", tenant: "musterstadt" });
  });

  it("ends a one-off once it is delivered, planning nothing", async () => {
    const r = await reminders.add({ ...weekly, rrule: ONCE }, new Date("2027-01-10T12:00:00Z"));
    const { handler } = setUp();
    const result = await handler.run(await pendingJob(r.id), ctx("2027-01-15T13:00:00Z"));
    expect(result).toEqual({ kind: "done", outcome: "delivered", next: [] });
    expect((await reminders.get(r.id, "musterstadt"))?.status).toBe("ended");
  });

  it("delivers a 'jetzt senden' extra without planning a successor or ending a one-off", async () => {
    const r = await reminders.add({ ...weekly, rrule: ONCE }, new Date("2027-01-10T12:00:00Z"));
    await reminders.sendNow(r.id, "musterstadt", new Date("2027-01-10T12:05:00Z"));
    const [extra] = await jobsOf(db, reminderSubject(r.id), { statuses: ["pending"] }).then((js) =>
      js.filter((j) => j.payload.extra === true),
    );
    if (!extra) throw new Error("no extra job");
    const { notifier, handler } = setUp();
    const result = await handler.run({ ...extra }, ctx("2027-01-10T12:05:01Z"));
    expect(result).toEqual({ kind: "done", outcome: "delivered", next: [] });
    expect(notifier.sent).toHaveLength(1);
    expect((await reminders.get(r.id, "musterstadt"))?.status).toBe("active");
  });

  it("does nothing for a reminder paused or deleted meanwhile", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const job = await pendingJob(r.id);
    const { notifier, handler } = setUp();
    await reminders.pause(r.id, "musterstadt");
    expect(await handler.run(job, ctx("2027-01-04T08:00:01Z"))).toEqual({
      kind: "done",
      outcome: "inactive",
    });
    await reminders.remove(r.id, "musterstadt");
    expect(await handler.run(job, ctx("2027-01-04T08:00:01Z"))).toEqual({
      kind: "done",
      outcome: "inactive",
    });
    expect(notifier.sent).toEqual([]);
  });

  it("waits as long as the platform asks when rate-limited", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const { handler } = setUp([{ ok: false, reason: "rate-limited", retryAfterMs: 30_000 }]);
    expect(await handler.run(await pendingJob(r.id), ctx("2027-01-04T08:00:01Z"))).toEqual({
      kind: "wait",
      afterMs: 30_000,
    });
  });

  it("pauses a reminder whose channel is gone and tells its creator personally, logging no text or user id", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    await reminders.sendNow(r.id, "musterstadt", new Date("2027-01-03T12:01:00Z"));
    const job = await pendingJob(r.id);
    const { notifier, handler, logs } = setUp([{ ok: false, reason: "gone" }]);
    expect(await handler.run(job, ctx("2027-01-04T08:00:01Z"))).toEqual({ kind: "failed", outcome: "gone" });
    expect(await reminders.get(r.id, "musterstadt")).toMatchObject({
      status: "paused",
      pausedReason: "conversation_gone",
    });
    expect(notifier.sent[1]).toEqual({
      target: { kind: "user", userId: "U0ERIKA01", tenant: "musterstadt" },
      reply: notice(`gone ${r.id}`),
    });
    // The other pending occurrence (the extra) is cancelled with the pause.
    expect(await jobsOf(db, reminderSubject(r.id), { statuses: ["pending"] })).toEqual([]);
    const logged = JSON.stringify(logs);
    expect(logged).toContain("reminder target gone, paused");
    for (const secret of ["U0ERIKA01", "Erika", "Wochenrunde"]) expect(logged).not.toContain(secret);
  });

  it("pauses a channel reminder whose creator's data was deleted without trying to tell anybody", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    // What lotse privacy delete leaves of the creator (src/privacy/personal-data.ts, reminders: anonymise).
    await db.query(
      "UPDATE reminders SET creator_pseudonym = 'geloescht', creator_user_id = '', creator_name = NULL WHERE reminder_id = $1",
      [r.id],
    );
    const { notifier, handler, logs } = setUp([{ ok: false, reason: "gone" }]);
    expect(await handler.run(await pendingJob(r.id), ctx("2027-01-04T08:00:01Z"))).toEqual({
      kind: "failed",
      outcome: "gone",
    });
    expect((await reminders.get(r.id, "musterstadt"))?.status).toBe("paused");
    // Only the failed channel post: no personal message to an empty user id.
    expect(notifier.sent).toHaveLength(1);
    expect(logs.some((l) => l.msg === "reminder creator erased, not told")).toBe(true);
  });

  it("only logs when the creator cannot be told either", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const { notifier, handler, logs } = setUp([
      { ok: false, reason: "gone" },
      { ok: false, reason: "gone" },
    ]);
    expect(await handler.run(await pendingJob(r.id), ctx("2027-01-04T08:00:01Z"))).toEqual({
      kind: "failed",
      outcome: "gone",
    });
    expect(notifier.sent).toHaveLength(2);
    expect(logs.some((l) => l.msg === "reminder creator not told" && l.reason === "gone")).toBe(true);
  });

  it("asks for a retry with the error's code when sending throws, and when the platform has no notifier", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const job = await pendingJob(r.id);
    const { handler } = setUp([
      new LotseError("SLACK_POST_FAILED", "chat.postMessage: internal_error"),
      new Error("socket hang up"),
    ]);
    expect(await handler.run(job, ctx("2027-01-04T08:00:01Z"))).toEqual({
      kind: "retry",
      outcome: "SLACK_POST_FAILED",
    });
    expect(await handler.run(job, ctx("2027-01-04T08:01:01Z"))).toEqual({
      kind: "retry",
      outcome: "INTERNAL",
    });
    const teamsOnly = setUp([], "teams");
    expect(await teamsOnly.handler.run(job, ctx("2027-01-04T08:00:01Z"))).toEqual({
      kind: "retry",
      outcome: "NOTIFIER_MISSING",
    });
  });

  it("plans the next occurrence when one finally failed or was skipped, so a recurring reminder goes on", async () => {
    const r = await reminders.add(weekly, new Date("2027-01-03T12:00:00Z"));
    const job = await pendingJob(r.id);
    const { handler } = setUp();
    for (const status of ["failed", "skipped"] as const) {
      const next = await handler.settled(
        job,
        { status, outcome: "SLACK_POST_FAILED", now: new Date("2027-01-04T09:00:00Z") },
        db,
      );
      expect(next.map((j) => j.key)).toEqual([`${r.id}@2027-01-11T08:00:00.000Z`]);
    }
    expect(
      await handler.settled(
        { ...job, payload: { extra: true } },
        { status: "failed", outcome: "INTERNAL", now: new Date() },
        db,
      ),
    ).toEqual([]);
    await reminders.pause(r.id, "musterstadt");
    expect(
      await handler.settled(job, { status: "skipped", outcome: "beyond_grace", now: new Date() }, db),
    ).toEqual([]);
  });

  it("ends a one-off whose only occurrence was skipped", async () => {
    const r = await reminders.add({ ...weekly, rrule: ONCE }, new Date("2027-01-10T12:00:00Z"));
    const { handler } = setUp();
    const next = await handler.settled(
      await pendingJob(r.id),
      { status: "skipped", outcome: "beyond_grace", now: new Date("2027-01-16T09:00:00Z") },
      db,
    );
    expect(next).toEqual([]);
    expect((await reminders.get(r.id, "musterstadt"))?.status).toBe("ended");
  });
});

describe("ReminderJob under the Scheduler", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM reminders");
    await db.query("DELETE FROM jobs");
  });

  /** A scheduler without rate limits on a pacer of fake time, so nothing sleeps for real. */
  const scheduler = (handler: ReminderJob) =>
    new Scheduler({
      db,
      handlers: [handler],
      log: silentLogger,
      pacer: new Pacer({}, { now: () => 0, sleep: async () => undefined }),
      backoffMs: () => 60_000,
    });
  /** Twice a day, at 08:00 and 20:00 UTC, from `from` to `to`, except on the days listed. */
  const ticks = function* (from: string, to: string, down: string[] = []) {
    for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += 12 * 3_600_000) {
      const at = new Date(t);
      if (!down.includes(at.toISOString().slice(0, 10))) yield at;
    }
  };
  const dueTimes = (n: FakeNotifier) =>
    n.sent.map((s) => (s.reply.kind === "notice" ? s.reply.text.split(" | ")[1] : s.reply.kind));

  it("delivers a weekly reminder over a month exactly once per Monday, however often it ticks", async () => {
    const reminders = new Reminders({ db, log: silentLogger });
    const r = await reminders.add(weekly, new Date("2027-01-03T20:00:00Z"));
    const notifier = new FakeNotifier("slack");
    const s = scheduler(
      new ReminderJob({
        db,
        notifiers: new Map([["slack", notifier]]),
        render,
        log: silentLogger,
        graceMs: 6 * 3_600_000,
      }),
    );
    for (const at of ticks("2027-01-03T20:00:00Z", "2027-02-01T20:00:00Z")) {
      await s.runDue(at);
      await s.runDue(at);
    }
    expect(dueTimes(notifier)).toEqual([
      "fällig 2027-01-04T08:00:00.000Z",
      "fällig 2027-01-11T08:00:00.000Z",
      "fällig 2027-01-18T08:00:00.000Z",
      "fällig 2027-01-25T08:00:00.000Z",
      "fällig 2027-02-01T08:00:00.000Z",
    ]);
    const jobs = await jobsOf(db, reminderSubject(r.id), { limit: 100 });
    expect(jobs.map((j) => [j.dueAt.toISOString(), j.status, j.outcome ?? null])).toEqual([
      ["2027-02-08T08:00:00.000Z", "pending", null],
      ["2027-02-01T08:00:00.000Z", "done", "delivered"],
      ["2027-01-25T08:00:00.000Z", "done", "delivered"],
      ["2027-01-18T08:00:00.000Z", "done", "delivered"],
      ["2027-01-11T08:00:00.000Z", "done", "delivered"],
      ["2027-01-04T08:00:00.000Z", "done", "delivered"],
    ]);
  });

  it("after downtime posts a missed Monday late within the grace window, skips one beyond it, and goes on", async () => {
    const reminders = new Reminders({ db, log: silentLogger });
    const r = await reminders.add(weekly, new Date("2027-01-03T20:00:00Z"));
    const notifier = new FakeNotifier("slack");
    const s = scheduler(
      new ReminderJob({
        db,
        notifiers: new Map([["slack", notifier]]),
        render,
        log: silentLogger,
        graceMs: 6 * 3_600_000,
      }),
    );
    // Down on 11 January (first seen at 12:00, four hours late) and all of 18 January (seen at 20:00, twelve).
    const times = [
      ...ticks("2027-01-03T20:00:00Z", "2027-01-25T20:00:00Z", ["2027-01-11", "2027-01-18"]),
      new Date("2027-01-11T12:00:00Z"),
      new Date("2027-01-18T20:00:00Z"),
    ].sort((a, b) => a.getTime() - b.getTime());
    for (const at of times) await s.runDue(at);
    expect(
      notifier.sent.map((x) =>
        x.reply.kind === "notice" ? x.reply.text.split(" | ").slice(1).join(" ") : "",
      ),
    ).toEqual([
      "fällig 2027-01-04T08:00:00.000Z late=false",
      "fällig 2027-01-11T08:00:00.000Z late=true",
      "fällig 2027-01-25T08:00:00.000Z late=false",
    ]);
    const listed = await reminders.list({ tenant: "musterstadt" }, new Date("2027-01-25T20:00:00Z"));
    expect(listed[0]).toMatchObject({ next: new Date("2027-02-01T08:00:00Z"), skipped: 1, failed: 0 });
    expect(listed[0]?.reminder.id).toBe(r.id);
  });

  it("after five hours down posts an hourly reminder once, late, not once per missed hour", async () => {
    const reminders = new Reminders({ db, log: silentLogger });
    const r = await reminders.add(
      { ...weekly, rrule: "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=HOURLY" },
      new Date("2027-01-04T07:00:00Z"),
    );
    const notifier = new FakeNotifier("slack");
    const s = scheduler(
      new ReminderJob({
        db,
        notifiers: new Map([["slack", notifier]]),
        render,
        log: silentLogger,
        graceMs: 6 * 3_600_000,
      }),
    );
    // Due from 08:00 UTC every hour; the service was down until 13:30.
    await s.runDue(new Date("2027-01-04T13:30:00Z"));
    await s.runDue(new Date("2027-01-04T13:30:00Z"));
    expect(dueTimes(notifier)).toEqual(["fällig 2027-01-04T13:00:00.000Z"]);
    expect(notifier.sent[0]?.reply.kind === "notice" && notifier.sent[0].reply.text).toContain("late=true");
    const jobs = await jobsOf(db, reminderSubject(r.id), { limit: 100 });
    expect(jobs.map((j) => [j.dueAt.toISOString().slice(11, 16), j.status, j.outcome ?? null])).toEqual([
      ["14:00", "pending", null],
      ["13:00", "done", "delivered"],
      ["12:00", "done", "superseded"],
      ["11:00", "done", "superseded"],
      ["10:00", "done", "superseded"],
      ["09:00", "done", "superseded"],
      ["08:00", "done", "superseded"],
    ]);
    const [listed] = await reminders.list({ tenant: "musterstadt" }, new Date("2027-01-04T13:30:00Z"));
    expect(listed?.last).toMatchObject({ dueAt: new Date("2027-01-04T13:00:00Z"), outcome: "delivered" });
  });

  it("marks an occurrence failed after the last retry and still delivers the next Monday", async () => {
    const reminders = new Reminders({ db, log: silentLogger });
    await reminders.add(weekly, new Date("2027-01-10T20:00:00Z"));
    const boom = () => new LotseError("SLACK_POST_FAILED", "chat.postMessage: internal_error");
    const notifier = new FakeNotifier("slack", [boom(), boom(), boom(), boom(), boom()]);
    const s = scheduler(
      new ReminderJob({
        db,
        notifiers: new Map([["slack", notifier]]),
        render,
        log: silentLogger,
        graceMs: 6 * 3_600_000,
      }),
    );
    // Retries a minute apart: five attempts within the first five minutes after 9:00.
    for (let m = 0; m <= 6; m++) await s.runDue(new Date(Date.parse("2027-01-11T08:00:00Z") + m * 60_000));
    await s.runDue(new Date("2027-01-18T08:00:00Z"));
    expect(notifier.sent).toHaveLength(6);
    const [l] = await reminders.list({ tenant: "musterstadt" }, new Date("2027-01-18T08:00:01Z"));
    expect(l).toMatchObject({
      next: new Date("2027-01-25T08:00:00Z"),
      last: { dueAt: new Date("2027-01-18T08:00:00Z"), status: "done", outcome: "delivered" },
      failed: 1,
    });
  });
});

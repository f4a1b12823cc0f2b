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
import { DeadlineNoticeJob, type DeadlineRender } from "../../src/reminders/deadline-notice-job.ts";
import {
  type DeadlineSource,
  type DeadlineSubscription,
  DeadlineSubscriptions,
  subscriptionSubject,
} from "../../src/reminders/deadline-subscriptions.ts";
import type { Deadline } from "../../src/reminders/deadlines/deadlines.ts";

const indicators: Deadline = {
  docId: "frist-indikatoren",
  tenant: "musterstadt",
  title: "Indikatoren für den Nachhaltigkeitsbericht",
  due: "jährlich am 31.3.",
  rrule: "DTSTART;TZID=Europe/Berlin:20270331T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
  reading: "jährlich am 31. März um 9:00 Uhr",
  summary: "Die Fachbereiche melden ihre Indikatoren bis zum 31. März an die Nachhaltigkeitskoordination.",
};

class FakeDeadlines implements DeadlineSource {
  list_: Deadline[] = [indicators];
  async list(): Promise<Deadline[]> {
    return this.list_;
  }
  async get(_tenant: string, docId: string): Promise<Deadline | undefined> {
    return this.list_.find((d) => d.docId === docId);
  }
}

type Script = NotifyOutcome | Error;

class FakeNotifier implements Notifier {
  readonly platform = "teams" as const;
  readonly sent: { target: NotifyTarget; reply: Reply }[] = [];
  private readonly script: Script[];
  constructor(script: Script[] = []) {
    this.script = script;
  }
  async send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
    this.sent.push({ target, reply });
    const next = this.script.shift() ?? { ok: true, conversationId: "19:abc@thread.tacv2;messageid=1" };
    if (next instanceof Error) throw next;
    return next;
  }
}

const render: DeadlineRender = {
  notice: (d, occ) =>
    notice(`${d.title} | ${occ.deadlineAt.toISOString()} | ${occ.leadDays} | late=${occ.late}`),
};

const ctx = (now: string, late = false): RunContext => ({
  now: new Date(now),
  late,
  lastAttempt: false,
  signal: new AbortController().signal,
});
const JAN = new Date("2027-01-10T10:00:00Z");

describe("DeadlineNoticeJob", () => {
  let db: Database;
  let deadlines: FakeDeadlines;
  let subs: DeadlineSubscriptions;
  let sub: DeadlineSubscription;

  const setUp = (script: Script[] = []) => {
    const notifier = new FakeNotifier(script);
    const handler = new DeadlineNoticeJob({
      subscriptions: subs,
      deadlines,
      notifiers: new Map([["teams", notifier]]),
      render,
      log: silentLogger,
      graceMs: 6 * 3_600_000,
    });
    return { notifier, handler };
  };
  /** The pending notice of a lead day, as the scheduler hands it over. */
  const noticeFor = async (lead: number): Promise<Job> => {
    const all = await jobsOf(db, subscriptionSubject(sub.id), { statuses: ["pending"] });
    const j = all.find((x) => x.payload.leadDays === lead);
    if (!j) throw new Error(`no pending notice for lead ${lead}`);
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
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM deadline_subscriptions");
    await db.query("DELETE FROM jobs");
    deadlines = new FakeDeadlines();
    subs = new DeadlineSubscriptions({ db, deadlines, log: silentLogger, clock: { now: () => JAN } });
    sub = (
      await subs.subscribe(
        {
          tenant: "musterstadt",
          platform: "teams",
          conversationId: "19:abc@thread.tacv2",
          leadDays: [14, 2],
          creatorPseudonym: "p-4f2a9c",
        },
        JAN,
      )
    ).subscription;
  });

  it("posts the notice as a new top-level post and plans the same lead day for next year's deadline", async () => {
    const { notifier, handler } = setUp();
    const job = await noticeFor(14);
    expect(job.dueAt).toEqual(new Date("2027-03-17T08:00:00Z"));
    const result = await handler.run(job, ctx("2027-03-17T08:00:01Z"));
    expect(notifier.sent).toEqual([
      {
        target: { kind: "new-thread", channelConversationId: "19:abc@thread.tacv2" },
        reply: notice(
          "Indikatoren für den Nachhaltigkeitsbericht | 2027-03-31T07:00:00.000Z | 14 | late=false",
        ),
      },
    ]);
    expect(result).toMatchObject({ kind: "done", outcome: "delivered" });
    const next = result.kind === "done" ? (result.next ?? []) : [];
    expect(next.map((j) => [j.key, j.dueAt])).toEqual([
      [`${sub.id}:frist-indikatoren:2028-03-31T07:00:00.000Z:14`, new Date("2028-03-17T08:00:00Z")],
    ]);
  });

  it("passes over a notice whose next year's notice is already due, planning that one instead", async () => {
    const { notifier, handler } = setUp();
    const result = await handler.run(await noticeFor(14), ctx("2028-03-17T08:30:00Z", true));
    expect(notifier.sent).toEqual([]);
    expect(result).toMatchObject({ kind: "done", outcome: "superseded" });
    const next = result.kind === "done" ? (result.next ?? []) : [];
    expect(next.map((j) => j.dueAt)).toEqual([new Date("2028-03-17T08:00:00Z")]);
  });

  it("passes the late mark to the view", async () => {
    const { notifier, handler } = setUp();
    await handler.run(await noticeFor(2), ctx("2027-03-29T10:00:00Z", true));
    expect(notifier.sent[0]?.reply).toEqual(
      notice("Indikatoren für den Nachhaltigkeitsbericht | 2027-03-31T07:00:00.000Z | 2 | late=true"),
    );
  });

  it("announces nothing for a deadline removed from the knowledge base, or whose date moved", async () => {
    const { notifier, handler } = setUp();
    const job = await noticeFor(14);
    deadlines.list_ = [
      {
        ...indicators,
        rrule: "DTSTART;TZID=Europe/Berlin:20270330T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=30",
      },
    ];
    expect(await handler.run(job, ctx("2027-03-17T08:00:01Z"))).toEqual({
      kind: "done",
      outcome: "deadline_changed",
    });
    deadlines.list_ = [];
    expect(await handler.run(job, ctx("2027-03-17T08:00:01Z"))).toEqual({
      kind: "done",
      outcome: "deadline_removed",
    });
    expect(await handler.settled(job)).toEqual([]);
    expect(notifier.sent).toEqual([]);
  });

  it("announces nothing once the channel unsubscribed or dropped the lead day", async () => {
    const { notifier, handler } = setUp();
    const job = await noticeFor(14);
    await subs.subscribe({ ...sub, leadDays: [2] }, JAN);
    expect(await handler.run(job, ctx("2027-03-17T08:00:01Z"))).toEqual({
      kind: "done",
      outcome: "lead_removed",
    });
    await subs.unsubscribe("musterstadt", "teams", "19:abc@thread.tacv2");
    expect(await handler.run(job, ctx("2027-03-17T08:00:01Z"))).toEqual({
      kind: "done",
      outcome: "unsubscribed",
    });
    expect(notifier.sent).toEqual([]);
  });

  it("unsubscribes a channel that is gone", async () => {
    const { handler } = setUp([{ ok: false, reason: "gone" }]);
    const job = await noticeFor(14);
    expect(await handler.run(job, ctx("2027-03-17T08:00:01Z"))).toEqual({ kind: "failed", outcome: "gone" });
    expect(await subs.list("musterstadt")).toEqual([]);
    const left = await jobsOf(db, subscriptionSubject(sub.id), { statuses: ["pending"] });
    expect(left).toEqual([]);
  });

  it("waits when rate-limited and retries with the error's code when sending throws or no notifier is there", async () => {
    const { handler } = setUp([
      { ok: false, reason: "rate-limited", retryAfterMs: 1_500 },
      new LotseError("TEAMS_SEND_FAILED", "Bot Connector 502"),
    ]);
    const job = await noticeFor(2);
    expect(await handler.run(job, ctx("2027-03-29T07:00:01Z"))).toEqual({ kind: "wait", afterMs: 1_500 });
    expect(await handler.run(job, ctx("2027-03-29T07:00:03Z"))).toEqual({
      kind: "retry",
      outcome: "TEAMS_SEND_FAILED",
    });
    const bare = new DeadlineNoticeJob({
      subscriptions: subs,
      deadlines,
      notifiers: new Map(),
      render,
      log: silentLogger,
      graceMs: 0,
    });
    expect(await bare.run(job, ctx("2027-03-29T07:00:01Z"))).toEqual({
      kind: "retry",
      outcome: "NOTIFIER_MISSING",
    });
  });

  it("plans next year's notice when this one was skipped or finally failed", async () => {
    const { handler } = setUp();
    const next = await handler.settled(await noticeFor(2));
    expect(next.map((j) => j.key)).toEqual([`${sub.id}:frist-indikatoren:2028-03-31T07:00:00.000Z:2`]);
  });
});

describe("DeadlineNoticeJob under the Scheduler", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it("announces a yearly deadline 14 and 2 days before, once each, across the spring clock change", async () => {
    const deadlines = new FakeDeadlines();
    const subs = new DeadlineSubscriptions({ db, deadlines, log: silentLogger, clock: { now: () => JAN } });
    const { subscription } = await subs.subscribe(
      {
        tenant: "musterstadt",
        platform: "teams",
        conversationId: "19:abc@thread.tacv2",
        leadDays: [14, 2],
        creatorPseudonym: "p-4f2a9c",
      },
      JAN,
    );
    const notifier = new FakeNotifier();
    const s = new Scheduler({
      db,
      log: silentLogger,
      handlers: [
        new DeadlineNoticeJob({
          subscriptions: subs,
          deadlines,
          notifiers: new Map([["teams", notifier]]),
          render,
          log: silentLogger,
          graceMs: 6 * 3_600_000,
        }),
      ],
      pacer: new Pacer({}, { now: () => 0, sleep: async () => undefined }),
    });
    // Hourly from 6:00 to 10:00 UTC every day from 10 January to 10 April, and a replan (as after an ingest) each day.
    for (
      let day = Date.parse("2027-01-10T00:00:00Z");
      day <= Date.parse("2027-04-10T00:00:00Z");
      day += 86_400_000
    ) {
      for (let h = 6; h <= 10; h++) await s.runDue(new Date(day + h * 3_600_000));
      await subs.replan(new Date(day + 10 * 3_600_000));
    }
    expect(notifier.sent.map((x) => (x.reply.kind === "notice" ? x.reply.text : ""))).toEqual([
      "Indikatoren für den Nachhaltigkeitsbericht | 2027-03-31T07:00:00.000Z | 14 | late=false",
      "Indikatoren für den Nachhaltigkeitsbericht | 2027-03-31T07:00:00.000Z | 2 | late=false",
    ]);
    const jobs = await jobsOf(db, subscriptionSubject(subscription.id), { limit: 10 });
    expect(jobs.map((j) => [j.dueAt.toISOString(), j.status]).sort()).toEqual([
      ["2027-03-17T08:00:00.000Z", "done"],
      ["2027-03-29T07:00:00.000Z", "done"],
      ["2028-03-17T08:00:00.000Z", "pending"],
      ["2028-03-29T07:00:00.000Z", "pending"],
    ]);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";
import { jobsOf } from "../../src/jobs/job-store.ts";
import { silentLogger } from "../../src/log.ts";
import {
  type DeadlineSource,
  DeadlineSubscriptions,
  firstNotice,
  noticeAt,
  subscriptionSubject,
} from "../../src/reminders/deadline-subscriptions.ts";
import type { Deadline } from "../../src/reminders/deadlines/deadlines.ts";

/** Indicators for the sustainability report: every year by 31 March, 9:00 (CEST: after the last Sunday of March). */
const indicators: Deadline = {
  docId: "frist-indikatoren",
  tenant: "musterstadt",
  title: "Indikatoren für den Nachhaltigkeitsbericht",
  due: "jährlich am 31.3.",
  rrule: "DTSTART;TZID=Europe/Berlin:20270331T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
  reading: "jährlich am 31. März um 9:00 Uhr",
  url: "https://intranet.musterstadt.de/nachhaltigkeit/bericht",
  summary: "Die Fachbereiche melden ihre Indikatoren bis zum 31. März an die Nachhaltigkeitskoordination.",
};
/** The Produktblätter: every year by 2 November, 9:00 (CET: after the last Sunday of October). */
const produktblaetter: Deadline = {
  ...indicators,
  docId: "frist-produktblaetter",
  title: "Produktblätter mit Nachhaltigkeitszielen",
  due: "jährlich am 2.11.",
  rrule: "DTSTART;TZID=Europe/Berlin:20271102T090000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=2",
  reading: "jährlich am 2. November um 9:00 Uhr",
};

/** Deadlines of a knowledge base that a test can change between calls. */
class FakeDeadlines implements DeadlineSource {
  byTenant = new Map<string, Deadline[]>([["musterstadt", [indicators, produktblaetter]]]);
  async list(tenant: string): Promise<Deadline[]> {
    return this.byTenant.get(tenant) ?? [];
  }
  async get(tenant: string, docId: string): Promise<Deadline | undefined> {
    return (await this.list(tenant)).find((d) => d.docId === docId);
  }
}

const channel = {
  tenant: "musterstadt",
  platform: "slack" as const,
  conversationId: "C0NACHHALT",
  leadDays: [14, 2],
  creatorPseudonym: "p-4f2a9c",
};
const at = (iso: string) => new Date(iso);
const JAN = at("2027-01-10T10:00:00Z");

describe("deadline notice times", () => {
  it("keeps the local hour across the spring change: 14 days before 31 March 9:00 CEST is 17 March 9:00 CET", () => {
    const deadline = at("2027-03-31T07:00:00Z");
    expect(noticeAt(deadline, 14, "Europe/Berlin")).toEqual(at("2027-03-17T08:00:00Z"));
    expect(noticeAt(deadline, 2, "Europe/Berlin")).toEqual(at("2027-03-29T07:00:00Z"));
    expect(noticeAt(deadline, 0, "Europe/Berlin")).toEqual(deadline);
  });

  it("keeps the local hour across the autumn change: 2 days before 2 November 9:00 CET is 31 October 9:00 CET", () => {
    const deadline = at("2027-11-02T08:00:00Z");
    expect(noticeAt(deadline, 2, "Europe/Berlin")).toEqual(at("2027-10-31T08:00:00Z"));
    expect(noticeAt(deadline, 14, "Europe/Berlin")).toEqual(at("2027-10-19T07:00:00Z"));
  });

  it("takes the next year's occurrence once this year's notice has passed, even by an hour's DST difference", () => {
    expect(firstNotice(indicators, 14, at("2027-03-17T08:00:00Z"))).toEqual({
      deadlineAt: at("2027-03-31T07:00:00Z"),
      noticeAt: at("2027-03-17T08:00:00Z"),
    });
    // 07:30 UTC is after the deadline's own time of day minus 14 × 24 h, but before the notice at 08:00 UTC.
    expect(firstNotice(indicators, 14, at("2027-03-17T07:30:00Z"))?.noticeAt).toEqual(
      at("2027-03-17T08:00:00Z"),
    );
    expect(firstNotice(indicators, 14, at("2027-03-17T08:00:01Z"))).toEqual({
      deadlineAt: at("2028-03-31T07:00:00Z"),
      noticeAt: at("2028-03-17T08:00:00Z"),
    });
  });
});

describe("DeadlineSubscriptions", () => {
  let db: Database;
  let deadlines: FakeDeadlines;
  let subs: DeadlineSubscriptions;
  let wakes = 0;
  const grace = 6 * 3_600_000;
  const jobCount = async () =>
    Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM jobs")).rows[0]?.n);

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
    wakes = 0;
    subs = new DeadlineSubscriptions({
      db,
      deadlines,
      log: silentLogger,
      wake: () => wakes++,
      graceMs: grace,
      clock: { now: () => JAN },
    });
  });

  it("subscribes a channel and plans the next notice of every deadline and lead day, at the local hour", async () => {
    const { subscription, created, planned } = await subs.subscribe(channel, JAN);
    expect(created).toBe(true);
    expect(planned).toBe(4);
    expect(subscription).toMatchObject({ ...channel, id: expect.stringMatching(/^\d+$/) });
    const jobs = await jobsOf(db, subscriptionSubject(subscription.id));
    expect(jobs.map((j) => [j.key, j.dueAt.toISOString()]).sort()).toEqual([
      [`${subscription.id}:frist-indikatoren:2027-03-31T07:00:00.000Z:14`, "2027-03-17T08:00:00.000Z"],
      [`${subscription.id}:frist-indikatoren:2027-03-31T07:00:00.000Z:2`, "2027-03-29T07:00:00.000Z"],
      [`${subscription.id}:frist-produktblaetter:2027-11-02T08:00:00.000Z:14`, "2027-10-19T07:00:00.000Z"],
      [`${subscription.id}:frist-produktblaetter:2027-11-02T08:00:00.000Z:2`, "2027-10-31T08:00:00.000Z"],
    ]);
    expect(jobs[0]).toMatchObject({
      kind: "deadline-notice",
      tenant: "musterstadt",
      lane: "slack:C0NACHHALT",
      status: "pending",
    });
    expect(wakes).toBe(1);
  });

  it("subscribing again is idempotent: the same subscription, nothing planned twice", async () => {
    const first = await subs.subscribe(channel, JAN);
    const again = await subs.subscribe({ ...channel, leadDays: [2, 14, 2] }, at("2027-01-11T10:00:00Z"));
    expect(again).toEqual({ subscription: first.subscription, created: false, planned: 0 });
    expect(await jobCount()).toBe(4);
    expect(await subs.list("musterstadt")).toEqual([first.subscription]);
  });

  it("subscribing again with other lead days keeps the subscription and plans the new lead day", async () => {
    const first = await subs.subscribe(channel, JAN);
    const again = await subs.subscribe({ ...channel, leadDays: [30, 2] }, JAN);
    expect(again.created).toBe(false);
    expect(again.subscription).toMatchObject({ id: first.subscription.id, leadDays: [30, 2] });
    expect(again.planned).toBe(2);
  });

  it("plans only notices at or after now minus the grace window", async () => {
    // 17 March, 10:00 CET: the 14-day notice (9:00) is an hour old, within the grace window; the 2-day one is ahead.
    const { subscription } = await subs.subscribe(
      { ...channel, leadDays: [30, 14, 2] },
      at("2027-03-17T09:00:00Z"),
    );
    const keys = (await jobsOf(db, subscriptionSubject(subscription.id))).map((j) => j.key).sort();
    expect(keys.filter((k) => k.includes("indikatoren"))).toEqual([
      `${subscription.id}:frist-indikatoren:2027-03-31T07:00:00.000Z:14`,
      `${subscription.id}:frist-indikatoren:2027-03-31T07:00:00.000Z:2`,
      `${subscription.id}:frist-indikatoren:2028-03-31T07:00:00.000Z:30`,
    ]);
  });

  it("replans idempotently: a second call plans nothing; a new deadline after ingest is planned once", async () => {
    await subs.subscribe(channel, JAN);
    await subs.subscribe(
      { ...channel, platform: "teams", conversationId: "19:abc@thread.tacv2", leadDays: [7] },
      JAN,
    );
    expect(await jobCount()).toBe(6);
    expect(await subs.replan(JAN)).toBe(0);
    expect(await subs.replan(at("2027-01-10T11:00:00Z"))).toBe(0);
    expect(await jobCount()).toBe(6);
    deadlines.byTenant.set("musterstadt", [
      indicators,
      produktblaetter,
      {
        ...indicators,
        docId: "frist-bnk",
        due: "am 30.6.",
        rrule: "DTSTART;TZID=Europe/Berlin:20270630T090000\nRRULE:FREQ=DAILY;COUNT=1",
      },
    ]);
    expect(await subs.replan(JAN)).toBe(3);
    expect(await subs.replan(JAN)).toBe(0);
    expect(await jobCount()).toBe(9);
  });

  it("unsubscribes: the row is gone and pending notices cancelled; again says false", async () => {
    const { subscription } = await subs.subscribe(channel, JAN);
    expect(await subs.unsubscribe("musterstadt", "slack", "C0NACHHALT")).toBe(true);
    expect(await subs.list("musterstadt")).toEqual([]);
    expect(await subs.byId(subscription.id)).toBeUndefined();
    const statuses = (await jobsOf(db, subscriptionSubject(subscription.id))).map((j) => j.status);
    expect(statuses).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    expect(await subs.unsubscribe("musterstadt", "slack", "C0NACHHALT")).toBe(false);
  });

  it("refuses lead days that are not whole days within a year", async () => {
    for (const leadDays of [[], [-1], [1.5], [400]]) {
      const err = await subs.subscribe({ ...channel, leadDays }, JAN).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LotseError);
      expect((err as LotseError).details.reason).toBe("lead_days_invalid");
    }
    expect(await subs.list("musterstadt")).toEqual([]);
  });
});

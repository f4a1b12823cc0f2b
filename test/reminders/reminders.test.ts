import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";
import { jobsOf, planJobs } from "../../src/jobs/job-store.ts";
import { silentLogger } from "../../src/log.ts";
import type { NewReminder } from "../../src/reminders/reminder-store.ts";
import { laneOf, REMINDER_JOB, Reminders, reminderSubject } from "../../src/reminders/reminders.ts";

/** Every Monday at 9:00 Berlin time (08:00 UTC in winter), from 4 January 2027. */
const WEEKLY = "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO";
/** Once, on 15 January 2027 at 14:00 Berlin time. */
const ONCE = "DTSTART;TZID=Europe/Berlin:20270115T140000\nRRULE:FREQ=DAILY;COUNT=1";

const weekly: NewReminder = {
  tenant: "musterstadt",
  audience: "channel",
  platform: "slack",
  target: "C0NACHHALT",
  originConversation: "C0NACHHALT",
  text: "Wochenrunde Nachhaltigkeit: Bitte offene Punkte im Board aktualisieren.",
  linkUrl: "https://intranet.musterstadt.de/nachhaltigkeit/board",
  rrule: WEEKLY,
  reading: "jeden Montag um 9:00 Uhr",
  creatorPseudonym: "p-4f2a9c",
  creatorName: "Erika Mustermann",
  creatorUserId: "U0ERIKA01",
  source: "chat",
};
const once: NewReminder = {
  ...weekly,
  text: "Fördermittelantrag Klimaschutz einreichen",
  rrule: ONCE,
  reading: "am 15.1.2027 um 14:00 Uhr",
};

const at = (iso: string) => new Date(iso);

function reasonOf(err: unknown): unknown {
  expect(err).toBeInstanceOf(LotseError);
  return (err as LotseError).details.reason;
}

describe("Reminders", () => {
  let db: Database;
  let wakes = 0;
  let reminders: Reminders;
  const clock = { now: () => at("2027-01-02T10:00:00Z") };
  const jobs = (id: string) => jobsOf(db, reminderSubject(id), { limit: 100 });

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    reminders = new Reminders({ db, log: silentLogger, wake: () => wakes++, clock });
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM reminders");
    await db.query("DELETE FROM jobs");
    wakes = 0;
  });

  it("saves a draft and plans nothing", async () => {
    const d = await reminders.draft(weekly);
    expect(d.status).toBe("draft");
    expect(await jobs(d.id)).toEqual([]);
    expect(wakes).toBe(0);
  });

  it("confirms a draft: active, its first occurrence planned at or after now, the scheduler woken", async () => {
    const d = await reminders.draft(weekly);
    const r = await reminders.confirm(d.id, "musterstadt", at("2027-01-04T08:00:00Z"));
    expect(r.status).toBe("active");
    const planned = await jobs(d.id);
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({
      kind: REMINDER_JOB,
      key: `${d.id}@2027-01-04T08:00:00.000Z`,
      tenant: "musterstadt",
      subject: `reminder:${d.id}`,
      lane: "slack:C0NACHHALT",
      status: "pending",
      payload: {},
    });
    expect(planned[0]?.dueAt).toEqual(at("2027-01-04T08:00:00Z"));
    expect(wakes).toBe(1);
  });

  it("confirming twice (a second click) plans the occurrence once", async () => {
    const d = await reminders.draft(weekly);
    await reminders.confirm(d.id, "musterstadt", at("2027-01-03T12:00:00Z"));
    const again = await reminders.confirm(d.id, "musterstadt", at("2027-01-03T12:00:05Z"));
    expect(again.status).toBe("active");
    expect(await jobs(d.id)).toHaveLength(1);
  });

  it("refuses to confirm a one-off in the past and leaves the draft as it was", async () => {
    const d = await reminders.draft(once);
    const err = await reminders
      .confirm(d.id, "musterstadt", at("2027-01-15T13:00:01Z"))
      .catch((e: unknown) => e);
    expect(reasonOf(err)).toBe("reminder_in_past");
    expect((await reminders.get(d.id, "musterstadt"))?.status).toBe("draft");
    expect(await jobs(d.id)).toEqual([]);
  });

  it("add saves and confirms; a refused one leaves no row behind", async () => {
    const r = await reminders.add(once, at("2027-01-10T09:00:00Z"));
    expect(r.status).toBe("active");
    expect((await jobs(r.id))[0]?.dueAt).toEqual(at("2027-01-15T13:00:00Z"));
    const err = await reminders.add(once, at("2027-02-01T09:00:00Z")).catch((e: unknown) => e);
    expect(reasonOf(err)).toBe("reminder_in_past");
    expect((await db.query("SELECT 1 FROM reminders")).rows).toHaveLength(1);
  });

  it("says a reminder is not found for an unknown id, a forged one and another tenant's", async () => {
    const r = await reminders.add(weekly, at("2027-01-03T12:00:00Z"));
    for (const [id, tenant] of [
      ["999999", "musterstadt"],
      ["abc", "musterstadt"],
      [r.id, "beispielhausen"],
    ] as const) {
      expect(reasonOf(await reminders.pause(id, tenant).catch((e: unknown) => e))).toBe("reminder_not_found");
      expect(
        reasonOf(await reminders.confirm(id, tenant, at("2027-01-03T12:00:00Z")).catch((e: unknown) => e)),
      ).toBe("reminder_not_found");
    }
    expect(await reminders.remove(r.id, "beispielhausen")).toBe(false);
    expect((await reminders.get(r.id, "musterstadt"))?.status).toBe("active");
  });

  it("pauses: pending occurrences cancelled, no next date; pausing again changes nothing", async () => {
    const r = await reminders.add(weekly, at("2027-01-03T12:00:00Z"));
    const paused = await reminders.pause(r.id, "musterstadt");
    expect(paused.status).toBe("paused");
    expect(paused.pausedReason).toBeUndefined();
    expect((await jobs(r.id)).map((j) => j.status)).toEqual(["cancelled"]);
    expect((await reminders.pause(r.id, "musterstadt")).status).toBe("paused");
    const [l] = await reminders.list({ tenant: "musterstadt" }, at("2027-01-03T12:00:00Z"));
    expect(l?.next).toBeUndefined();
    expect(l?.reminder.status).toBe("paused");
  });

  it("resumes before the cancelled occurrence: that same occurrence is planned again, once", async () => {
    const r = await reminders.add(weekly, at("2027-01-03T12:00:00Z"));
    await reminders.pause(r.id, "musterstadt");
    const resumed = await reminders.resume(r.id, "musterstadt", at("2027-01-03T13:00:00Z"));
    expect(resumed.status).toBe("active");
    const pending = (await jobs(r.id)).filter((j) => j.status === "pending");
    expect(pending.map((j) => j.dueAt)).toEqual([at("2027-01-04T08:00:00Z")]);
    expect(await reminders.resume(r.id, "musterstadt", at("2027-01-03T13:00:01Z"))).toMatchObject({
      status: "active",
    });
    expect((await jobs(r.id)).filter((j) => j.status === "pending")).toHaveLength(1);
    const [l] = await reminders.list({ tenant: "musterstadt" }, at("2027-01-03T13:00:00Z"));
    expect(l?.next).toEqual(at("2027-01-04T08:00:00Z"));
  });

  it("resumes later with the next occurrence after now, not the missed ones", async () => {
    const r = await reminders.add(weekly, at("2027-01-03T12:00:00Z"));
    await reminders.pause(r.id, "musterstadt", "conversation_gone");
    expect((await reminders.get(r.id, "musterstadt"))?.pausedReason).toBe("conversation_gone");
    const resumed = await reminders.resume(r.id, "musterstadt", at("2027-01-20T10:00:00Z"));
    expect(resumed.pausedReason).toBeUndefined();
    const pending = (await jobs(r.id)).filter((j) => j.status === "pending");
    expect(pending.map((j) => [j.key, j.dueAt])).toEqual([
      [`${r.id}@2027-01-25T08:00:00.000Z`, at("2027-01-25T08:00:00Z")],
    ]);
  });

  it("refuses to resume a one-off whose time has passed while it was paused", async () => {
    const r = await reminders.add(once, at("2027-01-10T09:00:00Z"));
    await reminders.pause(r.id, "musterstadt");
    const err = await reminders
      .resume(r.id, "musterstadt", at("2027-01-16T09:00:00Z"))
      .catch((e: unknown) => e);
    expect(reasonOf(err)).toBe("reminder_in_past");
    expect((await reminders.get(r.id, "musterstadt"))?.status).toBe("paused");
  });

  it("removes: the row is gone with all its jobs, past ones too; removing again says false", async () => {
    const r = await reminders.add(weekly, at("2027-01-03T12:00:00Z"));
    const other = await reminders.add({ ...weekly, text: "Bleibt" }, at("2027-01-03T12:00:00Z"));
    await db.query("UPDATE jobs SET status = 'done', outcome = 'delivered' WHERE subject = $1", [
      reminderSubject(r.id),
    ]);
    await reminders.sendNow(r.id, "musterstadt", at("2027-01-03T15:30:00Z"));
    expect(await reminders.remove(r.id, "musterstadt")).toBe(true);
    expect(await reminders.get(r.id, "musterstadt")).toBeUndefined();
    expect(await jobs(r.id)).toEqual([]);
    expect(await jobs(other.id)).toHaveLength(1);
    expect(await reminders.remove(r.id, "musterstadt")).toBe(false);
  });

  it("keeps no platform user id of a personal reminder in its jobs, and none at all once it is deleted", async () => {
    const r = await reminders.add(
      { ...weekly, audience: "personal", target: "U0ERIKA01" },
      at("2027-01-03T12:00:00Z"),
    );
    await reminders.sendNow(r.id, "musterstadt", at("2027-01-03T15:30:00Z"));
    const all = await jobs(r.id);
    expect(all.map((j) => j.lane)).toEqual(["slack:user:p-4f2a9c", "slack:user:p-4f2a9c"]);
    const dump = async () => JSON.stringify((await db.query("SELECT * FROM jobs")).rows);
    expect(await dump()).not.toContain("U0ERIKA01");
    await reminders.remove(r.id, "musterstadt");
    expect(await dump()).not.toContain("p-4f2a9c");
  });

  it("says why a reminder cannot be paused or resumed, with stable codes", async () => {
    const r = await reminders.add(once, at("2027-01-10T12:00:00Z"));
    await db.query("UPDATE reminders SET status = 'ended' WHERE reminder_id = $1", [r.id]);
    const paused = await reminders.pause(r.id, "musterstadt").catch((e: unknown) => e);
    expect(reasonOf(paused)).toBe("reminder_not_pausable");
    const resumed = await reminders
      .resume(r.id, "musterstadt", at("2027-01-10T12:00:00Z"))
      .catch((e: unknown) => e);
    expect(reasonOf(resumed)).toBe("reminder_not_paused");
    const missing = await reminders.pause("999999", "musterstadt").catch((e: unknown) => e);
    expect((missing as LotseError).code).toBe("REMINDER_NOT_FOUND");
    const past = await reminders.add(once, at("2027-02-01T00:00:00Z")).catch((e: unknown) => e);
    expect((past as LotseError).code).toBe("REMINDER_IN_PAST");
  });

  it("sends now: an extra occurrence beside the planned one; only an active reminder", async () => {
    const r = await reminders.add(weekly, at("2027-01-03T12:00:00Z"));
    wakes = 0;
    await reminders.sendNow(r.id, "musterstadt", at("2027-01-03T15:30:00Z"));
    const all = await jobs(r.id);
    expect(all.map((j) => [j.key, j.status, j.payload])).toEqual([
      [`${r.id}@2027-01-04T08:00:00.000Z`, "pending", {}],
      [`${r.id}@now:2027-01-03T15:30Z`, "pending", { extra: true }],
    ]);
    expect(wakes).toBe(1);
    // A double click a few hundred milliseconds later sends it once.
    await reminders.sendNow(r.id, "musterstadt", at("2027-01-03T15:30:00.450Z"));
    await reminders.sendNow(r.id, "musterstadt", at("2027-01-03T15:30:59.999Z"));
    expect(await jobs(r.id)).toHaveLength(2);
    await reminders.pause(r.id, "musterstadt");
    const err = await reminders
      .sendNow(r.id, "musterstadt", at("2027-01-03T15:31:00Z"))
      .catch((e: unknown) => e);
    expect(reasonOf(err)).toBe("reminder_not_active");
  });

  it("lists by next date with the last delivery's mark and counts of failed and skipped occurrences", async () => {
    const now = at("2027-01-03T12:00:00Z");
    const w = await reminders.add(weekly, now);
    const o = await reminders.add(once, now);
    const personal = await reminders.add(
      { ...once, audience: "personal", target: "U0ERIKA01", rrule: ONCE.replace("20270115", "20270105") },
      now,
    );
    await reminders.draft(weekly);
    // History of the weekly one, as the scheduler leaves it: a late delivery, a skipped and a failed occurrence.
    const subject = reminderSubject(w.id);
    const history = [
      ["2026-12-14T08:00:00Z", "done", true, "delivered"],
      ["2026-12-21T08:00:00Z", "skipped", false, "beyond_grace"],
      ["2026-12-28T08:00:00Z", "failed", false, "SLACK_POST_FAILED"],
    ] as const;
    for (const [due, status, late, outcome] of history) {
      await planJobs(db, [
        {
          kind: REMINDER_JOB,
          key: `${w.id}@${due}`,
          tenant: "musterstadt",
          subject,
          dueAt: at(due),
          payload: {},
        },
      ]);
      await db.query("UPDATE jobs SET status = $2, late = $3, outcome = $4 WHERE job_key = $1", [
        `${w.id}@${due}`,
        status,
        late,
        outcome,
      ]);
    }
    const listed = await reminders.list(
      { tenant: "musterstadt", conversation: "C0NACHHALT", creatorPseudonym: "p-4f2a9c" },
      now,
    );
    expect(listed.map((l) => [l.reminder.id, l.next])).toEqual([
      [w.id, at("2027-01-04T08:00:00Z")],
      [personal.id, at("2027-01-05T13:00:00Z")],
      [o.id, at("2027-01-15T13:00:00Z")],
    ]);
    expect(listed[0]).toMatchObject({
      last: {
        dueAt: at("2026-12-28T08:00:00Z"),
        status: "failed",
        late: false,
        outcome: "SLACK_POST_FAILED",
      },
      failed: 1,
      skipped: 1,
    });
    expect(listed[1]?.last).toBeUndefined();
    // Someone else in the channel does not see Erika's personal reminder.
    const others = await reminders.list(
      { tenant: "musterstadt", conversation: "C0NACHHALT", creatorPseudonym: "p-other" },
      now,
    );
    expect(others.map((l) => l.reminder.id)).toEqual([w.id, o.id]);
  });

  it("keeps an ended one-off in the list when its occurrence failed, and drops it once delivered", async () => {
    const now = at("2027-01-10T09:00:00Z");
    const failedOne = await reminders.add(once, now);
    const deliveredOne = await reminders.add(once, now);
    await db.query("UPDATE reminders SET status = 'ended'");
    await db.query("UPDATE jobs SET status = 'failed', outcome = 'gone' WHERE subject = $1", [
      reminderSubject(failedOne.id),
    ]);
    await db.query("UPDATE jobs SET status = 'done', outcome = 'delivered' WHERE subject = $1", [
      reminderSubject(deliveredOne.id),
    ]);
    const listed = await reminders.list({ tenant: "musterstadt" }, at("2027-01-16T09:00:00Z"));
    expect(listed.map((l) => [l.reminder.id, l.last?.status])).toEqual([[failedOne.id, "failed"]]);
    const all = await reminders.list(
      { tenant: "musterstadt", includeEnded: true },
      at("2027-01-16T09:00:00Z"),
    );
    expect(all).toHaveLength(2);
  });

  it("purges unconfirmed drafts only", async () => {
    await reminders.draft(weekly);
    const kept = await reminders.add(weekly, at("2027-01-03T12:00:00Z"));
    await db.query("UPDATE reminders SET created_at = '2027-01-01T00:00:00Z'");
    expect(await reminders.purgeDrafts(at("2027-01-02T00:00:00Z"))).toBe(1);
    expect(await reminders.get(kept.id, "musterstadt")).toBeDefined();
  });

  it("paces a personal reminder in the user's own lane", () => {
    expect(laneOf("slack", "p-4f2a9c", "personal")).toBe("slack:user:p-4f2a9c");
    expect(laneOf("teams", "19:abc@thread.tacv2")).toBe("teams:19:abc@thread.tacv2");
  });
});

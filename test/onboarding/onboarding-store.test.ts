import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { People } from "../../src/core/people.ts";
import { Pseudonyms } from "../../src/core/pseudonyms.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { nudgeAt, nudgeJob } from "../../src/onboarding/onboarding-nudge.ts";
import { moveOnboarding, OnboardingStore, type StepBy } from "../../src/onboarding/onboarding-store.ts";

const KEY = "5b7d9f1a3c5e7a9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7a";
const TENANT = "musterstadt";
const MODULE_1 = "musterstadt/onboarding-modul-1";
const MODULE_2 = "musterstadt/onboarding-modul-2";

let db: Database;
let store: OnboardingStore;
const pseudonyms = new Pseudonyms(KEY);
beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  store = new OnboardingStore(db);
});
afterAll(() => db.close());

const by = (at: string, userId = "U0LEA0001", platform: StepBy["platform"] = "slack"): StepBy => ({
  platform,
  userId,
  displayName: null,
  at: new Date(at),
});

/** Begun, the common path chosen, module 1 answered and module 2 entered: half way. */
async function halfWay(person: string, userId: string): Promise<void> {
  await store.begin(TENANT, person, by("2026-11-30T09:00:00Z", userId));
  await store.chooseRole(TENANT, person, null, MODULE_1, by("2026-11-30T09:01:00Z", userId));
  await db.query(
    "UPDATE onboarding_progress SET completed = $3, current_module = $4 WHERE tenant = $1 AND person = $2",
    [TENANT, person, [MODULE_1], MODULE_2],
  );
}

const nudgesOf = async (subjectLike: string) =>
  (
    await db.query<{ status: string; due_at: Date; payload: { person: string } }>(
      "SELECT status, due_at, payload FROM jobs WHERE kind = 'onboarding-nudge' AND subject LIKE $1 ORDER BY job_id",
      [subjectLike],
    )
  ).rows;

describe("onboarding progress when a person turns out to be linked by email", () => {
  it("moves the progress and its pending nudge from the platform pseudonym to the email person", async () => {
    const people = new People(db, pseudonyms, [moveOnboarding]);
    const slack = pseudonyms.of("slack", "U0LEA0001");
    await halfWay(slack, "U0LEA0001");
    const paused = await store.pause(TENANT, slack, by("2026-11-30T10:00:00Z"), (p) =>
      nudgeJob(p, nudgeAt(new Date("2026-11-30T10:00:00Z"), null)),
    );
    expect(paused?.planned).toBeDefined();

    const person = await people.link(TENANT, "slack", slack, "lea.koch@musterstadt.example");
    expect(person).not.toBe(slack);
    expect(await store.get(TENANT, slack)).toBeUndefined();
    expect(await store.get(TENANT, person)).toMatchObject({
      status: "paused",
      currentModule: MODULE_2,
      completed: [MODULE_1],
    });
    const jobs = await nudgesOf(`%${person}%`);
    expect(jobs.map((j) => [j.status, j.payload.person])).toEqual([["pending", person]]);
    expect(await nudgesOf(`%${slack}%`)).toEqual([]);
    // Linking again changes nothing.
    expect(await people.link(TENANT, "slack", slack, "lea.koch@musterstadt.example")).toBe(person);
    expect((await store.get(TENANT, person))?.completed).toEqual([MODULE_1]);
  });

  it("keeps the progress further along where the person had begun on the other platform too", async () => {
    const people = new People(db, pseudonyms, [moveOnboarding]);
    const email = "jan.berg@musterstadt.example";
    const teams = pseudonyms.of("teams", "29:1jan");
    const person = await people.link(TENANT, "teams", teams, email);
    await halfWay(person, "29:1jan");
    // On Slack, not linked yet, Jan began again and is only at the role choice.
    const slack = pseudonyms.of("slack", "U0JAN0001");
    await store.begin(TENANT, slack, by("2026-12-01T09:00:00Z", "U0JAN0001"));
    await people.link(TENANT, "slack", slack, email);
    expect(await store.get(TENANT, slack)).toBeUndefined();
    expect((await store.get(TENANT, person))?.completed).toEqual([MODULE_1]);
  });
});

describe("a link where the platform's own progress is further along than the email person's", () => {
  it("keeps the further row, cancels the replaced row's nudge and moves the kept one's with its lane", async () => {
    const people = new People(db, pseudonyms, [moveOnboarding]);
    const email = "eva.weit@musterstadt.example";
    const person = pseudonyms.ofEmail(TENANT, email);
    // On Teams (linked) Eva only began and paused at module 1; her nudge is pending.
    const teams = pseudonyms.of("teams", "29:1eva");
    await people.link(TENANT, "teams", teams, email);
    await store.begin(TENANT, person, by("2026-11-30T09:00:00Z", "29:1eva", "teams"));
    await store.chooseRole(TENANT, person, null, MODULE_1, by("2026-11-30T09:01:00Z", "29:1eva", "teams"));
    await store.pause(TENANT, person, by("2026-11-30T09:02:00Z", "29:1eva", "teams"), (p) =>
      nudgeJob(p, nudgeAt(new Date("2026-11-30T09:02:00Z"), null)),
    );
    // On Slack (not linked yet) she got further and paused at module 2, a week later.
    const slack = pseudonyms.of("slack", "U0EVA00001");
    await halfWay(slack, "U0EVA00001");
    await store.pause(TENANT, slack, by("2026-12-07T10:00:00Z", "U0EVA00001"), (p) =>
      nudgeJob(p, nudgeAt(new Date("2026-12-07T10:00:00Z"), null)),
    );
    await people.link(TENANT, "slack", slack, email);
    expect((await store.get(TENANT, person))?.completed).toEqual([MODULE_1]);
    expect(await store.get(TENANT, slack)).toBeUndefined();
    const jobs = await db.query<{ status: string; lane: string; due: string }>(
      `SELECT status, lane, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS due FROM jobs
       WHERE subject = $1 ORDER BY due_at`,
      [`onboarding:${TENANT}:${person}`],
    );
    expect(jobs.rows).toEqual([
      // Teams' nudge for the row that went: cancelled, so only one goes out.
      { status: "cancelled", lane: `teams:user:${person}`, due: "2026-12-02T08:00" },
      // Slack's, now the person's, in the person's lane.
      { status: "pending", lane: `slack:user:${person}`, due: "2026-12-09T08:00" },
    ]);
  });
});

describe("„Später fortsetzen“ twice in one week", () => {
  it("plans the nudge again when the week's first found the person active and sent nothing", async () => {
    const person = pseudonyms.of("slack", "U0MIA0001");
    await halfWay(person, "U0MIA0001");
    // Paused on Monday: the nudge is due Wednesday 9:00.
    const monday = "2026-11-30T10:00:00Z";
    const first = await store.pause(TENANT, person, by(monday, "U0MIA0001"), (p) =>
      nudgeJob(p, nudgeAt(new Date(monday), null)),
    );
    expect(first?.planned?.dueAt.toISOString()).toBe("2026-12-02T08:00:00.000Z");
    // Resumed on Tuesday; on Wednesday the nudge finds her active and ends without sending.
    await store.resume(TENANT, person, by("2026-12-01T09:00:00Z", "U0MIA0001"));
    await db.query(
      "UPDATE jobs SET status = 'done', outcome = 'active', finished_at = now() WHERE subject LIKE $1",
      [`%${person}%`],
    );
    // Paused again on Wednesday: the week's job is planned again, for Friday 9:00.
    const wednesday = "2026-12-02T10:00:00Z";
    const second = await store.pause(TENANT, person, by(wednesday, "U0MIA0001"), (p) =>
      nudgeJob(p, nudgeAt(new Date(wednesday), null)),
    );
    expect(second?.planned?.dueAt.toISOString()).toBe("2026-12-04T08:00:00.000Z");
    expect((await nudgesOf(`%${person}%`)).map((j) => [j.status, new Date(j.due_at).toISOString()])).toEqual([
      ["pending", "2026-12-04T08:00:00.000Z"],
    ]);
  });

  it("names the pending nudge's own time when the week has one still to come; after a delivered one, the next is a week on", async () => {
    const person = pseudonyms.of("slack", "U0TOM0001");
    await halfWay(person, "U0TOM0001");
    const monday = "2026-11-30T10:00:00Z";
    await store.pause(TENANT, person, by(monday, "U0TOM0001"), (p) =>
      nudgeJob(p, nudgeAt(new Date(monday), null)),
    );
    await store.resume(TENANT, person, by("2026-11-30T11:00:00Z", "U0TOM0001"));
    // Paused again on Tuesday while Wednesday's nudge is pending: that one stands.
    const again = await store.pause(TENANT, person, by("2026-12-01T10:00:00Z", "U0TOM0001"), (p) =>
      nudgeJob(p, nudgeAt(new Date("2026-12-01T10:00:00Z"), null)),
    );
    expect(again?.planned?.dueAt.toISOString()).toBe("2026-12-02T08:00:00.000Z");
    // Delivered on Wednesday; a pause on Thursday gets its nudge a week after that one, not in the same week.
    await db.query(
      "UPDATE jobs SET status = 'done', outcome = 'delivered', finished_at = now() WHERE subject LIKE $1",
      [`%${person}%`],
    );
    await store.nudged(TENANT, person, new Date("2026-12-02T08:00:00Z"));
    await store.resume(TENANT, person, by("2026-12-02T12:00:00Z", "U0TOM0001"));
    const thursday = "2026-12-03T10:00:00Z";
    const third = await store.pause(TENANT, person, by(thursday, "U0TOM0001"), (p) =>
      nudgeJob(p, nudgeAt(new Date(thursday), p.lastNudgeAt)),
    );
    expect(third?.planned?.dueAt.toISOString()).toBe("2026-12-09T08:00:00.000Z");
    expect((await nudgesOf(`%${person}%`)).map((j) => j.status)).toEqual(["done", "pending"]);
  });
});

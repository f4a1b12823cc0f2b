import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { cancelJobs, jobsOf, jobsOfSubjects, planJobs, rescheduleJobs } from "../../src/jobs/job-store.ts";
import { DAY, occurrence, row, T0 } from "./job-fixtures.ts";

describe("job store", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM jobs");
  });

  const at = (days: number) => new Date(T0.getTime() + days * DAY);

  it("plans each (kind, key) once, however often it is planned", async () => {
    expect(await planJobs(db, [occurrence("reminder:1", at(0)), occurrence("reminder:1", at(1))])).toBe(2);
    // Another replica plans the same occurrences, one of them twice in one call, plus a new one.
    const again = [
      occurrence("reminder:1", at(1)),
      occurrence("reminder:1", at(1)),
      occurrence("reminder:1", at(2)),
    ];
    expect(await planJobs(db, again)).toBe(1);
    expect(await planJobs(db, [])).toBe(0);
    const jobs = await jobsOf(db, "reminder:1");
    expect(jobs.map((j) => j.dueAt)).toEqual([at(2), at(1), at(0)]);
    expect(jobs[0]).toMatchObject({
      kind: "reminder.occurrence",
      key: `reminder:1@${at(2).toISOString()}`,
      tenant: "musterstadt",
      lane: "slack:C0REPORT",
      runAt: at(2),
      status: "pending",
      attempts: 0,
      late: false,
      payload: { text: "Bitte melden Sie die Indikatoren für den Nachhaltigkeitsbericht." },
    });
    expect(jobs[0]?.outcome).toBeUndefined();
    expect(jobs[0]?.finishedAt).toBeUndefined();
  });

  it("cancels only the subject's pending jobs", async () => {
    await planJobs(db, [
      occurrence("reminder:1", at(0)),
      occurrence("reminder:1", at(1)),
      occurrence("reminder:2", at(1)),
    ]);
    await db.query("UPDATE jobs SET status = 'done', outcome = 'delivered' WHERE job_key = $1", [
      `reminder:1@${at(0).toISOString()}`,
    ]);
    expect(await cancelJobs(db, "reminder:1", at(0))).toBe(1);
    const [later, earlier] = await jobsOf(db, "reminder:1");
    expect(later).toMatchObject({ status: "cancelled", finishedAt: at(0) });
    expect(earlier).toMatchObject({ status: "done", outcome: "delivered" });
    expect((await jobsOf(db, "reminder:2"))[0]?.status).toBe("pending");
  });

  it("reschedules pending jobs, keeping their due time", async () => {
    await planJobs(db, [occurrence("reminder:1", at(0))]);
    expect(await rescheduleJobs(db, "reminder:1", at(3))).toBe(1);
    expect(await rescheduleJobs(db, "reminder:9", at(3))).toBe(0);
    expect(await row(db, `reminder:1@${at(0).toISOString()}`)).toMatchObject({ status: "pending" });
    expect((await jobsOf(db, "reminder:1"))[0]).toMatchObject({ dueAt: at(0), runAt: at(3) });
  });

  it("lists several subjects in one map, newest due first, with limit and statuses", async () => {
    await planJobs(
      db,
      [0, 1, 2, 3].map((d) => occurrence("reminder:1", at(d))),
    );
    await planJobs(db, [occurrence("reminder:2", at(5))]);
    await db.query("UPDATE jobs SET status = 'failed', outcome = 'gone' WHERE job_key = $1", [
      `reminder:1@${at(1).toISOString()}`,
    ]);
    const lists = await jobsOfSubjects(db, ["reminder:1", "reminder:2", "reminder:3"], { limit: 2 });
    expect([...lists.keys()]).toEqual(["reminder:1", "reminder:2", "reminder:3"]);
    expect(lists.get("reminder:1")?.map((j) => j.dueAt)).toEqual([at(3), at(2)]);
    expect(lists.get("reminder:2")?.map((j) => j.dueAt)).toEqual([at(5)]);
    expect(lists.get("reminder:3")).toEqual([]);
    const failed = await jobsOf(db, "reminder:1", { statuses: ["failed", "skipped"] });
    expect(failed.map((j) => [j.dueAt, j.outcome])).toEqual([[at(1), "gone"]]);
    expect(await jobsOfSubjects(db, [])).toEqual(new Map());
  });
});

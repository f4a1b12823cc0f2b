import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import type { JobHandler, JobResult } from "../../src/jobs/job.ts";
import { jobsOf, planJobs } from "../../src/jobs/job-store.ts";
import { Pacer, PLATFORM_PACING } from "../../src/jobs/pacer.ts";
import { Scheduler, type SchedulerOptions } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { captureLogs } from "../helpers.ts";
import {
  countingDb,
  DAY,
  FakeClock,
  KIND,
  nextOf,
  occurrence,
  recordingHandler,
  row,
  T0,
} from "./job-fixtures.ts";

const HOUR = 3_600_000;
const key = (subject: string, at: Date) => `${subject}@${at.toISOString()}`;
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

describe("Scheduler on PGlite with a fake clock", () => {
  let db: Database;
  let clock: FakeClock;
  let pacerTime: number;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM jobs");
    clock = new FakeClock(T0);
    pacerTime = 0;
  });

  /** No rate limits, and a pacer on fake time, so nothing sleeps for real. */
  const scheduler = (handlers: JobHandler[], opts: Partial<SchedulerOptions> = {}) =>
    new Scheduler({
      db,
      handlers,
      log: silentLogger,
      clock,
      pacer: new Pacer({}, { now: () => pacerTime, sleep: async () => undefined }),
      backoffMs: (attempt) => attempt * 60_000,
      ...opts,
    });

  it("runs a due job once, marks it done and plans the next occurrence with it", async () => {
    const handler = recordingHandler();
    const s = scheduler([handler]);
    await planJobs(db, [occurrence("reminder:1", T0), occurrence("reminder:2", plus(T0, HOUR))]);
    expect(await s.tick()).toEqual({ claimed: 1, done: 1, retried: 0, waited: 0, failed: 0, skipped: 0 });
    expect(await s.tick()).toMatchObject({ claimed: 0 });
    expect(handler.runs).toEqual([
      { key: key("reminder:1", T0), attempts: 0, ctx: { now: T0, late: false, lastAttempt: false } },
    ]);
    expect(await row(db, key("reminder:1", T0))).toMatchObject({
      status: "done",
      outcome: "delivered",
      finished_at: T0,
      locked_until: null,
    });
    expect(await row(db, key("reminder:1", plus(T0, DAY)))).toMatchObject({
      status: "pending",
      run_at: plus(T0, DAY),
    });
    // The next day both chains have something due; each occurrence is delivered once.
    await s.runDue(plus(T0, DAY));
    expect(handler.runs.map((r) => r.key)).toEqual([
      key("reminder:1", T0),
      // One lane: in order of due time.
      key("reminder:2", plus(T0, HOUR)),
      key("reminder:1", plus(T0, DAY)),
    ]);
  });

  it("retries with backoff, then marks the job failed after maxAttempts and lets settled plan the next", async () => {
    const handler = recordingHandler(() => ({ kind: "retry", outcome: "SLACK_HTTP_500" }));
    const s = scheduler([handler], { maxAttempts: 3 });
    await planJobs(db, [occurrence("reminder:1", T0)]);
    const k = key("reminder:1", T0);
    expect(await s.tick(T0)).toMatchObject({ claimed: 1, retried: 1 });
    expect(await row(db, k)).toMatchObject({
      status: "pending",
      attempts: 1,
      run_at: plus(T0, 60_000),
      outcome: "SLACK_HTTP_500",
    });
    expect(await s.tick(plus(T0, 59_999))).toMatchObject({ claimed: 0 }); // the backoff is honoured
    expect(await s.tick(plus(T0, 60_000))).toMatchObject({ claimed: 1, retried: 1 });
    expect(await row(db, k)).toMatchObject({ status: "pending", attempts: 2, run_at: plus(T0, 180_000) });
    expect(handler.settledCalls).toEqual([]);
    expect(await s.tick(plus(T0, 180_000))).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(db, k)).toMatchObject({ status: "failed", attempts: 3, outcome: "SLACK_HTTP_500" });
    expect(handler.runs.map((r) => [r.attempts, r.ctx.lastAttempt])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
    expect(handler.settledCalls).toEqual([{ key: k, status: "failed", outcome: "SLACK_HTTP_500" }]);
    expect(await row(db, key("reminder:1", plus(T0, DAY)))).toMatchObject({ status: "pending" });
  });

  it("counts a thrown handler error as a retry with outcome INTERNAL and logs no payload", async () => {
    const { logs, log } = captureLogs();
    const handler = recordingHandler(() => {
      throw new Error("socket hang up");
    });
    const s = scheduler([handler], { log });
    await planJobs(db, [occurrence("reminder:1", T0)]);
    expect(await s.tick()).toMatchObject({ retried: 1 });
    expect(await row(db, key("reminder:1", T0))).toMatchObject({
      status: "pending",
      attempts: 1,
      outcome: "INTERNAL",
    });
    expect(logs.find((l) => l.event === "job_error")).toMatchObject({
      kind: KIND,
      key: key("reminder:1", T0),
    });
    expect(JSON.stringify(logs)).not.toContain("Indikatoren");
  });

  it("does not count a platform's wait as an attempt and holds the lane back meanwhile", async () => {
    let waits = 2;
    const handler = recordingHandler(
      (job): JobResult =>
        waits-- > 0
          ? { kind: "wait", afterMs: 30_000 }
          : { kind: "done", outcome: "delivered", next: [nextOf(job, DAY)] },
    );
    const s = scheduler([handler], { maxAttempts: 2 });
    await planJobs(db, [occurrence("reminder:1", T0), occurrence("reminder:2", T0)]);
    // The first gets a 429; the second, in the same lane, is not sent into it but given back for later.
    expect(await s.tick(T0)).toMatchObject({ claimed: 2, waited: 2, done: 0 });
    expect(handler.runs).toHaveLength(1);
    expect(await row(db, key("reminder:1", T0))).toMatchObject({
      status: "pending",
      attempts: 0,
      run_at: plus(T0, 30_000),
    });
    expect(await row(db, key("reminder:2", T0))).toMatchObject({
      status: "pending",
      attempts: 0,
      run_at: plus(T0, 30_000),
    });
    pacerTime += 30_000;
    await s.runDue(plus(T0, 30_000));
    pacerTime += 30_000;
    await s.runDue(plus(T0, 60_000));
    // Three tries of reminder:1 with maxAttempts 2, yet it is done: waits are not attempts.
    expect(await row(db, key("reminder:1", T0))).toMatchObject({ status: "done", attempts: 1 });
    expect(await row(db, key("reminder:2", T0))).toMatchObject({ status: "done", attempts: 1 });
    expect(handler.runs.every((r) => r.attempts === 0 && !r.ctx.lastAttempt)).toBe(true);
  });

  it("runs a missed occurrence within the grace window once, marked late", async () => {
    const handler = recordingHandler(undefined, { graceMs: 6 * HOUR });
    const s = scheduler([handler]);
    await planJobs(db, [occurrence("reminder:1", T0)]);
    expect(await s.runDue(plus(T0, 5 * HOUR))).toMatchObject({ done: 1, skipped: 0 });
    expect(handler.runs).toEqual([
      {
        key: key("reminder:1", T0),
        attempts: 0,
        ctx: { now: plus(T0, 5 * HOUR), late: true, lastAttempt: false },
      },
    ]);
    expect(await row(db, key("reminder:1", T0))).toMatchObject({ status: "done", late: true });
  });

  it("skips occurrences beyond the grace window: after five days down a daily reminder is posted once", async () => {
    const { logs, log } = captureLogs();
    const handler = recordingHandler(undefined, { graceMs: 6 * HOUR });
    const s = scheduler([handler], { log });
    await planJobs(db, [occurrence("reminder:1", T0)]);
    const back = plus(T0, 5 * DAY + HOUR);
    expect(await s.runDue(back)).toMatchObject({ skipped: 5, done: 1 });
    expect(handler.runs.map((r) => [r.key, r.ctx.late])).toEqual([
      [key("reminder:1", plus(T0, 5 * DAY)), true],
    ]);
    expect(handler.settledCalls.map((c) => [c.status, c.outcome])).toEqual(
      Array(5).fill(["skipped", "missed"]),
    );
    const jobs = await jobsOf(db, "reminder:1");
    expect(jobs.map((j) => j.status)).toEqual([
      "pending",
      "done",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
      "skipped",
    ]);
    expect(jobs.filter((j) => j.status === "skipped").every((j) => j.outcome === "missed")).toBe(true);
    const skipped = logs.filter((l) => l.event === "job_skipped");
    expect(skipped).toHaveLength(5);
    expect(skipped[0]).toMatchObject({ kind: KIND, key: key("reminder:1", T0) });
    expect(JSON.stringify(logs)).not.toContain("Indikatoren");
    // Running again at the same instant finds nothing more.
    expect(await s.runDue(back)).toMatchObject({ claimed: 0 });
  });

  it("takes over a job whose instance crashed once its lease expired; the crashed one cannot finish it twice", async () => {
    const { promise: hung, resolve: unhang } = Promise.withResolvers<JobResult>();
    const crashed = scheduler([recordingHandler(() => hung)], { instanceId: "replica-a", leaseMs: 120_000 });
    const survivor = recordingHandler();
    const b = scheduler([survivor], { instanceId: "replica-b", leaseMs: 120_000 });
    await planJobs(db, [occurrence("reminder:1", T0)]);
    const k = key("reminder:1", T0);
    const aTick = crashed.tick(T0);
    await vi.waitFor(async () =>
      expect(await row(db, k)).toMatchObject({ status: "running", locked_by: "replica-a" }),
    );
    expect(await b.tick(plus(T0, 119_000))).toMatchObject({ claimed: 0 });
    expect(await b.tick(plus(T0, 121_000))).toMatchObject({ claimed: 1, done: 1 });
    expect(survivor.runs.map((r) => r.attempts)).toEqual([1]); // the crashed attempt counts
    unhang({ kind: "done", outcome: "delivered_late_by_a", next: [] });
    expect(await aTick).toMatchObject({ claimed: 1, done: 0 });
    expect(await row(db, k)).toMatchObject({
      status: "done",
      outcome: "delivered",
      locked_by: "replica-b",
      attempts: 2,
    });
  });

  it("stop() lets a running job return and gives back the claims not started yet", async () => {
    const started = Promise.withResolvers<void>();
    const handler = recordingHandler(
      (_job, ctx) =>
        new Promise<JobResult>((resolve) => {
          started.resolve();
          ctx.signal.addEventListener("abort", () => resolve({ kind: "wait", afterMs: 5_000 }));
        }),
    );
    const s = scheduler([handler], { instanceId: "replica-a", stopGraceMs: 10 });
    await planJobs(db, [occurrence("reminder:1", T0), occurrence("reminder:2", plus(T0, 1))]);
    const ticking = s.tick(plus(T0, 1));
    await started.promise;
    await s.stop();
    expect(await ticking).toMatchObject({ claimed: 2, waited: 1 });
    expect(handler.runs).toHaveLength(1);
    expect(await row(db, key("reminder:1", T0))).toMatchObject({
      status: "pending",
      attempts: 0,
      locked_by: null,
      run_at: plus(T0, 5_001),
    });
    expect(await row(db, key("reminder:2", plus(T0, 1)))).toMatchObject({
      status: "pending",
      attempts: 0,
      locked_by: null,
      locked_until: null,
      run_at: plus(T0, 1),
    });
    // Another replica takes the given-back job at once, without waiting for a lease.
    const other = recordingHandler();
    expect(await scheduler([other], { instanceId: "replica-b" }).tick(plus(T0, 2))).toMatchObject({
      claimed: 1,
      done: 1,
    });
    expect(other.runs.map((r) => r.key)).toEqual([key("reminder:2", plus(T0, 1))]);
  });

  it("leaves jobs of a kind it has no handler for, logging the kind once", async () => {
    const { logs, log } = captureLogs();
    const s = scheduler([recordingHandler()], { log });
    await planJobs(db, [
      { kind: "onboarding.nudge", key: "u1@1", tenant: "musterstadt", dueAt: T0 },
      occurrence("reminder:1", T0),
    ]);
    expect(await s.runDue()).toMatchObject({ claimed: 1, done: 1 });
    expect(await s.runDue()).toMatchObject({ claimed: 0 });
    expect(await row(db, "u1@1")).toMatchObject({ status: "pending", attempts: 0 });
    expect(logs.filter((l) => l.event === "job_kind_unknown")).toEqual([
      expect.objectContaining({ kind: "onboarding.nudge" }),
    ]);
  });

  it("shares a round between lanes and runs one lane's jobs in order", async () => {
    const handler = recordingHandler((): JobResult => ({ kind: "done", outcome: "delivered" }));
    const s = scheduler([handler], { batchSize: 8 });
    const busy = Array.from({ length: 10 }, (_, i) =>
      occurrence(`reminder:busy${i}`, plus(T0, -(10 - i) * 1000), "slack:C0BUSY"),
    );
    const quiet = Array.from({ length: 5 }, (_, i) =>
      occurrence(`reminder:q${i}`, T0, `teams:19:q${i}@thread.tacv2`),
    );
    await planJobs(db, [...busy, ...quiet]);
    const first = await s.tick(T0);
    expect(first.claimed).toBe(8);
    const lanesOfRound = handler.runs.map((r) => (r.key.includes("busy") ? "busy" : "quiet"));
    expect(lanesOfRound.filter((l) => l === "busy")).toHaveLength(3);
    expect(lanesOfRound.filter((l) => l === "quiet")).toHaveLength(5);
    await s.runDue(T0);
    const busyOrder = handler.runs.filter((r) => r.key.includes("busy")).map((r) => r.key);
    expect(busyOrder).toEqual(busy.map((j) => j.key));
    expect(handler.runs).toHaveLength(15);
  });

  it("paces one Slack channel to a message per 1.1 s while other channels go at once, and still delivers all", async () => {
    const sleeps: number[] = [];
    const pacer = new Pacer(PLATFORM_PACING, {
      now: () => pacerTime,
      sleep: async (ms) => {
        sleeps.push(Math.round(ms));
        pacerTime += ms;
      },
    });
    const handler = recordingHandler((): JobResult => ({ kind: "done", outcome: "delivered" }));
    const s = scheduler([handler], { pacer });
    const busy = Array.from({ length: 4 }, (_, i) =>
      occurrence(`reminder:b${i}`, plus(T0, i), "slack:C0BUSY"),
    );
    const others = Array.from({ length: 6 }, (_, i) => occurrence(`reminder:o${i}`, T0, `slack:C0OTHER${i}`));
    await planJobs(db, [...busy, ...others]);
    expect(await s.runDue(plus(T0, 10))).toMatchObject({ done: 10 });
    // Only the busy channel's second to fourth message waited, 1.1 s each.
    expect(sleeps).toEqual([1100, 1100, 1100]);
    expect(handler.runs.filter((r) => r.key.includes(":b")).map((r) => r.key)).toEqual(
      busy.map((j) => j.key),
    );
  });

  it("claims fairly: a Slack channel's job put back a second later is not queued behind two tenants' Teams backlog", async () => {
    const pacer = new Pacer(PLATFORM_PACING, {
      now: () => pacerTime,
      sleep: async (ms) => {
        pacerTime += ms;
      },
    });
    const handler = recordingHandler((): JobResult => ({ kind: "done", outcome: "delivered" }));
    const s = scheduler([handler], { pacer, batchSize: 100 });
    // 300 Teams jobs per tenant at the due instant (3 in each of 100 threads) …
    const teams = ["musterstadt", "neustadt"].flatMap((tenant) =>
      Array.from({ length: 300 }, (_, i) =>
        occurrence(`reminder:${tenant}${i}`, T0, `teams:19:${tenant}${i % 100}@thread.tacv2`, tenant),
      ),
    );
    // … and 20 Slack channels whose job a 429 put back to a second later.
    const slack = Array.from({ length: 20 }, (_, i) =>
      occurrence(`reminder:slack${i}`, plus(T0, 1_000), `slack:C0WAITED${i}`),
    );
    await planJobs(db, [...teams, ...slack]);
    expect(await s.tick(plus(T0, 2_000))).toMatchObject({ claimed: 100 });
    const byGroup = (prefix: string) => handler.runs.filter((r) => r.key.startsWith(prefix)).length;
    // Every Slack channel goes now; each tenant gets what its 50/s let through soonest, in equal turns.
    expect(byGroup("reminder:slack")).toBe(20);
    expect(byGroup("reminder:musterstadt")).toBe(40);
    expect(byGroup("reminder:neustadt")).toBe(40);
  });

  it("start() sleeps while nothing is due (one query per wake-up), and wake() makes it look again", async () => {
    const counted = countingDb(db);
    const handler = recordingHandler((): JobResult => ({ kind: "done", outcome: "delivered" }));
    const s = scheduler([handler], { db: counted, pollMs: 60_000 });
    s.start();
    await vi.waitFor(() => expect(counted.count()).toBe(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(counted.count()).toBe(1); // asleep: no spinning while idle
    await planJobs(db, [occurrence("reminder:1", T0)]);
    s.wake();
    await vi.waitFor(() => expect(handler.runs).toHaveLength(1));
    await s.stop();
    expect(await row(db, key("reminder:1", T0))).toMatchObject({ status: "done" });
  });

  it("start() claims a job due while a slow one still runs in another lane, without waiting for it", async () => {
    const realClock = { now: () => new Date() };
    const order: string[] = [];
    const fastDone = Promise.withResolvers<void>();
    const handler = recordingHandler(async (job): Promise<JobResult> => {
      if (job.lane === "slack:C0SLOW") {
        // A slow delivery (3 s at most): it ends early once the other lane's job was delivered.
        await Promise.race([fastDone.promise, new Promise((r) => setTimeout(r, 3_000))]);
        order.push("slow");
      } else {
        order.push("fast");
        fastDone.resolve();
      }
      return { kind: "done", outcome: "delivered" };
    });
    const s = scheduler([handler], { clock: realClock, pollMs: 600_000 });
    const now = Date.now();
    await planJobs(db, [
      occurrence("reminder:slow", new Date(now - 1), "slack:C0SLOW"),
      occurrence("reminder:fast", new Date(now + 300), "teams:19:fast@thread.tacv2"),
    ]);
    s.start();
    await vi.waitFor(() => expect(order).toHaveLength(2), { timeout: 10_000 });
    await s.stop();
    expect(order).toEqual(["fast", "slow"]);
  });

  it("start() wakes up for the next due job sooner than pollMs", async () => {
    const realClock = { now: () => new Date() };
    const handler = recordingHandler((): JobResult => ({ kind: "done", outcome: "delivered" }));
    const s = scheduler([handler], { clock: realClock, pollMs: 600_000 });
    await planJobs(db, [occurrence("reminder:1", new Date(Date.now() + 400))]);
    s.start();
    await vi.waitFor(() => expect(handler.runs).toHaveLength(1), { timeout: 10_000 });
    await s.stop();
  });
});

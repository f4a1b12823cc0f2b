import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import type { JobResult } from "../../src/jobs/job.ts";
import { planJobs } from "../../src/jobs/job-store.ts";
import { Pacer } from "../../src/jobs/pacer.ts";
import { Scheduler, type SchedulerOptions } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { occurrence, recordingHandler, row } from "./job-fixtures.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("lease renewal while a handler runs (PGlite, real clock)", () => {
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

  const scheduler = (opts: Partial<SchedulerOptions> & Pick<SchedulerOptions, "handlers">) =>
    new Scheduler({
      db,
      log: silentLogger,
      pacer: new Pacer({}),
      leaseMs: 1_000,
      ...opts,
    });

  it("a handler running longer than the lease keeps its claim: another instance ticking meanwhile does not run it", async () => {
    const slow = recordingHandler(async (): Promise<JobResult> => {
      await sleep(1_500);
      return { kind: "done", outcome: "delivered" };
    });
    const other = recordingHandler();
    const a = scheduler({ handlers: [slow], instanceId: "replica-a" });
    const b = scheduler({ handlers: [other], instanceId: "replica-b" });
    const at = new Date(Date.now() - 1);
    await planJobs(db, [occurrence("reminder:1", at)]);
    const k = `reminder:1@${at.toISOString()}`;
    const aTick = a.tick();
    await vi.waitFor(() => expect(slow.runs).toHaveLength(1));
    // B looks every 100 ms, past the 1 s lease A was claimed with.
    const until = Date.now() + 2_000;
    while (Date.now() < until) {
      await b.tick();
      await sleep(100);
    }
    expect(await aTick).toMatchObject({ claimed: 1, done: 1 });
    expect(other.runs).toEqual([]);
    expect(slow.runs).toHaveLength(1);
    expect(await row(db, k)).toMatchObject({ status: "done", locked_by: "replica-a", attempts: 1 });
  });

  it("aborts the handler's signal once a renewal finds the claim lost, and does not finish the job", async () => {
    let aborted = false;
    const handler = recordingHandler(
      (_job, ctx) =>
        new Promise<JobResult>((resolve) => {
          // Renewals come every second; without one finding the loss, the handler returns by itself after 2 s.
          const fallback = setTimeout(() => resolve({ kind: "done", outcome: "delivered" }), 2_000);
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            clearTimeout(fallback);
            resolve({ kind: "done", outcome: "delivered_after_loss" });
          });
        }),
    );
    const a = scheduler({ handlers: [handler], instanceId: "replica-a", leaseMs: 3_000 });
    const at = new Date(Date.now() - 1);
    await planJobs(db, [occurrence("reminder:1", at)]);
    const k = `reminder:1@${at.toISOString()}`;
    const aTick = a.tick();
    await vi.waitFor(() => expect(handler.runs).toHaveLength(1));
    // As if the lease had lapsed and replica B had claimed the job meanwhile.
    await db.query("UPDATE jobs SET locked_by = 'replica-b' WHERE job_key = $1", [k]);
    expect(await aTick).toMatchObject({ claimed: 1, done: 0 });
    expect(aborted).toBe(true);
    expect(await row(db, k)).toMatchObject({ status: "running", locked_by: "replica-b" });
  });
});

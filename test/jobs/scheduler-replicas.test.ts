import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPostgres } from "../../src/db/pg-database.ts";
import type { Job, JobHandler, JobResult } from "../../src/jobs/job.ts";
import { planJobs } from "../../src/jobs/job-store.ts";
import { Pacer } from "../../src/jobs/pacer.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { freshSchemaUrl } from "../helpers.ts";
import { KIND, nextOf, occurrence, T0 } from "./job-fixtures.ts";

const MINUTE = 60_000;
const TICKS = 55;
const LANES = 30;
const CHAINS = 330;
const END = T0.getTime() + TICKS * MINUTE;

const laneOf = (c: number) =>
  c % LANES < 20 ? `slack:C0LANE${c % LANES}` : `teams:19:lane${c % LANES}@thread.tacv2`;
const firstDue = (c: number) => new Date(T0.getTime() + (c % 10) * MINUTE);
const stepOf = (c: number) => (6 + (c % 4)) * MINUTE;
const chainOf = (job: Job) => Number(job.subject?.split(":")[1]);

/** Every occurrence the chains plan before END. */
function expectedKeys(): string[] {
  const keys: string[] = [];
  for (let c = 0; c < CHAINS; c++)
    for (let t = firstDue(c).getTime(); t < END; t += stepOf(c))
      keys.push(occurrence(`reminder:${c}`, new Date(t), laneOf(c)).key);
  return keys.sort();
}

/** Deterministic "chance" per key, so a failed run reproduces. */
const roll = (key: string) => createHash("sha256").update(key).digest().readUInt32BE(0) % 100;

describe("two scheduler instances on the PostgreSQL server", () => {
  let schema: Awaited<ReturnType<typeof freshSchemaUrl>>;
  let dbA: Database;
  let dbB: Database;
  beforeAll(async () => {
    schema = await freshSchemaUrl();
    dbA = await openPostgres(schema.url);
    dbB = await openPostgres(schema.url);
    await migrate(dbA);
  });
  afterAll(async () => {
    await dbA?.close();
    await dbB?.close();
    await schema?.drop();
  });

  it("deliver every planned occurrence of 330 chains in 30 lanes exactly once over 60 concurrent ticks", async () => {
    const deliveries: { key: string; by: string }[] = [];
    const runsOf = new Map<string, number>();
    const handler = (by: string): JobHandler => ({
      kind: KIND,
      async run(job): Promise<JobResult> {
        const runs = runsOf.get(job.key) ?? 0;
        runsOf.set(job.key, runs + 1);
        // Interleave the instances' statements.
        await new Promise((r) => setTimeout(r, roll(job.key) % 3));
        // Some first tries fail or hit a rate limit; their retry comes with a later tick.
        if (runs === 0 && roll(job.key) < 4) return { kind: "retry", outcome: "SLACK_HTTP_500" };
        if (runs === 0 && roll(job.key) >= 96) return { kind: "wait", afterMs: 30_000 };
        deliveries.push({ key: job.key, by });
        const next = nextOf(job, stepOf(chainOf(job)));
        return { kind: "done", outcome: "delivered", next: next.dueAt.getTime() < END ? [next] : [] };
      },
    });
    // No rate limits, and the pacer (which honours a wait's Retry-After) on the fake time: nothing sleeps for real.
    let nowMs = T0.getTime();
    const pacer = () => new Pacer({}, { now: () => nowMs, sleep: async () => undefined });
    const common = { log: silentLogger, batchSize: 25, concurrency: 8, backoffMs: () => 45_000 };
    const a = new Scheduler({
      ...common,
      db: dbA,
      pacer: pacer(),
      handlers: [handler("a")],
      instanceId: "replica-a",
    });
    const b = new Scheduler({
      ...common,
      db: dbB,
      pacer: pacer(),
      handlers: [handler("b")],
      instanceId: "replica-b",
    });
    // Both replicas plan the first occurrences (as both would on start-up): each is stored once.
    const first = Array.from({ length: CHAINS }, (_, c) =>
      occurrence(`reminder:${c}`, firstDue(c), laneOf(c)),
    );
    const planned = await Promise.all([planJobs(dbA, first), planJobs(dbB, first)]);
    expect(planned[0] + planned[1]).toBe(CHAINS);

    for (let t = 0; t <= TICKS + 5; t++) {
      const now = new Date(T0.getTime() + t * MINUTE);
      nowMs = now.getTime();
      await Promise.all([a.tick(now), b.tick(now)]);
      await Promise.all([a.runDue(now), b.runDue(now)]);
    }

    const expected = expectedKeys();
    expect(expected.length).toBeGreaterThan(2000);
    const delivered = deliveries.map((d) => d.key).sort();
    expect(new Set(delivered).size).toBe(delivered.length); // no duplicate
    expect(delivered).toEqual(expected); // none missing, none extra
    expect(deliveries.some((d) => d.by === "a") && deliveries.some((d) => d.by === "b")).toBe(true);
    const statuses = await dbA.query<{ status: string; n: string }>(
      "SELECT status, count(*) AS n FROM jobs GROUP BY status ORDER BY status",
    );
    expect(statuses.rows.map((r) => [r.status, Number(r.n)])).toEqual([["done", expected.length]]);
  }, 240_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TurnStore } from "../../src/core/turn-store.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { planJobs } from "../../src/jobs/job-store.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { RETENTION_JOB, RetentionJob } from "../../src/privacy/retention-job.ts";

const DAY = 86_400_000;
let db: Database;
beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

async function turnAt(turns: TurnStore, question: string, at: string): Promise<void> {
  await turns.record({
    platform: "slack",
    conversationId: `C0RET:${question.length}`,
    tenant: "musterstadt",
    userPseudonym: "p-1",
    question,
    resolvedQuestion: question,
    answerKind: "answer",
    docIds: [],
  });
  await db.query("UPDATE conversation_turns SET created_at = $1 WHERE question = $2", [at, question]);
}

async function retentionKeys(): Promise<{ key: string; status: string }[]> {
  const r = await db.query<{ job_key: string; status: string }>(
    "SELECT job_key, status FROM jobs WHERE kind = $1 ORDER BY job_key",
    [RETENTION_JOB],
  );
  return r.rows.map((row) => ({ key: row.job_key, status: row.status }));
}

describe("the daily retention clean-up", () => {
  it("deletes texts past their retention once a day through the scheduler, catching up a missed day once", async () => {
    const turns = new TurnStore(db);
    await turnAt(turns, "Welche Kriterien gelten für Laptops?", "2026-10-01T10:00:00Z");
    await turnAt(turns, "Und für Monitore?", "2026-11-30T10:00:00Z");
    const job = new RetentionJob({
      log: silentLogger,
      purges: [{ name: "turns", keepMs: 30 * DAY, purge: (before) => turns.purge(before) }],
    });
    const scheduler = new Scheduler({ db, log: silentLogger, handlers: [job] });
    // Started at 01:00 Berlin on 2 December: today's clean-up is due at 03:00.
    const start = new Date("2026-12-02T00:00:00Z");
    await planJobs(db, [job.today(start)]);
    await planJobs(db, [job.today(start)]); // a second replica starting: still one job
    expect(await retentionKeys()).toEqual([{ key: "2026-12-02", status: "pending" }]);
    expect((await scheduler.runDue(start)).done).toBe(0);

    expect((await scheduler.runDue(new Date("2026-12-02T02:00:30Z"))).done).toBe(1);
    const left = await db.query<{ question: string }>("SELECT question FROM conversation_turns");
    expect(left.rows.map((r) => r.question)).toEqual(["Und für Monitore?"]);
    expect(await retentionKeys()).toEqual([
      { key: "2026-12-02", status: "done" },
      { key: "2026-12-03", status: "pending" },
    ]);

    // Down from 3 to 6 December: the clean-up runs once on the 6th, and the next is the 7th's.
    const late = await scheduler.runDue(new Date("2026-12-06T09:00:00Z"));
    expect(late.done).toBe(1);
    expect(await retentionKeys()).toEqual([
      { key: "2026-12-02", status: "done" },
      { key: "2026-12-03", status: "done" },
      { key: "2026-12-07", status: "pending" },
    ]);
    const due7 = (await db.query<{ due_at: Date }>("SELECT due_at FROM jobs WHERE job_key = '2026-12-07'"))
      .rows[0];
    expect(new Date(due7?.due_at as Date).toISOString()).toBe("2026-12-07T02:00:00.000Z");
  });
});

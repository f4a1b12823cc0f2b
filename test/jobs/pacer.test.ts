import { describe, expect, it } from "vitest";
import { Pacer, PLATFORM_PACING } from "../../src/jobs/pacer.ts";

/** A pacer on fake time: sleep() records the wait and moves the time on. */
function fakePacer(pacing = PLATFORM_PACING) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const pacer = new Pacer(pacing, {
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(Math.round(ms));
      now += ms;
    },
  });
  return { pacer, sleeps, advance: (ms: number) => (now += ms), elapsed: () => now - 1_000_000 };
}

describe("Pacer", () => {
  it("lets one message per 1.1 s into a Slack channel (a margin on its 1/s), other channels unaffected", async () => {
    const { pacer, sleeps, elapsed } = fakePacer();
    for (let i = 0; i < 3; i++) await pacer.take("slack:C0REPORT", "musterstadt");
    expect(sleeps).toEqual([1100, 1100]);
    await pacer.take("slack:C0OTHER", "musterstadt");
    expect(sleeps).toHaveLength(2);
    expect(elapsed()).toBeCloseTo(2200);
  });

  it("queues concurrent takers in order by reserving their turn", async () => {
    const waits: number[] = [];
    const pacer = new Pacer(PLATFORM_PACING, { now: () => 0, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([0, 1, 2].map(() => pacer.take("slack:C0REPORT", "musterstadt")));
    expect(waits.map(Math.round)).toEqual([1100, 2200]);
  });

  it("allows Teams a burst of 7 per conversation and 50 per tenant, then paces", async () => {
    const { pacer, sleeps } = fakePacer();
    for (let i = 0; i < 7; i++) await pacer.take("teams:19:a@thread.tacv2", "musterstadt");
    expect(sleeps).toEqual([]);
    await pacer.take("teams:19:a@thread.tacv2", "musterstadt");
    expect(sleeps).toEqual([143]);
    // 50 per tenant across conversations: the 51st message of the tenant waits, another tenant does not.
    const { pacer: p2, sleeps: s2 } = fakePacer();
    for (let i = 0; i < 50; i++) await p2.take(`teams:19:c${i}@thread.tacv2`, "musterstadt");
    expect(s2).toEqual([]);
    await p2.take("teams:19:c99@thread.tacv2", "bergheim");
    expect(s2).toEqual([]);
    await p2.take("teams:19:c98@thread.tacv2", "musterstadt");
    expect(s2).toEqual([20]);
  });

  it("refills over time", async () => {
    const { pacer, sleeps, advance } = fakePacer();
    await pacer.take("slack:C0REPORT", "musterstadt");
    advance(1100);
    await pacer.take("slack:C0REPORT", "musterstadt");
    expect(sleeps).toEqual([]);
  });

  it("holds a lane back after a platform's Retry-After, also one without a configured rate", async () => {
    const { pacer, sleeps } = fakePacer({});
    pacer.block("slack:C0REPORT", 30_000);
    expect(pacer.wouldWait("slack:C0REPORT", "musterstadt")).toBe(30_000);
    expect(pacer.wouldWait("slack:C0OTHER", "musterstadt")).toBe(0);
    await pacer.take("slack:C0REPORT", "musterstadt");
    expect(sleeps).toEqual([30_000]);
    expect(pacer.wouldWait("slack:C0REPORT", "musterstadt")).toBe(0);
  });

  it("wouldWait() counts nothing; a job without a lane or of an unknown platform is not paced", async () => {
    const { pacer, sleeps } = fakePacer();
    await pacer.take("slack:C0REPORT", "musterstadt");
    expect(pacer.wouldWait("slack:C0REPORT", "musterstadt")).toBeCloseTo(1100);
    expect(pacer.wouldWait("slack:C0REPORT", "musterstadt")).toBeCloseTo(1100);
    for (let i = 0; i < 5; i++) {
      await pacer.take(undefined, "musterstadt");
      await pacer.take("cli:local", "musterstadt");
    }
    expect(sleeps).toEqual([]);
  });

  it("names the lanes that could not take one more now, and how many of a lane may go at once", async () => {
    const { pacer, advance } = fakePacer();
    await pacer.take("slack:C0REPORT", "musterstadt");
    await pacer.take("teams:19:a@thread.tacv2", "musterstadt");
    pacer.block("teams:19:b@thread.tacv2", 5_000);
    expect(pacer.unready().sort()).toEqual(["slack:C0REPORT", "teams:19:b@thread.tacv2"]);
    // The first to be ready again: the Slack channel, 1.1 s after its message.
    expect(pacer.readyIn()).toBeCloseTo(1100);
    advance(1100);
    expect(pacer.unready()).toEqual(["teams:19:b@thread.tacv2"]);
    expect(pacer.readyIn()).toBeCloseTo(3900);
    advance(3900);
    expect(pacer.readyIn()).toBeUndefined();
    expect(pacer.laneShares(3)).toEqual({ slack: 1, teams: 3 });
    expect(new Pacer({}).laneShares(3)).toEqual({});
  });

  it("stops waiting when its signal aborts", async () => {
    const { pacer } = fakePacer();
    await pacer.take("slack:C0REPORT", "musterstadt");
    const stop = new AbortController();
    stop.abort();
    await expect(pacer.take("slack:C0REPORT", "musterstadt", stop.signal)).rejects.toThrow();
  });
});

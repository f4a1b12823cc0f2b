import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { type WorkLabel, WorkTracker } from "../../src/core/work-tracker.ts";
import { shutdown } from "../../src/server/serve.ts";
import { captureLogs } from "../helpers.ts";

async function loopbackServer() {
  const server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe("graceful shutdown", () => {
  it("waits for acknowledged work, then closes the database; nothing is released", async () => {
    const work = new WorkTracker();
    const order: string[] = [];
    const answered = work.track({ platform: "slack", eventId: "Ev1" }, async () => {
      await new Promise((r) => setTimeout(r, 200));
      order.push("answered");
    });
    const { log } = captureLogs();
    const outcome = await shutdown(await loopbackServer(), log, {
      work,
      graceMs: 5000,
      release: async (labels) => {
        order.push(`released ${labels.length}`);
      },
      close: async () => {
        order.push("closed");
      },
    });
    await answered;
    expect(outcome).toEqual({ aborted: 0, unfinished: 0, ok: true });
    expect(order).toEqual(["answered", "closed"]);
  });

  it("releases what is still running when the grace period ends, before it closes the database", async () => {
    const work = new WorkTracker();
    const order: string[] = [];
    void work.track({ platform: "slack", eventId: "Ev2" }, () => new Promise(() => undefined));
    const released: WorkLabel[] = [];
    const { log, logs } = captureLogs();
    const outcome = await shutdown(await loopbackServer(), log, {
      work,
      graceMs: 100,
      abortGraceMs: 50,
      release: async (labels) => {
        released.push(...labels);
        order.push("released");
      },
      close: async () => {
        order.push("closed");
      },
    });
    expect(outcome).toMatchObject({ aborted: 1, unfinished: 1 });
    expect(released).toEqual([{ platform: "slack", eventId: "Ev2" }]);
    expect(order).toEqual(["released", "closed"]);
    expect(logs.some((l) => l.code === "SHUTTING_DOWN" && l.unfinished === 1)).toBe(true);
  });

  it("aborts work still running when the grace period ends: it posts its notice before the database closes", async () => {
    const work = new WorkTracker();
    const order: string[] = [];
    void work.track({ platform: "slack", eventId: "Ev3" }, async (signal) => {
      // An answer that takes longer than the grace period, and gives up when told to.
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      order.push("notice posted");
    });
    const { log } = captureLogs();
    const outcome = await shutdown(await loopbackServer(), log, {
      work,
      graceMs: 100,
      release: async () => {
        order.push("released");
      },
      close: async () => {
        order.push("closed");
      },
    });
    expect(outcome).toEqual({ aborted: 1, unfinished: 0, ok: true });
    expect(order).toEqual(["notice posted", "closed"]);
  });

  it("refuses new work once shutdown began", async () => {
    const work = new WorkTracker();
    const { log } = captureLogs();
    await shutdown(await loopbackServer(), log, {
      work,
      graceMs: 100,
      release: async () => undefined,
      close: async () => undefined,
    });
    expect(work.accepting).toBe(false);
    await expect(work.track({ platform: "slack" }, async () => 1)).rejects.toMatchObject({
      code: "SHUTTING_DOWN",
    });
  });
});

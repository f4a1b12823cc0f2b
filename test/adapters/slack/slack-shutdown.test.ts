import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LotseError } from "../../../src/errors.ts";
import { FakeSlackApi } from "./fake-slack-api.ts";
import { fixture, send, startLotse, waitForLog } from "./slack-harness.ts";

/** A promise to hold work in flight until the test lets it go (no timers). */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { opened, open };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  // Several turns of the event loop: a promise that could settle now has settled.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return done;
};

async function untilIdle(work: { size: number }): Promise<void> {
  while (work.size > 0) await new Promise((r) => setImmediate(r));
}

// The tests share one Lotse and run in order: the last two need the work tracker draining, which is final.
describe("Slack adapter during shutdown", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;
  const claimed = async (eventId: string) =>
    (await lotse.rt.db.query("SELECT 1 FROM event_claims WHERE event_id = $1", [eventId])).rows.length;

  beforeAll(async () => {
    await api.start();
    lotse = await startLotse(api);
  });
  afterEach(() => {
    api.reset();
    lotse.logs.length = 0;
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await lotse.close();
    await api.stop();
  });

  it("posts no apology when the answer was abandoned with SHUTTING_DOWN", async () => {
    const entered = gate();
    vi.spyOn(lotse.rt.assistant, "answer").mockImplementationOnce(async () => {
      entered.open();
      throw new LotseError("SHUTTING_DOWN", "database closing (simulated)");
    });
    await send(lotse.base, (await fixture("message-im.json")).replace("Ev0DM00001", "Ev0DMSTOP01"));
    await entered.opened;
    await untilIdle(lotse.rt.work);
    expect(api.posts()).toEqual([]);
    expect(lotse.logs.find((l) => l.msg === "slack request refused: shutting down")).toMatchObject({
      level: 40,
      code: "SHUTTING_DOWN",
    });
  });

  it("answers an event that is in flight when drain() starts before drain resolves", async () => {
    const entered = gate();
    const release = gate();
    const answer = lotse.rt.assistant.answer.bind(lotse.rt.assistant);
    vi.spyOn(lotse.rt.assistant, "answer").mockImplementationOnce(async (...args) => {
      entered.open();
      await release.opened;
      return answer(...args);
    });
    const { res } = await send(
      lotse.base,
      (await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0INFLIGHT1"),
    );
    expect(res.status).toBe(200);
    await entered.opened;
    // What shutdown would release if the grace period ended now: the running work, with its event id.
    expect((await lotse.rt.work.drain(0)).unfinished).toEqual([
      { platform: "slack", eventId: "Ev0INFLIGHT1" },
    ]);
    const drained = lotse.rt.work.drain(60_000);
    expect(await settled(drained)).toBe(false);
    expect(api.posts()).toEqual([]);
    release.open();
    expect(await drained).toEqual({ finished: true, unfinished: [] });
    // Posted inside the tracked work, so before drain resolved.
    expect(api.posts()).toHaveLength(1);
    expect(api.posts()[0]?.args).toMatchObject({ channel: "C0NACHHALT", thread_ts: "1764064800.000100" });
  });

  it("answers a new signed event with 503 while draining, and does not claim it", async () => {
    expect(lotse.rt.work.accepting).toBe(false);
    const { res } = await send(
      lotse.base,
      (await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0LATE00001"),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toMatchObject({ error: { code: "SHUTTING_DOWN" } });
    expect(await claimed("Ev0LATE00001")).toBe(0);
    expect(api.calls).toEqual([]);
  });

  it("claims nothing for an event that reaches Bolt while draining (Socket Mode, or past the HTTP check)", async () => {
    let acked = false;
    const body = JSON.parse((await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0SOCKET001"));
    const processed = lotse.slack.bolt.processEvent({
      body,
      ack: async () => {
        acked = true;
      },
      retryNum: undefined,
      retryReason: undefined,
      customProperties: {},
    });
    // Over HTTP the error travels on to the receiver, which answers 503 where nothing was acknowledged yet.
    await expect(processed).rejects.toMatchObject({ code: "SHUTTING_DOWN" });
    expect(acked).toBe(true); // Bolt acknowledges events before any middleware
    expect(await claimed("Ev0SOCKET001")).toBe(0);
    await waitForLog(lotse.logs, (l) => l.code === "SHUTTING_DOWN" && l.level === 40);
    expect(api.calls).toEqual([]);
    expect(lotse.logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});

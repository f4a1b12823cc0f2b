import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { blockText, fixture, interactive, send } from "../../fakes/slack-events.ts";
import { startLotse } from "../../fakes/slack-harness.ts";
import { waitForLog } from "../../fakes/wait.ts";

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

const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const RESTARTING = "Lotse wird gerade neu gestartet";
const APOLOGY = "Entschuldigung";

type Lotse = Awaited<ReturnType<typeof startLotse>>;

/** Holds the assistant (the router's slow part) until released; resolves `entered` once a question reached it. */
function holdAssistant(lotse: Lotse) {
  const entered = gate();
  const release = gate();
  const answer = lotse.rt.assistant.answer.bind(lotse.rt.assistant);
  vi.spyOn(lotse.rt.assistant, "answer").mockImplementationOnce(async (...args) => {
    entered.open();
    await release.opened;
    return answer(...args);
  });
  return { entered: entered.opened, release: release.open };
}

describe("Slack adapter during shutdown: within the grace period, then refusing", () => {
  // The tests share one Lotse and run in order: the last two need the work tracker draining, which is final.
  const api = new FakeSlackApi();
  let lotse: Lotse;
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

  it("answers an event that is in flight when drain() starts before drain resolves", async () => {
    const held = holdAssistant(lotse);
    const { res } = await send(
      lotse.base,
      (await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0INFLIGHT1"),
    );
    expect(res.status).toBe(200);
    await held.entered;
    const drained = lotse.rt.work.drain(60_000);
    expect(await settled(drained)).toBe(false);
    expect(api.posts()).toEqual([]);
    held.release();
    expect(await drained).toEqual({ finished: true, aborted: [], unfinished: [] });
    // Posted inside the tracked work, so before drain resolved; the real answer, not the notice.
    expect(api.posts()).toHaveLength(1);
    expect(api.posts()[0]?.args).toMatchObject({ channel: "C0NACHHALT", thread_ts: "1764064800.000100" });
    expect(String(api.posts()[0]?.args.text)).not.toContain(RESTARTING);
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

// Slack does not deliver an event again once it got its 200: aborted work must neither go silent nor answer late.
describe("Slack adapter when the grace period ends: aborted work posts the restart notice", () => {
  const api = new FakeSlackApi();
  let lotse: Lotse;

  beforeAll(() => api.start());
  beforeEach(async () => {
    lotse = await startLotse(api);
    api.reset();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await lotse.close();
  });
  afterAll(() => api.stop());

  /** Lets the held router finish and waits until it has; nothing may be posted for its late answer. */
  async function finishLateRouter(release: () => void) {
    release();
    await waitForLog(lotse.logs, (l) => l.event === "answered");
    await turns();
  }

  it("posts the notice into the mention's thread without waiting for the router, never the answer after it", async () => {
    const held = holdAssistant(lotse);
    expect((await send(lotse.base, await fixture("app-mention.json"))).res.status).toBe(200);
    await held.entered;
    // Grace period 0: the work is aborted at once; drain resolves while the router is still composing.
    const drained = await lotse.rt.work.drain(0, 60_000);
    expect(drained).toEqual({
      finished: false,
      aborted: [{ platform: "slack", eventId: "Ev0MENTION01" }],
      unfinished: [],
    });
    expect(api.posts()).toHaveLength(1);
    expect(api.posts()[0]?.args).toMatchObject({ channel: "C0NACHHALT", thread_ts: "1764064800.000100" });
    expect(String(api.posts()[0]?.args.text)).toContain(RESTARTING);
    expect(lotse.logs.find((l) => l.event === "answer_aborted")).toMatchObject({ code: "SHUTTING_DOWN" });
    await finishLateRouter(held.release);
    expect(api.posts()).toHaveLength(1);
    // No answer was given there, so a reply in that thread is no follow-up of Lotse's.
    expect(await lotse.rt.turns.last("slack", "C0NACHHALT:1764064800.000100")).toBeUndefined();
  });

  it("posts the notice into a DM", async () => {
    const held = holdAssistant(lotse);
    expect((await send(lotse.base, await fixture("message-im.json"))).res.status).toBe(200);
    await held.entered;
    await lotse.rt.work.drain(0, 60_000);
    expect(api.posts().map((p) => [p.args.channel, String(p.args.text).slice(0, RESTARTING.length)])).toEqual(
      [["D0ERIKALOT", RESTARTING]],
    );
    await finishLateRouter(held.release);
    expect(api.posts()).toHaveLength(1);
  });

  it("keeps an answer whose post is under way when the grace period ends, and posts no notice after it", async () => {
    const reply = gate();
    api.beforeReply = (method) => (method === "chat.postMessage" ? reply.opened : undefined);
    // An event and thread of this test's own: a late call of the test before cannot be taken for this one's post.
    const own = (await fixture("app-mention.json"))
      .replaceAll("1764064800.000100", "1764064999.000100")
      .replace("Ev0MENTION01", "Ev0UNDERWAY1");
    expect((await send(lotse.base, own)).res.status).toBe(200);
    await api.postTo("1764064999.000100", 60_000);
    expect(api.posts()).toHaveLength(1);
    // Grace period 0 while Slack has not yet answered the post. Which pieces of work are still counted at that
    // moment (the answer's delivery, the turn written after it) depends on timing; what the user sees must not.
    const drained = lotse.rt.work.drain(0, 60_000);
    await turns();
    reply.open();
    await drained;
    await turns();
    expect(api.posts()).toHaveLength(1);
    expect(blockText(api.posts()[0]?.args ?? {})).toContain("Beschaffung");
    expect(String(api.posts()[0]?.args.text)).not.toContain(RESTARTING);
  });

  it("answers /lotse with the notice as its ephemeral response", async () => {
    const held = holdAssistant(lotse);
    const form = await fixture("slash-command.form", {
      "{{responseUrl}}": encodeURIComponent(`${api.url}respond/cmd1`),
    });
    expect((await send(lotse.base, form, { form: true })).res.status).toBe(200);
    await held.entered;
    await lotse.rt.work.drain(0, 60_000);
    expect(api.responses).toHaveLength(1);
    expect(api.responses[0]?.body.response_type).toBe("ephemeral");
    expect(String(api.responses[0]?.body.text)).toContain(RESTARTING);
    await finishLateRouter(held.release);
    expect(api.responses).toHaveLength(1);
    expect(JSON.stringify(api.responses)).not.toContain(APOLOGY);
  });

  it("answers a share click with the ephemeral notice, keeps the original and posts nothing into the channel", async () => {
    const held = holdAssistant(lotse);
    const click = await fixture("block-actions-share.json", {
      "{{responseUrl}}": `${api.url}respond/share1`,
    });
    expect((await send(lotse.base, interactive(click), { form: true })).res.status).toBe(200);
    await held.entered;
    await lotse.rt.work.drain(0, 60_000);
    expect(api.responses).toHaveLength(1);
    expect(api.responses[0]?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(api.responses[0]?.body.text)).toContain(RESTARTING);
    await finishLateRouter(held.release);
    expect(api.posts()).toEqual([]);
    expect(api.responses).toHaveLength(1);
  });
});

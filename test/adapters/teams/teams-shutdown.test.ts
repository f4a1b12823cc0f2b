import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fixture, post } from "../../fakes/teams-activities.ts";
import { FakeConnector } from "../../fakes/teams-connector.ts";
import { type Lotse, startLotse } from "../../fakes/teams-harness.ts";

const cardText = (call: { body: Record<string, unknown> } | undefined): string =>
  JSON.stringify((call?.body.attachments as { content: { body: unknown } }[] | undefined)?.[0]?.content.body);

/**
 * Graceful shutdown with Teams: the turn (its reply is posted inside the request) is tracked work, so the drain waits
 * for it; requests that arrive while draining get 503. Each test drains its own Lotse (a drain cannot be undone).
 */
describe("Teams during a graceful shutdown", () => {
  const connector = new FakeConnector();
  let lotse: Lotse;

  beforeAll(() => connector.start());
  beforeEach(async () => {
    lotse = await startLotse({});
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    connector.reset();
    await lotse.stop();
  });
  afterAll(() => connector.stop());

  it("finishes a turn in flight before the drain resolves, and refuses requests while draining with 503", async () => {
    const release = connector.hold();
    const inFlight = post(lotse.base, await fixture("personal-message", connector.url));
    // The typing indicator arrived and is held: the turn waits for it before it sends its answer.
    await connector.waitFor(1);
    let answersWhenDrained: number | undefined;
    const drained = lotse.rt.work.drain(60_000).then((outcome) => {
      answersWhenDrained = connector.messages().length;
      return outcome;
    });
    expect(lotse.rt.work.accepting).toBe(false);
    const late = await post(lotse.base, await fixture("group-message", connector.url));
    expect(late.status).toBe(503);
    expect(late.headers.get("connection")).toBe("close");
    expect(await late.json()).toMatchObject({ error: { code: "SHUTTING_DOWN" } });
    expect(lotse.logs.find((l) => l.code === "SHUTTING_DOWN")).toMatchObject({ level: 40 });
    expect(answersWhenDrained).toBeUndefined();
    release();
    expect((await inFlight).status).toBe(200);
    expect(await drained).toEqual({ finished: true, aborted: [], unfinished: [] });
    // The answer was posted before the drain let shutdown go on to close the database.
    expect(answersWhenDrained).toBe(1);
    expect(cardText(connector.messages()[0])).toContain("Quellen");
    // Only the first request reached the connector: the late one was neither answered nor typed at.
    expect(connector.calls.map((c) => c.path).every((p) => p.includes("a:1pQ7wZ3x"))).toBe(true);
  });

  it("posts the notice-restarting text instead of the answer when the grace period ends mid-turn", async () => {
    const signals: AbortSignal[] = [];
    const track = lotse.rt.work.track.bind(lotse.rt.work);
    vi.spyOn(lotse.rt.work, "track").mockImplementation((label, work) =>
      track(label, (signal) => {
        signals.push(signal);
        return work(signal);
      }),
    );
    const release = connector.hold();
    const inFlight = post(lotse.base, await fixture("personal-message", connector.url));
    await connector.waitFor(1);
    // No grace period: the turn is aborted at once and gets the abort grace to post its notice.
    const drained = lotse.rt.work.drain(0, 60_000);
    const signal = signals[0] as AbortSignal;
    await new Promise((resolve) =>
      signal.aborted ? resolve(undefined) : signal.addEventListener("abort", resolve, { once: true }),
    );
    release();
    expect((await inFlight).status).toBe(200);
    expect(await drained).toEqual({ finished: false, aborted: [{ platform: "teams" }], unfinished: [] });
    const messages = connector.messages();
    expect(messages).toHaveLength(1);
    expect(cardText(messages[0])).toContain(lotse.rt.templates.render("notice-restarting"));
    expect(cardText(messages[0])).not.toContain("Quellen");
  });
});

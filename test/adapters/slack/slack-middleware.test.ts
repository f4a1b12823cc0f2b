import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  isAllowedResponseUrl,
  isFromBot,
  SLACK_RESPONSE_ORIGIN,
} from "../../../adapters/slack/bolt-middleware.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { fixture, interactive, send } from "../../fakes/slack-events.ts";
import { startLotse } from "../../fakes/slack-harness.ts";
import { waitForLog } from "../../fakes/wait.ts";

/** A loopback port that only counts the connections made to it (Lotse must make none). */
async function until(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function connectionRecorder(): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    connections: () => connections,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe("Slack middleware before every listener", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;
  let recorder: Awaited<ReturnType<typeof connectionRecorder>>;
  const claimed = async (eventId: string) =>
    (await lotse.rt.db.query("SELECT 1 FROM event_claims WHERE event_id = $1", [eventId])).rows.length;

  beforeAll(async () => {
    await api.start();
    recorder = await connectionRecorder();
    lotse = await startLotse(api);
  });
  afterEach(() => {
    api.reset();
    lotse.logs.length = 0;
  });
  afterAll(async () => {
    await lotse.close();
    await recorder.close();
    await api.stop();
  });

  it("ignores another bot's app_mention: no answer, no claim (two bots could loop)", async () => {
    const { res } = await send(lotse.base, await fixture("app-mention-from-bot.json"));
    expect(res.status).toBe(200);
    await waitForLog(lotse.logs, (l) => l.event === "bot_ignored" && l.eventId === "Ev0BOTMENT01");
    expect(api.posts()).toEqual([]);
    expect(api.calls.map((c) => c.method)).not.toContain("assistant.threads.setStatus");
    expect(await claimed("Ev0BOTMENT01")).toBe(0);
  });

  it("ignores a mention that carries only a bot_profile", async () => {
    const mention = JSON.parse(await fixture("app-mention-from-bot.json"));
    delete mention.event.bot_id;
    mention.event_id = "Ev0BOTPROF01";
    await send(lotse.base, JSON.stringify(mention));
    await waitForLog(lotse.logs, (l) => l.event === "bot_ignored" && l.eventId === "Ev0BOTPROF01");
    expect(api.posts()).toEqual([]);
  });

  it("does not answer a mention written by Lotse itself", async () => {
    // Bolt's own ignoreSelf (registered first) drops it before Lotse's filter, which covers it too (unit test below).
    const own = (await fixture("app-mention.json"))
      .replace('"user": "U0ERIKA01"', '"user": "U0LOTSE01"')
      .replace("Ev0MENTION01", "Ev0SELF00001");
    await send(lotse.base, own);
    // A person's mention sent afterwards is answered; by then the first one has long been dropped or answered.
    const human = (await fixture("app-mention-thread.json")).replace(
      /"event_id": "[^"]+"/,
      '"event_id": "Ev0HUMAN0002"',
    );
    await send(lotse.base, human);
    await api.waitFor("chat.postMessage");
    expect(api.posts().map((p) => p.args.thread_ts)).toEqual(["1764065000.000200"]);
    expect(await claimed("Ev0SELF00001")).toBe(0);
  });

  it("ignores a bot_message in a DM", async () => {
    await send(lotse.base, await fixture("message-im-bot-message.json"));
    await waitForLog(lotse.logs, (l) => l.event === "bot_ignored" && l.eventId === "Ev0BOTMSG001");
    expect(api.posts()).toEqual([]);
  });

  it("still answers people", async () => {
    await send(lotse.base, (await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0HUMAN0001"));
    await api.waitFor("chat.postMessage");
    expect(api.posts()).toHaveLength(1);
  });

  it("refuses a signed /lotse whose response_url leads elsewhere, without connecting there", async () => {
    // The answer of the test before may still be finishing (its post is seen before its work settles).
    await until(() => lotse.rt.work.size === 0);
    const form = await fixture("slash-command.form", {
      "{{responseUrl}}": encodeURIComponent(`${recorder.url}commands/T0MUSTER1/1234/abc`),
    });
    const { res } = await send(lotse.base, form, { form: true });
    expect(res.status).toBe(200);
    const warning = await waitForLog(lotse.logs, (l) => l.code === "OUTBOUND_HOST_REFUSED");
    expect(warning).toMatchObject({ level: 40, host: new URL(recorder.url).host });
    expect(JSON.stringify(warning)).not.toContain("commands/T0MUSTER1");
    expect(recorder.connections()).toBe(0);
    expect(lotse.rt.work.size).toBe(0);
  });

  it("refuses a block action whose response_url leads elsewhere: nothing recorded, no connection", async () => {
    const body = await fixture("block-actions-feedback.json", {
      "{{responseUrl}}": `${recorder.url}actions/x`,
    });
    const { res } = await send(lotse.base, interactive(body), { form: true });
    expect(res.status).toBe(200);
    await waitForLog(lotse.logs, (l) => l.code === "OUTBOUND_HOST_REFUSED");
    expect(recorder.connections()).toBe(0);
    expect((await lotse.rt.db.query("SELECT 1 FROM feedback")).rows).toEqual([]);
  });

  it("does not record a forged 👍/👎 value longer than Slack allows", async () => {
    const forged = JSON.parse(
      await fixture("block-actions-feedback.json", { "{{responseUrl}}": `${api.url}respond/forged` }),
    );
    forged.actions[0].value = JSON.stringify({ q: "F".repeat(100_026 - 30), d: ["waermeplanung"] });
    expect(forged.actions[0].value).toHaveLength(100_026);
    const { res } = await send(lotse.base, interactive(JSON.stringify(forged)), { form: true });
    expect(res.status).toBe(200);
    await waitForLog(lotse.logs, (l) => l.code === "REQUEST_INVALID" && l.actionId === "feedback.down");
    expect((await lotse.rt.db.query("SELECT 1 FROM feedback")).rows).toEqual([]);
  });
});

describe("bot and response_url rules", () => {
  it("tells events written by bots from events about them", () => {
    expect(isFromBot({ type: "app_mention", user: "U0ERIKA01", bot_id: "B0X" }, "U0LOTSE01")).toBe(true);
    expect(isFromBot({ type: "message", subtype: "bot_message" }, "U0LOTSE01")).toBe(true);
    expect(isFromBot({ type: "app_mention", user: "U0X", bot_profile: { id: "B0X" } }, "U0LOTSE01")).toBe(
      true,
    );
    expect(isFromBot({ type: "message", user: "U0LOTSE01" }, "U0LOTSE01")).toBe(true);
    expect(isFromBot({ type: "app_mention", user: "U0ERIKA01" }, "U0LOTSE01")).toBe(false);
    // Lotse being added to a channel is about Lotse, not written by it.
    expect(
      isFromBot({ type: "member_joined_channel", user: "U0LOTSE01", inviter: "U0ERIKA01" }, "U0LOTSE01"),
    ).toBe(false);
  });

  it("allows only https://hooks.slack.com and the configured API origin", () => {
    const allowed = [SLACK_RESPONSE_ORIGIN, "http://127.0.0.1:4010"];
    expect(isAllowedResponseUrl("https://hooks.slack.com/commands/T0MUSTER1/1234/abc", allowed)).toBe(true);
    expect(isAllowedResponseUrl("http://127.0.0.1:4010/respond/x", allowed)).toBe(true);
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://hooks.slack.com/commands/x",
      "https://hooks.slack.com:8443/commands/x",
      "https://hooks.slack.com.example.org/commands/x",
      "https://user:pw@hooks.slack.com/commands/x",
      "http://127.0.0.1:4011/respond/x",
      "not a url",
      42,
    ])
      expect(isAllowedResponseUrl(url, allowed), String(url)).toBe(false);
  });
});

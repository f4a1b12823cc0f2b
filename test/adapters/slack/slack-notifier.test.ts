import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackNotifier } from "../../../adapters/slack/slack-notifier.ts";
import { SlackPoster } from "../../../adapters/slack/slack-poster.ts";
import { plainAnswer } from "../../../src/assistant/answer.ts";
import { LotseError } from "../../../src/errors.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { BOT_TOKEN, blockText } from "../../fakes/slack-events.ts";
import { captureLogs } from "../../helpers.ts";

describe("the Slack notifier", () => {
  const api = new FakeSlackApi();
  const { logs, log } = captureLogs();
  let notifier: SlackNotifier;

  beforeAll(async () => {
    await api.start();
    // As the adapter configures its posting client: no retries, a 429 rejected at once.
    const client = new WebClient(BOT_TOKEN, {
      slackApiUrl: api.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    notifier = new SlackNotifier({ poster: new SlackPoster(() => client, log), log });
  });
  afterEach(() => {
    api.reset();
    logs.length = 0;
  });
  afterAll(() => api.stop());

  it("reports a conversation Lotse can no longer write to as gone, for each of Slack's three answers", async () => {
    for (const [channel, error] of [
      ["C0ARCHIV01", "is_archived"],
      ["C0GELOESCH", "channel_not_found"],
      ["C0OHNELOTS", "not_in_channel"],
    ] as const) {
      api.failures.set(`chat.postMessage ${channel}`, error);
      expect(
        await notifier.send(
          { kind: "conversation", conversationId: `${channel}:1764064800.000100` },
          { kind: "notice", text: "Erinnerung: Indikatoren melden." },
        ),
      ).toEqual({ ok: false, reason: "gone" });
    }
    expect(api.posts()).toHaveLength(3);
    expect(logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it("writes to a user personally: a post to the user id, the outcome naming the DM Slack put it in", async () => {
    const outcome = await notifier.send(
      { kind: "user", userId: "U0ERIKA01", tenant: "musterstadt" },
      { kind: "notice", text: "Ihre Erinnerung: Indikatoren melden." },
    );
    expect(outcome).toEqual({ ok: true, conversationId: "D0ERIKA01" });
    expect(api.posts().map((p) => [p.args.channel, p.args.thread_ts, p.args.text])).toEqual([
      ["U0ERIKA01", undefined, "Ihre Erinnerung: Indikatoren melden."],
    ]);
  });

  it("reports a user Lotse cannot write to personally as gone, for each of Slack's answers", async () => {
    const errors = ["user_not_found", "account_inactive", "cannot_dm_bot", "user_disabled"];
    for (const [i, error] of errors.entries()) {
      const userId = `U0WEG0000${i}`;
      api.failures.set(`chat.postMessage ${userId}`, error);
      expect(
        await notifier.send({ kind: "user", userId, tenant: "musterstadt" }, { kind: "notice", text: "x" }),
        error,
      ).toEqual({ ok: false, reason: "gone" });
    }
    expect(logs.filter((l) => l.event === "conversation_gone").map((l) => [l.target, l.slackError])).toEqual(
      errors.map((e) => ["user", e]),
    );
    expect(logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it("reports a 429 as rate-limited with Slack's Retry-After, without waiting or posting again", async () => {
    api.rateLimit = { times: 1, retryAfter: 7 };
    expect(
      await notifier.send(
        { kind: "conversation", conversationId: "C0NACHHALT:1764064800.000100" },
        { kind: "notice", text: "Erinnerung" },
      ),
    ).toEqual({ ok: false, reason: "rate-limited", retryAfterMs: 7000 });
    expect(api.refusals).toEqual([{ channel: "C0NACHHALT", at: expect.any(Number), retryAfter: 7 }]);
    expect(api.posts()).toEqual([]);
    expect(logs.filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  it("meets Slack's one message per second per channel: the second into one channel waits, others go", async () => {
    let clock = 1_764_070_000_000;
    api.rateLimit = { perChannelPerSecond: 1, now: () => clock };
    const notice = { kind: "notice" as const, text: "Frist: Produktblätter" };
    const c1 = { kind: "new-thread" as const, channelConversationId: "C0KANAL001" };
    expect(await notifier.send(c1, notice)).toMatchObject({ ok: true });
    expect(
      await notifier.send({ kind: "new-thread", channelConversationId: "C0KANAL002" }, notice),
    ).toMatchObject({ ok: true });
    clock += 400;
    expect(await notifier.send(c1, notice)).toEqual({
      ok: false,
      reason: "rate-limited",
      retryAfterMs: 1000,
    });
    // A user's DM is one channel, however it is addressed.
    expect(await notifier.send({ kind: "user", userId: "U0ERIKA01", tenant: "m" }, notice)).toMatchObject({
      ok: true,
    });
    expect(await notifier.send({ kind: "conversation", conversationId: "D0ERIKA01" }, notice)).toMatchObject({
      reason: "rate-limited",
    });
    clock += 600;
    expect(await notifier.send(c1, notice)).toMatchObject({ ok: true });
    expect(api.refusals.map((r) => r.channel)).toEqual(["C0KANAL001", "D0ERIKA01"]);
    expect(api.posts().map((p) => p.args.channel)).toEqual([
      "C0KANAL001",
      "C0KANAL002",
      "U0ERIKA01",
      "C0KANAL001",
    ]);
  });

  it("reads Slack's ratelimited answer without a 429 as rate-limited too", async () => {
    api.failures.set("chat.postMessage C0NACHHALT", "ratelimited");
    expect(
      await notifier.send(
        { kind: "new-thread", channelConversationId: "C0NACHHALT" },
        { kind: "notice", text: "x" },
      ),
    ).toEqual({ ok: false, reason: "rate-limited", retryAfterMs: 1000 });
  });

  // Reminders and deadline notices go to { kind: "new-thread", channelConversationId: conversation.channel }.
  it("posts a new thread as a top-level message into a channel or a DM, named by the thread it starts", async () => {
    const notice = { kind: "notice" as const, text: "Erinnerung: Indikatoren melden." };
    const outcomes = [];
    for (const channel of ["C0NACHHALT", "D0ERIKALOT"])
      outcomes.push(await notifier.send({ kind: "new-thread", channelConversationId: channel }, notice));
    expect(api.posts().map((p) => [p.args.channel, p.args.thread_ts])).toEqual([
      ["C0NACHHALT", undefined],
      ["D0ERIKALOT", undefined],
    ]);
    expect(outcomes).toEqual([
      { ok: true, conversationId: expect.stringMatching(/^C0NACHHALT:\d+\.\d+$/) },
      { ok: true, conversationId: expect.stringMatching(/^D0ERIKALOT:\d+\.\d+$/) },
    ]);
  });

  it("throws on any other failure", async () => {
    api.failures.set("chat.postMessage C0NACHHALT", "invalid_blocks");
    await expect(
      notifier.send(
        { kind: "new-thread", channelConversationId: "C0NACHHALT" },
        { kind: "notice", text: "x" },
      ),
    ).rejects.toMatchObject({ code: "SLACK_POST_FAILED" });
  });

  it("renders any reply kind: an answer, a card, an update as a new message; a form it cannot open", async () => {
    const view = {
      answer: plainAnswer("answer", "Bis 30. Juni 2026."),
      question: "Bis wann?",
      headings: { sources: "Quellen", goals: "Ziele", nextSteps: "Nächste Schritte" },
      actions: [],
    };
    const target = { kind: "conversation" as const, conversationId: "D0ERIKALOT" };
    expect(await notifier.send(target, { kind: "answer", view })).toEqual({
      ok: true,
      conversationId: "D0ERIKALOT",
    });
    await notifier.send(target, {
      kind: "card",
      card: { title: "Wochenüberblick", sections: [{ text: "3 Fragen" }] },
    });
    expect(api.posts().map((p) => [p.args.channel, p.args.thread_ts])).toEqual([
      ["D0ERIKALOT", undefined],
      ["D0ERIKALOT", undefined],
    ]);
    expect(blockText(api.posts()[1]?.args ?? {})).toContain('"type":"header"');
    await expect(
      notifier.send(target, {
        kind: "form",
        form: { id: "x.y", title: "T", submitLabel: "OK", fields: [] },
      }),
    ).rejects.toMatchObject({ code: "REQUEST_INVALID" });
  });
});

describe("the Slack notifier against a Slack that never answers", () => {
  const requests: IncomingMessage[] = [];
  // Reads each request and never answers it: the post hangs until its client gives up.
  const server: Server = createServer((req) => {
    requests.push(req);
    req.resume();
  });

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("gives up after the send timeout with SLACK_POST_FAILED (reason timeout), so the scheduler retries", async () => {
    const { logs, log } = captureLogs();
    const client = new WebClient(BOT_TOKEN, {
      slackApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    // Production: SEND_TIMEOUT_MS (30 s), well below the scheduler's 120 s lease.
    const notifier = new SlackNotifier({
      poster: new SlackPoster(() => client, log),
      log,
      sendTimeoutMs: 300,
    });
    for (const target of [
      { kind: "new-thread", channelConversationId: "C0NACHHALT" },
      { kind: "user", userId: "U0ERIKA01", tenant: "musterstadt" },
    ] as const) {
      const err = await notifier
        .send(target, { kind: "notice", text: "Erinnerung" })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LotseError);
      expect(err).toMatchObject({ code: "SLACK_POST_FAILED", details: { reason: "timeout" } });
    }
    expect(requests.map((r) => r.url)).toEqual(["/api/chat.postMessage", "/api/chat.postMessage"]);
    expect(logs.filter((l) => l.code === "SLACK_POST_FAILED" && l.reason === "timeout")).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toContain("U0ERIKA01");
  });
});

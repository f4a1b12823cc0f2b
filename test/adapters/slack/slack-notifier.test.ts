import { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackNotifier } from "../../../adapters/slack/slack-notifier.ts";
import { SlackPoster } from "../../../adapters/slack/slack-poster.ts";
import { plainAnswer } from "../../../src/assistant/answer.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { BOT_TOKEN, blockText } from "../../fakes/slack-events.ts";
import { captureLogs } from "../../helpers.ts";

describe("the Slack notifier", () => {
  const api = new FakeSlackApi();
  const { logs, log } = captureLogs();
  let notifier: SlackNotifier;

  beforeAll(async () => {
    await api.start();
    const client = new WebClient(BOT_TOKEN, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
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

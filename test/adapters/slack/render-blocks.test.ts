import { describe, expect, it } from "vitest";
import {
  escapeMrkdwn,
  LIMITS,
  mrkdwnLink,
  renderAnswerBlocks,
} from "../../../adapters/slack/render-blocks.ts";
import { plainAnswer } from "../../../src/assistant/answer.ts";

describe("Slack Block Kit rendering", () => {
  it("escapes &, < and > so that mentions and links in text ping and link nobody", () => {
    expect(escapeMrkdwn("<!channel> <@U123> <https://x.example|klick> & mehr")).toBe(
      "&lt;!channel&gt; &lt;@U123&gt; &lt;https://x.example|klick&gt; &amp; mehr",
    );
    expect(mrkdwnLink("Titel|<b>", "https://q.example/a b")).toBe(
      "<https://q.example/a%20b|Titel¦&lt;b&gt;>",
    );
    expect(mrkdwnLink("böse", "javascript:alert(1)")).toBe("böse");
  });

  it("stays within Block Kit's limits for a very long answer", () => {
    const long = Array.from(
      { length: 400 },
      (_, i) => `- Punkt ${i} mit etwas Text, der die Antwort lang macht.`,
    ).join("\n");
    const answer = plainAnswer("answer", `Einleitung.\n${long}`, {
      citations: Array.from({ length: 12 }, (_, i) => ({
        docId: `d${i}`,
        title: `Dokument ${i}`,
        section: "A",
        excerpt: "x",
      })),
      nextSteps: Array.from({ length: 8 }, (_, i) => ({
        label: `Schritt ${i} `.repeat(20),
        url: "https://intranet.musterstadt.example/x",
      })),
      contacts: [{ role: "Vergabestelle", name: "Thomas Berger", slackUserId: "U0MSVERG01" }],
    });
    const { text, blocks } = renderAnswerBlocks(answer, {
      question: "Frage ".repeat(600),
      tenantName: "Musterstadt",
    });
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    for (const b of blocks) {
      const t = (b.text as { text?: string } | undefined)?.text;
      if (t) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionText);
      for (const e of (b.elements as { text?: { text?: string } | string; value?: string }[] | undefined) ??
        []) {
        if (typeof e.text === "object" && e.text?.text)
          expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
        if (e.value) expect(e.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
      }
    }
    const context = blocks.find((b) => b.type === "context") as { elements: unknown[] };
    expect(context.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
    expect(JSON.stringify(blocks)).toContain("<@U0MSVERG01>");
  });
});

describe("the Slack app manifest", () => {
  it("subscribes to every event and scope the adapter handles, and points all URLs at /slack/events", async () => {
    const { parse } = await import("yaml");
    const { readFile } = await import("node:fs/promises");
    const path = await import("node:path");
    const m = parse(
      await readFile(path.join(import.meta.dirname, "../../../adapters/slack/manifest.yaml"), "utf8"),
    );
    expect(m.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_mention", "message.im", "message.channels", "app_home_opened"]),
    );
    expect(m.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        "app_mentions:read",
        "chat:write",
        "im:history",
        "commands",
        "assistant:write",
      ]),
    );
    expect(m.features.slash_commands[0].command).toBe("/lotse");
    expect(m.features.agent_view.suggested_prompts.length).toBeLessThanOrEqual(4);
    for (const url of [
      m.settings.event_subscriptions.request_url,
      m.settings.interactivity.request_url,
      m.features.slash_commands[0].url,
    ])
      expect(url).toMatch(/\/slack\/events$/);
  });
});

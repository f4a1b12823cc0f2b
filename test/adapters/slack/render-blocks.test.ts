import { describe, expect, it } from "vitest";
import {
  documentMrkdwn,
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

describe("Slack mrkdwn from documents (Markdown, where an HTML entity means its character)", () => {
  const rendered = (text: string) =>
    renderAnswerBlocks(plainAnswer("answer", text), { question: "Frage", tenantName: "Musterstadt" });
  const sectionText = (text: string) => (rendered(text).blocks[0] as { text: { text: string } }).text.text;

  it("shows a bare & and an &amp; in a document both as one &, never as &amp;amp;", () => {
    expect(sectionText("Strom & Wärme")).toBe("Strom &amp; Wärme");
    expect(sectionText("Strom &amp; Wärme")).toBe("Strom &amp; Wärme");
    expect(rendered("Strom &amp; Wärme").text).toBe("Strom &amp; Wärme");
    expect(documentMrkdwn("Mobilit&auml;t &ndash; &#8222;Jobrad&#8220; &#x20AC; 50")).toBe(
      "Mobilität – „Jobrad“ € 50",
    );
  });

  it("shows tags and Slack's control sequences literally, also when a document wrote them as entities", () => {
    expect(sectionText("<tag> und <!channel>")).toBe("&lt;tag&gt; und &lt;!channel&gt;");
    expect(sectionText("&lt;!channel&gt; &lt;@U123&gt;")).toBe("&lt;!channel&gt; &lt;@U123&gt;");
    // Decoded once, as Markdown does: "&amp;lt;" in a document means the text "&lt;".
    expect(documentMrkdwn("&amp;lt;")).toBe("&amp;lt;");
    // Unknown entities, a bare & and code points that are no character stay as written.
    expect(documentMrkdwn("&unbekannt; & &#0; &#xD800;")).toBe("&amp;unbekannt; &amp; &amp;#0; &amp;#xD800;");
  });

  it("decodes entities in titles, goals, contacts and button labels too", () => {
    const answer = plainAnswer("answer", "Text", {
      citations: [{ docId: "d", title: "Strom &amp; Wärme", section: "A &amp; B", excerpt: "x" }],
      goals: [{ title: "Klima &amp; Energie", text: "CO&#8322; senken", docId: "g" }],
      nextSteps: [{ label: "Antrag &amp; Formular", url: "https://intranet.musterstadt.example/a" }],
      contacts: [{ role: "Energie &amp; Klima", name: "Julia Sommer" }],
    });
    const json = JSON.stringify(
      renderAnswerBlocks(answer, { question: "F", tenantName: "Musterstadt" }).blocks,
    );
    expect(json).not.toContain("&amp;amp;");
    expect(json).toContain("Strom &amp; Wärme");
    expect(json).toContain("CO₂ senken");
    expect(json).toContain('"text":"Antrag & Formular"');
  });

  it("never cuts an escaped & in two when a long text is split into sections", () => {
    const text = `${"x".repeat(LIMITS.sectionText - 3)}& und weiter`;
    const blocks = rendered(text).blocks as { type: string; text?: { text: string } }[];
    const first = blocks[0]?.text?.text ?? "";
    expect(first.endsWith("x")).toBe(true);
    expect(blocks[1]?.text?.text.startsWith("&amp; und")).toBe(true);
    expect(rendered(text).text).not.toMatch(/&a?m?p? …$/);
  });

  it("shows the document's Stand next to its source", () => {
    const answer = plainAnswer("answer", "Der Wärmeplan musste bis 30. Juni 2026 vorliegen.", {
      citations: [
        {
          docId: "waermeplanung",
          title: "Kommunale Wärmeplanung",
          section: "Fristen",
          url: "https://www.gesetze-im-internet.de/wpg/__4.html",
          excerpt: "x",
          asOf: "2026-03",
        },
        { docId: "b", title: "Ohne Stand", section: "A", excerpt: "y" },
      ],
    });
    const { blocks } = renderAnswerBlocks(answer, { question: "Frist?", tenantName: "Musterstadt" });
    const context = blocks.find((b) => b.type === "context") as { elements: { text: string }[] };
    expect(context.elements.map((e) => e.text)).toEqual([
      "[1] <https://www.gesetze-im-internet.de/wpg/__4.html|Kommunale Wärmeplanung> – Fristen (Stand: März 2026)",
      "[2] Ohne Stand – A",
    ]);
  });
});

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderAnswer } from "../../../adapters/slack/render-answer.ts";
import {
  type Block,
  documentMrkdwn,
  escapeMrkdwn,
  LIMITS,
  mrkdwnLink,
  truncate,
} from "../../../adapters/slack/render-blocks.ts";
import { type Answer, plainAnswer } from "../../../src/assistant/answer.ts";
import { answerView } from "../../../src/assistant/answer-view.ts";
import { Templates } from "../../../src/assistant/templates.ts";
import { ROOT } from "../../helpers.ts";

let templates: Templates;
beforeAll(async () => {
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
});

/** The answer as the question feature shows it (headings and buttons from prompts/de), rendered for Slack. */
const renderAnswerBlocks = (answer: Answer, o: { question: string; tenantName?: string; share?: boolean }) =>
  renderAnswer(
    answerView(answer, templates, { question: o.question, tenant: "musterstadt", share: o.share }),
  );

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
    for (const b of blocks as Block[]) {
      const t = (b.text as { text?: string } | undefined)?.text;
      if (t) expect(t.length).toBeLessThanOrEqual(LIMITS.sectionText);
      for (const e of (b.elements as { text?: { text?: string } | string; value?: string }[] | undefined) ??
        []) {
        if (typeof e.text === "object" && e.text?.text)
          expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
        if (e.value) expect(e.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
      }
    }
    const context = blocks.find((b: Block) => b.type === "context") as { elements: unknown[] };
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
    const context = blocks.find((b: Block) => b.type === "context") as { elements: { text: string }[] };
    expect(context.elements.map((e) => e.text)).toEqual([
      "[1] <https://www.gesetze-im-internet.de/wpg/__4.html|Kommunale Wärmeplanung> – Fristen (Stand: März 2026)",
      "[2] Ohne Stand – A",
    ]);
  });
});

describe("the answer view as Block Kit", () => {
  const answer = plainAnswer("answer", "Laptops brauchen den Blauen Engel.", {
    citations: [
      { docId: "it", title: "IT-Beschaffung", section: "Kriterien", excerpt: "x", asOf: "2026-01" },
    ],
    goals: [{ title: "Klimaneutral 2035", text: "Die Verwaltung wird klimaneutral.", docId: "ziele" }],
    nextSteps: [{ label: "Produktblatt", url: "https://intranet.musterstadt.example/it" }],
    contacts: [{ role: "Vergabestelle", name: "Thomas Berger", email: "vergabe@musterstadt.example" }],
  });

  it("takes every heading and button label from the view, none from code", () => {
    const view = answerView(answer, templates, { question: "Laptops?", tenant: "musterstadt", share: true });
    const renamed = renderAnswer({
      ...view,
      headings: { sources: "Belege", goals: "Unsere Vorsätze", nextSteps: "Weiter" },
      contacts: { heading: "Wer hilft", contacts: answer.contacts },
      actions: view.actions.map((a) => ({ ...a, label: `X ${a.label.length}` })),
    });
    const json = JSON.stringify(renamed.blocks);
    expect(json).toContain("*Unsere Vorsätze*");
    expect(json).toContain("*Wer hilft*");
    for (const word of ["Ansprechpersonen", "Im Kanal teilen", "Hilfreich", "vorgenommen"])
      expect(json).not.toContain(word);
    const actions = renamed.blocks.at(-1) as { block_id: string; elements: Record<string, unknown>[] };
    expect(actions.block_id).toBe("answer_actions");
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      "answer.share",
      "feedback.up",
      "feedback.down",
    ]);
    expect(actions.elements[0]?.value).toBe("Laptops?");
    expect(JSON.parse(String(actions.elements[1]?.value))).toEqual({ q: "Laptops?", d: ["it"] });
  });

  it("shows the first-contact notice in a line above the answer", () => {
    const view = answerView(answer, templates, {
      question: "Laptops?",
      tenant: "musterstadt",
      notice: templates.label("ai-notice"),
    });
    const { blocks } = renderAnswer(view);
    expect(blocks[0]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: templates.label("ai-notice") }],
    });
    expect((blocks[1] as { text: { text: string } }).text.text).toBe("Laptops brauchen den Blauen Engel.");
  });

  it("names who shared the answer with a Slack mention between the view's before and after, the question escaped", () => {
    const view = answerView(answer, templates, { question: "<!channel> Laptops?", tenant: "musterstadt" });
    const [before = "", after = ""] = templates
      .label("shared-intro", { user: "\u0000", question: "<!channel> Laptops?" })
      .split("\u0000");
    const { blocks } = renderAnswer({ ...view, sharedBy: { userId: "U0ERIKA01", before, after } });
    const intro = (blocks[0] as { elements: { text: string }[] }).elements[0]?.text;
    expect(intro).toBe("<@U0ERIKA01> hat Lotse gefragt: „&lt;!channel&gt; Laptops?“");
  });

  it("truncates with one helper that never cuts an escape in two", () => {
    expect(truncate("kurz", 10)).toBe("kurz");
    expect(truncate("abcdefghij&amp;", 13)).toBe("abcdefghij …");
    expect(truncate("x".repeat(20), 10)).toBe(`${"x".repeat(8)} …`);
  });
});

import { describe, expect, it } from "vitest";
import type { Block } from "../../../adapters/slack/render-blocks.ts";
import { cardBlocks, renderCard } from "../../../adapters/slack/render-card.ts";
import { renderNotice } from "../../../adapters/slack/render-notice.ts";
import { routeAction } from "../../../adapters/slack/slack-routes.ts";
import type { Card } from "../../../src/core/replies.ts";

const card: Card = {
  title: "Ihre Erinnerungen",
  sections: [
    {
      heading: "Nächste Termine",
      text: "Bitte melden Sie <b>rechtzeitig</b>.",
      items: ["Indikatoren", "Bericht & Anhang"],
    },
    {
      facts: [
        { label: "Nächster Termin", value: "31. März 2026" },
        { label: "Kanal", value: "#nachhaltigkeit" },
      ],
    },
  ],
  sources: {
    heading: "Quellen",
    citations: [{ docId: "d", title: "Leitfaden", section: "A", url: "https://x.example/l", excerpt: "x" }],
  },
  contacts: { heading: "Wer Ihnen weiterhilft", contacts: [{ role: "Koordination", name: "Julia Sommer" }] },
  buttons: [
    { label: "Pausieren", actionId: "reminder.pause", value: "r1", style: "danger" },
    { label: "Im Intranet", url: "https://intranet.musterstadt.example/r" },
    { label: "Kaputt", url: "javascript:alert(1)" },
  ],
};

describe("a card as Block Kit", () => {
  it("renders the title as a header, sections with heading, text, items and facts, sources, contacts, buttons", () => {
    const { text, blocks } = renderCard(card);
    expect(text).toBe("Ihre Erinnerungen");
    expect(blocks.map((b) => b.type)).toEqual([
      "header",
      "section",
      "section",
      "context",
      "section",
      "actions",
    ]);
    expect(blocks[0]).toMatchObject({ text: { type: "plain_text", text: "Ihre Erinnerungen" } });
    expect((blocks[1] as { text: { text: string } }).text.text).toBe(
      "*Nächste Termine*\nBitte melden Sie &lt;b&gt;rechtzeitig&lt;/b&gt;.\n• Indikatoren\n• Bericht &amp; Anhang",
    );
    expect((blocks[2] as { fields: { text: string }[] }).fields.map((f) => f.text)).toEqual([
      "*Nächster Termin*\n31. März 2026",
      "*Kanal*\n#nachhaltigkeit",
    ]);
    expect(JSON.stringify(blocks[3])).toContain("*Quellen*");
    expect(JSON.stringify(blocks[3])).toContain("<https://x.example/l|Leitfaden>");
    expect((blocks[4] as { text: { text: string } }).text.text).toBe(
      "*Wer Ihnen weiterhilft*\n• *Koordination:* Julia Sommer",
    );
    const buttons = (blocks[5] as { elements: Block[] }).elements;
    expect(buttons).toEqual([
      {
        type: "button",
        action_id: "reminder.pause",
        value: "r1",
        style: "danger",
        text: { type: "plain_text", text: "Pausieren", emoji: true },
      },
      {
        type: "button",
        action_id: "link_1",
        url: "https://intranet.musterstadt.example/r",
        text: { type: "plain_text", text: "Im Intranet", emoji: true },
      },
    ]);
  });

  it("stays within fifty blocks and keeps its buttons", () => {
    const long: Card = {
      sections: Array.from({ length: 80 }, (_, i) => ({ text: `Abschnitt ${i}` })),
      buttons: [{ label: "OK", actionId: "x.ok", value: "1" }],
    };
    const blocks = cardBlocks(long);
    expect(blocks).toHaveLength(50);
    expect(blocks.at(-1)?.type).toBe("actions");
    expect(renderCard(long).text).toBe("Abschnitt 0");
  });

  it("makes a repeated action id unique in its block (Slack refuses duplicates), and routing takes it back", () => {
    const list: Card = {
      title: "Erinnerungen in #nachhaltigkeit",
      sections: [{ text: "Indikatoren melden" }, { text: "Produktblätter" }],
      buttons: [
        { label: "Pausieren: Indikatoren", actionId: "reminder.pause", value: "r1" },
        { label: "Jetzt senden: Indikatoren", actionId: "reminder.send-now", value: "r1" },
        { label: "Pausieren: Produktblätter", actionId: "reminder.pause", value: "r2" },
        { label: "Löschen: Produktblätter", actionId: "reminder.delete", value: "r2", style: "danger" },
        { label: "Pausieren: Bericht", actionId: "reminder.pause", value: "r3" },
      ],
    };
    const actions = cardBlocks(list).at(-1) as { elements: { action_id: string; value: string }[] };
    const ids = actions.elements.map((e) => e.action_id);
    expect(ids).toEqual([
      "reminder.pause",
      "reminder.send-now",
      "reminder.pause~2",
      "reminder.delete",
      "reminder.pause~4",
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map(routeAction)).toEqual([
      "reminder.pause",
      "reminder.send-now",
      "reminder.pause",
      "reminder.delete",
      "reminder.pause",
    ]);
    expect(actions.elements.map((e) => e.value)).toEqual(["r1", "r1", "r2", "r2", "r3"]);
  });
});

describe("a notice as Block Kit", () => {
  it("renders the text escaped, with the contacts under the notice's heading", () => {
    const { text, blocks } = renderNotice({
      text: "Entschuldigung, da ist etwas schiefgegangen. <!channel>",
      contacts: {
        heading: "Wer Ihnen weiterhilft",
        contacts: [
          {
            role: "Nachhaltigkeitskoordination",
            name: "Julia Sommer",
            unit: "Stabsstelle",
            email: "j.sommer@musterstadt.example",
            phone: "+49 30 1234",
            slackUserId: "U0JULIA01",
          },
        ],
      },
    });
    expect(text).toBe("Entschuldigung, da ist etwas schiefgegangen. &lt;!channel&gt;");
    expect(blocks).toHaveLength(2);
    expect((blocks[1] as { text: { text: string } }).text.text).toBe(
      "*Wer Ihnen weiterhilft*\n• *Nachhaltigkeitskoordination:* Julia Sommer (Stabsstelle) · " +
        "<mailto:j.sommer@musterstadt.example|j.sommer@musterstadt.example> · <tel:+49301234|+49 30 1234> · <@U0JULIA01>",
    );
  });

  it("is a section alone without contacts", () => {
    expect(renderNotice({ text: "Danke für Ihre Rückmeldung!" }).blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "Danke für Ihre Rückmeldung!" } },
    ]);
  });
});

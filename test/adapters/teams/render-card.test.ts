import { describe, expect, it } from "vitest";
import { escapeCardText, renderAnswerCard, teamsChatLink } from "../../../adapters/teams/render-card.ts";
import { plainAnswer } from "../../../src/assistant/answer.ts";
import { safeUrl } from "../../../src/text/safe-url.ts";

describe("Teams card rendering", () => {
  it("escapes markdown so text from users and documents cannot add links, emphasis, lists or date functions", () => {
    expect(escapeCardText("[Klick hier](https://boese.example) **fett** _kursiv_")).toBe(
      "\\[Klick hier\\](https://boese.example) \\*\\*fett\\*\\* \\_kursiv\\_",
    );
    // Block markers get a zero-width space in front: Teams mobile would show a backslash before them.
    expect(escapeCardText("- kein Listenpunkt\n# keine Überschrift\n1. keine Nummer\n---")).toBe(
      "\u200b- kein Listenpunkt\n\u200b# keine Überschrift\n\u200b1. keine Nummer\n\u200b---",
    );
    // A backslash of the text stays literal instead of escaping the next character.
    expect(escapeCardText("\\[x\\](https://boese.example)")).toBe("\\\\\\[x\\\\\\](https://boese.example)");
    expect(escapeCardText("{{DATE(2026-11-25T10:00:00Z)}}")).not.toContain("{{");
  });

  it("leaves what Teams' card markdown does not use as it is: parentheses, dates, phone numbers, paths", () => {
    for (const plain of [
      "Integriertes Klimaschutzkonzept (IKSK) der Stadt (Beschluss 2024)",
      "Frist: 30.06.2026 (siehe § 4 Abs. 2)",
      "+49 30 1234-567",
      "Ablage: S:\\Umwelt\\Berichte",
      "Kosten ~ 12.000 € | netto",
    ])
      expect(escapeCardText(plain)).toBe(plain);
  });

  it("lets only http(s), mailto and tel links through", () => {
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("data:text/html,<b>x</b>")).toBeUndefined();
    expect(safeUrl("https://www.kompass-nachhaltigkeit.de/")).toBe("https://www.kompass-nachhaltigkeit.de/");
    expect(teamsChatLink("julia.sommer@musterstadt.example")).toBe(
      "https://teams.microsoft.com/l/chat/0/0?users=julia.sommer%40musterstadt.example",
    );
  });

  it("renders document text literally and drops unsafe next-step links", () => {
    const answer = plainAnswer("answer", "Lead [mit](https://x.example) Link\n- Punkt *eins*", {
      citations: [
        {
          docId: "d",
          title: "Titel ](javascript:x)",
          section: "Abschnitt",
          page: 2,
          url: "https://q.example/a(b)",
          excerpt: "Auszug",
        },
      ],
      nextSteps: [
        { label: "Gut", url: "https://intranet.musterstadt.example/formular" },
        { label: "Böse", url: "javascript:alert(1)" },
      ],
      contacts: [
        { role: "Vergabestelle", name: "Thomas Berger", teamsUpn: "thomas.berger@musterstadt.example" },
      ],
    });
    const card = renderAnswerCard(answer, { question: "Frage?", tenantName: "Musterstadt" });
    const json = JSON.stringify(card);
    expect(card.body[0]).toMatchObject({
      text: "Lead \\[mit\\](https://x.example) Link\n- Punkt \\*eins\\*",
    });
    expect(json).toContain("Titel \\\\](javascript:x)");
    expect(json).toContain("https://q.example/a%28b%29");
    expect(json).toContain("S. 2");
    expect(json).not.toContain("javascript:alert");
    expect(json).toContain("users=thomas.berger%40musterstadt.example");
  });

  it("offers feedback only on answers, with the question and the cited documents", () => {
    const card = renderAnswerCard(
      plainAnswer("no_answer", "Dazu finde ich nichts.", {
        contacts: [{ role: "Nachhaltigkeitskoordination", name: "Julia Sommer" }],
      }),
      { question: "Wann ist Betriebsausflug?", tenantName: "Musterstadt" },
    );
    expect(card.actions?.[0]).toMatchObject({
      type: "Action.Execute",
      verb: "feedback",
      data: { rating: "up", question: "Wann ist Betriebsausflug?", docIds: [] },
    });
    expect(
      renderAnswerCard(plainAnswer("smalltalk", "Hallo"), { question: "", tenantName: "M" }).actions,
    ).toBeUndefined();
  });

  it("shows the document's Stand next to its source", () => {
    const answer = plainAnswer("answer", "Der Wärmeplan musste bis 30. Juni 2026 vorliegen.", {
      citations: [
        {
          docId: "w",
          title: "Kommunale Wärmeplanung",
          section: "Fristen",
          excerpt: "Auszug",
          asOf: "2026-03-15",
        },
        { docId: "b", title: "Ohne Stand", section: "A", excerpt: "y" },
      ],
    });
    const texts = renderAnswerCard(answer, { question: "Frist?", tenantName: "Musterstadt" }).body.map(
      (e) => (e as { text?: string }).text,
    );
    expect(texts).toContain("1. Kommunale Wärmeplanung – Fristen (Stand: März 2026)");
    expect(texts).toContain("2. Ohne Stand – A");
  });
});

import { describe, expect, it } from "vitest";
import { chunkDocument, sentences } from "../../src/knowledge/chunk.ts";
import { markdownSections } from "../../src/knowledge/markdown-sections.ts";
import type { DocMeta, LoadedDoc } from "../../src/knowledge/types.ts";

const meta: DocMeta = {
  id: "d",
  title: "Titel",
  type: "guidance",
  tenant: null,
  sources: [],
  contacts: [],
  nextSteps: [],
  reviewed: undefined,
  tags: [],
};

describe("chunking", () => {
  it("keeps abbreviations, paragraph numbers and dates inside one sentence", () => {
    expect(sentences("Nach § 97 Abs. 3 GWB ist das z. B. optional. Frist ist der 30. Juni 2026. Danach neu.")).toEqual([
      "Nach § 97 Abs. 3 GWB ist das z. B. optional.",
      "Frist ist der 30. Juni 2026.",
      "Danach neu.",
    ]);
    expect(sentences("Stellen Sie das Thermostat auf etwa 20 °C. Private Heizlüfter sind nicht erlaubt. Siehe S. 4 u. a. Z. B. hier.")).toEqual([
      "Stellen Sie das Thermostat auf etwa 20 °C.",
      "Private Heizlüfter sind nicht erlaubt.",
      "Siehe S. 4 u. a. Z. B. hier.",
    ]);
  });

  it("joins wrapped lines and keeps list items apart", () => {
    expect(sentences("Erste Zeile\nläuft weiter.\n- Punkt eins\n- Punkt zwei")).toEqual([
      "Erste Zeile läuft weiter.",
      "- Punkt eins",
      "- Punkt zwei",
    ]);
  });

  it("follows headings and prepends title and heading path", () => {
    const sections = markdownSections("# Titel\n\n## Vergabe\n\n### Zuschlag\nEnergie **zählt**. Siehe [VgV](https://x.de).\n\n## Fristen\nBis 2026.", "Titel");
    expect(sections).toEqual([
      { headings: ["Vergabe", "Zuschlag"], text: "Energie zählt. Siehe VgV." },
      { headings: ["Fristen"], text: "Bis 2026." },
    ]);
    const chunks = chunkDocument({ meta, path: "d.md", hash: "h", sections });
    expect(chunks[0]?.section).toBe("Vergabe > Zuschlag");
    expect(chunks[0]?.indexText.startsWith("Titel\nVergabe\nZuschlag\n")).toBe(true);
  });

  it("cuts long sections into pieces of at most maxWords with one sentence of overlap", () => {
    const text = Array.from({ length: 30 }, (_, i) => `Satz ${i} hat genau sechs Wörter hier.`).join(" ");
    const chunks = chunkDocument({ meta, path: "d.md", hash: "h", sections: [{ headings: ["A"], text }] }, { maxWords: 60 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(c.body.split(/\s+/).length).toBeLessThanOrEqual(60);
    const last = sentences(chunks[0]?.body ?? "").at(-1);
    expect(chunks[1]?.body.startsWith(last ?? "?")).toBe(true);
  });

  it("keeps paragraphs and list items apart in the body, so that a section's opening paragraph can lead", () => {
    const text = [
      "Für 2026 und 2027 gelten diese EU-Schwellenwerte (jeweils netto):",
      "",
      "- 216.000 Euro: Liefer- und Dienstleistungsaufträge von Kommunen,",
      "- 5.404.000 Euro: Bauaufträge und Konzessionen.",
      "",
      "Für kommunale Bauaufträge liegt die Grenze also bei 5.404.000 Euro. Im Zweifel klärt die Vergabestelle, welcher",
      "Wert gilt.",
    ].join("\n");
    const [chunk] = chunkDocument({ meta, path: "d.md", hash: "h", sections: [{ headings: ["Schwellenwerte"], text }] });
    expect(chunk?.body).toBe(
      [
        "Für 2026 und 2027 gelten diese EU-Schwellenwerte (jeweils netto):",
        "",
        "- 216.000 Euro: Liefer- und Dienstleistungsaufträge von Kommunen,",
        "- 5.404.000 Euro: Bauaufträge und Konzessionen.",
        "",
        "Für kommunale Bauaufträge liegt die Grenze also bei 5.404.000 Euro. Im Zweifel klärt die Vergabestelle, welcher Wert gilt.",
      ].join("\n"),
    );
    expect(sentences(chunk?.body ?? "")).toHaveLength(5);
  });

  it("keeps footnote markers in the body for citations but out of the indexed text", () => {
    const text = "Es gilt ab einem Auftragswert von 25.000 Euro netto[^2]. Umweltkriterien wurden 2018 gestrichen[^1].";
    const [chunk] = chunkDocument({ meta, path: "d.md", hash: "h", sections: [{ headings: ["TVgG NRW"], text }] });
    expect(chunk?.body).toBe(text);
    expect(chunk?.indexText).toBe(
      "Titel\nTVgG NRW\nEs gilt ab einem Auftragswert von 25.000 Euro netto. Umweltkriterien wurden 2018 gestrichen.",
    );
  });

  it("leaves onboarding check questions out of the index and the page out of the section name", () => {
    const chunks = chunkDocument({
      meta: { ...meta, type: "onboarding" },
      path: "d.md",
      hash: "h",
      sections: [
        { headings: ["Energie im Büro"], text: "Höchstens 20 °C im Büro." },
        { headings: ["Kontrollfrage"], text: "Wie warm darf es sein? A) 24 °C B) 20 °C" },
        { headings: ["Dienstanweisung"], text: "Ab 25.000 Euro die Vergabestelle.", page: 2 },
      ],
    });
    expect(chunks.map((c) => c.section)).toEqual(["Energie im Büro", "Dienstanweisung"]);
    expect(chunks[1]?.page).toBe(2);
    expect(chunks[1]?.indexText).toContain("Seite 2");
  });
});

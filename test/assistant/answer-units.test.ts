import { describe, expect, it } from "vitest";
import { answerUnits, type Unit } from "../../src/assistant/answer-units.ts";
import { withAntecedent } from "../../src/assistant/antecedent.ts";

const texts = (body: string) => answerUnits(body).map((u) => u.text);

describe("answerUnits", () => {
  it("gives a terse label what it stands for where the whole list fits so", () => {
    // "Geräte" alone says nothing; "Geräte: Bildschirme, … ganz ausschalten" says the rule.
    const body = [
      "Neben der Heizung regelt die Dienstanweisung Energie das Verhalten im Büro:",
      "",
      "- Geräte: Bildschirme, Computer und andere Geräte nach Dienstschluss ganz ausschalten, nicht im Standby lassen.",
      "- Private Geräte: Eigene Kühlschränke, Kaffeemaschinen oder Heizgeräte nur mit Zustimmung des Gebäudemanagements.",
      "- Nachhaltige Verwaltung und Beschaffung: Recyclingpapier, Nachhaltigkeitscheck, Ressourcenschonung im Büroalltag.",
    ].join("\n");
    expect(texts(body)).toEqual([
      "Neben der Heizung regelt die Dienstanweisung Energie das Verhalten im Büro: Geräte: Bildschirme, Computer und andere Geräte nach Dienstschluss ganz ausschalten, nicht im Standby lassen; Private Geräte: Eigene Kühlschränke, Kaffeemaschinen oder Heizgeräte nur mit Zustimmung des Gebäudemanagements; Nachhaltige Verwaltung und Beschaffung.",
    ]);
  });

  it("lets a list-introducing sentence carry only the labels of long items where their text would not fit", () => {
    const step = (label: string) =>
      `- ${label}: Was die Kommune in diesem Schritt tut und mit wem sie es abstimmt und welche Unterlagen sie dafür braucht beschreibt der Leitfaden der KGSt ausführlich`;
    const body = [
      "Der Zyklus hat sechs Schritte:",
      "",
      ...["Analyse", "Ziele", "Maßnahmen", "Umsetzung", "Bericht", "Bewertung"].map(step),
    ].join("\n");
    expect(texts(body)).toEqual([
      "Der Zyklus hat sechs Schritte: Analyse; Ziele; Maßnahmen; Umsetzung; Bericht; Bewertung.",
    ]);
  });

  it("keeps the whole item where it holds the figure or date that answers", () => {
    const body = [
      "Nach § 4 WPG gilt:",
      "",
      "- **Städte mit mehr als 100.000 Einwohnerinnen und Einwohnern:** Der Wärmeplan muss bis 30. Juni 2026 vorliegen.",
      "- **Alle anderen Gemeinden:** Der Wärmeplan muss bis 30. Juni 2028 vorliegen.",
    ]
      .join("\n")
      .replace(/\*\*/g, "");
    const [unit] = texts(body);
    expect(unit).toContain("30. Juni 2026");
    expect(unit).toContain("30. Juni 2028");
  });

  it("keeps what a figure in the label stands for (a threshold list is not four bare amounts)", () => {
    const body = [
      "Für 2026 und 2027 gelten diese EU-Schwellenwerte (jeweils netto, ohne Umsatzsteuer):",
      "",
      "- 216.000 Euro: Liefer- und Dienstleistungsaufträge subzentraler Auftraggeber, zum Beispiel Kommunen,",
      "- 140.000 Euro: Liefer- und Dienstleistungsaufträge oberster und oberer Bundesbehörden,",
      "- 432.000 Euro: Liefer- und Dienstleistungsaufträge von Sektorenauftraggebern, etwa in der Energie- und Wasserversorgung oder im Verkehr,",
      "- 5.404.000 Euro: Bauaufträge und Konzessionen.",
    ].join("\n");
    expect(texts(body)).toEqual([
      "Für 2026 und 2027 gelten diese EU-Schwellenwerte (jeweils netto, ohne Umsatzsteuer): 216.000 Euro: Liefer- und Dienstleistungsaufträge subzentraler Auftraggeber, zum Beispiel Kommunen; 140.000 Euro: Liefer- und Dienstleistungsaufträge oberster und oberer Bundesbehörden; 432.000 Euro: Liefer- und Dienstleistungsaufträge von Sektorenauftraggebern; 5.404.000 Euro: Bauaufträge und Konzessionen.",
    ]);
  });

  it("cuts a long list visibly, by count, never with an ellipsis", () => {
    const items = [
      "Klimaschutzmanagement: klimaneutrale Verwaltung 2035, Treibhausgasbilanz, Wärmeplanung, Förderung",
      "Zentrale Vergabestelle: nachhaltige Beschaffung, Nachhaltigkeitscheck ab 10.000 Euro netto, Vergabeverfahren ab 25.000 Euro netto",
      "Kämmerei: Nachhaltigkeitshaushalt, Produktblätter und Kennzahlen",
      "Fuhrparkmanagement: emissionsfreie Dienstwagen (Pkw) und E-Poolfahrzeuge",
      "Gebäudemanagement: Energie in städtischen Gebäuden, Heizung, Ökostrom, Energieausweis",
      "Personalentwicklung: Onboarding und Schulungen zu Nachhaltigkeit für neue Beschäftigte",
      "IT-Service: Beschaffung von IT-Hardware über Rahmenverträge mit Blauem Engel",
      "Stadtplanung: Wärmeplanung, Bauleitplanung und Klimaanpassung in der Stadtentwicklung",
    ];
    const body = [
      "In Musterstadt gibt es weitere zuständige Stellen:",
      "",
      ...items.map((i) => `- ${i}`),
    ].join("\n");
    const [unit] = texts(body);
    expect(unit).toMatch(/; und \d weitere, siehe Quelle\.$/);
    expect(unit).not.toContain("…");
    // Every item that is quoted keeps its label.
    expect(unit).toContain("Zentrale Vergabestelle: nachhaltige Beschaffung");
    const quoted = Number(/und (\d) weitere/.exec(unit ?? "")?.[1]);
    expect(items.filter((i) => unit?.includes(i.split(":")[0] as string))).toHaveLength(
      items.length - quoted,
    );
  });

  it("keeps the steps of a scale written as prose together, so that no threshold is dropped silently", () => {
    // A PDF page has no Markdown list: the Dienstanweisung states its Wertgrenzen as four sentences in a row.
    const units = answerUnits(
      "§ 3 Wertgrenzen im Überblick. Welche Schritte eine Beschaffung in Musterstadt braucht, richtet sich nach dem geschätzten Auftragswert ohne Umsatzsteuer (netto). Unter 1.000 Euro netto kaufen Sie als Direktkauf selbst ein und prüfen den Einkauf vorher mit der Checkliste Nachhaltige Beschaffung (§ 6). Ab 1.000 Euro netto holen Sie zusätzlich mindestens drei Vergleichsangebote ein. Ab 10.000 Euro netto füllen Sie für jede Bestellung das Formular Nachhaltigkeitscheck aus (§ 4). Ab 25.000 Euro netto muss die Zentrale Vergabestelle beteiligt werden; sie führt das Vergabeverfahren durch (§ 5). Einen Auftrag aufzuteilen, um unter einer dieser Wertgrenzen zu bleiben, ist nicht zulässig.",
    );
    const scale = units.find((u) => u.text.startsWith("Unter 1.000 Euro"));
    expect(scale?.list).toBe(true);
    for (const step of [
      "Ab 1.000 Euro",
      "Ab 10.000 Euro",
      "Ab 25.000 Euro netto muss die Zentrale Vergabestelle",
    ])
      expect(scale?.text).toContain(step);
    expect(units.map((u) => u.text.slice(0, 20))).toEqual([
      "§ 3 Wertgrenzen im Ü",
      "Welche Schritte eine",
      "Unter 1.000 Euro net",
      "Einen Auftrag aufzut",
    ]);
  });

  it("cuts a long scale visibly", () => {
    const steps = [1, 2, 3, 4, 5, 6, 7, 8].map(
      (n) =>
        `Ab ${n}0.000 Euro netto gilt für Bestellungen der Fachbereiche die Verfahrensstufe ${n} der Dienstanweisung mit eigener Dokumentation.`,
    );
    const [unit] = texts(steps.join(" "));
    expect(unit).toMatch(/ … und \d weitere, siehe Quelle\.$/);
    expect(unit?.startsWith(steps[0] as string)).toBe(true);
  });

  it("quotes the items of a list after a paragraph without a colon only with that paragraph", () => {
    // Quoted alone, "Einführung und Vorgehen: …" is an item that has lost what it is an item of.
    const units = answerUnits(
      [
        "Kommunales Nachhaltigkeitsmanagement besteht in dieser Wissensbasis aus sieben Bausteinen. Sie bauen aufeinander auf.",
        "",
        "- Einführung und Vorgehen: Kreislauf mit Wesentlichkeitsanalyse, KGSt-Bericht 2/2024, Prozesskette der LAG 21 NRW.",
        "- Steuerung: Stabsstelle, Kernteam, Steuerungsgruppe, Ratsbeschluss und Musterresolution zur Agenda 2030 der Kommune.",
      ].join("\n"),
    );
    expect(units).toHaveLength(3);
    const list = units[2];
    expect(list?.leans).toBe(true);
    expect(list?.text).toBe(
      "Einführung und Vorgehen: Kreislauf mit Wesentlichkeitsanalyse, KGSt-Bericht 2/2024, Prozesskette der LAG 21 NRW; Steuerung: Stabsstelle, Kernteam, Steuerungsgruppe, Ratsbeschluss und Musterresolution zur Agenda 2030 der Kommune.",
    );
    expect(withAntecedent(units, list as Unit)?.map((u) => u.i)).toEqual([1, 2]);
  });

  it("tells headings and page furniture of a PDF page from statements", () => {
    const units = answerUnits(
      "DA 10/2025 · Seite 2 von 3 · Beispieldokument. § 3 Wertgrenzen im Überblick. Unter 1.000 Euro netto kaufen Sie als Direktkauf selbst ein. § 45 KrWG verpflichtet die Stellen des Bundes. § 5 Beteiligung der Zentralen Vergabestelle ab 25.000 Euro netto.",
    );
    expect(units.map((u) => [u.text.slice(0, 24), u.heading])).toEqual([
      ["DA 10/2025 · Seite 2 von", true],
      ["§ 3 Wertgrenzen im Überb", true],
      ["Unter 1.000 Euro netto k", false],
      ["§ 45 KrWG verpflichtet d", false],
      ["§ 5 Beteiligung der Zent", true],
    ]);
  });

  it("carries the sources of footnote markers without showing the markers", () => {
    const units = answerUnits(
      "Das TVgG NRW regelt nur noch Tariftreue und Mindestlohn[^2]. Es gilt ab 25.000 Euro netto[^1][^3].\n\nIm Zweifel fragen Sie die Vergabestelle.",
    );
    expect(units.map((u) => [u.text, u.sources, u.block])).toEqual([
      ["Das TVgG NRW regelt nur noch Tariftreue und Mindestlohn.", [1], 0],
      ["Es gilt ab 25.000 Euro netto.", [0, 2], 0],
      ["Im Zweifel fragen Sie die Vergabestelle.", [], 1],
    ]);
  });
});

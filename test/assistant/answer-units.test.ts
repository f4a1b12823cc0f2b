import { describe, expect, it } from "vitest";
import { answerUnits } from "../../src/assistant/answer-units.ts";

describe("answerUnits", () => {
  it("lets a list-introducing sentence carry the labels of long items without figures", () => {
    const body = [
      "Der Zyklus hat fünf Schritte:",
      "",
      "- Analyse (Bestandsaufnahme): Wo steht die Kommune heute, welche Themen sind wesentlich und welche Daten fehlen noch für eine Bewertung?",
      "- Ziele: Was will die Kommune erreichen, in welchen Handlungsfeldern und mit welchen Indikatoren misst sie den Erfolg?",
    ].join("\n");
    expect(answerUnits(body)).toEqual(["Der Zyklus hat fünf Schritte: Analyse (Bestandsaufnahme); Ziele."]);
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
    const [unit] = answerUnits(body);
    expect(unit).toContain("30. Juni 2026");
    expect(unit).toContain("30. Juni 2028");
  });
});

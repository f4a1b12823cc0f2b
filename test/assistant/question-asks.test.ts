import { describe, expect, it } from "vitest";
import { asks, carriesAsked } from "../../src/assistant/question-asks.ts";

describe("asks", () => {
  it("recognises questions for a figure, a date or a yes/no", () => {
    expect([...asks("Ab welchem Wert muss eine Schulsanierung EU-weit ausgeschrieben werden?")]).toEqual([
      "figure",
    ]);
    expect([...asks("Bis wann muss unsere Stadt die kommunale Wärmeplanung fertig haben?")]).toEqual([
      "date",
    ]);
    expect([...asks("Wie viel Energie müssen öffentliche Stellen jährlich einsparen?")]).toEqual(["figure"]);
    expect([...asks("Darf ich einen Heizlüfter mit ins Büro bringen?")]).toEqual(["polarity"]);
    expect([...asks("Muss im Rathaus der Energieausweis aushängen?")]).toEqual(["polarity"]);
    expect([...asks("Was ist der Berichtsrahmen Nachhaltige Kommune?")]).toEqual([]);
  });

  it("checks a sentence for the fact asked", () => {
    expect(carriesAsked("Private Heizlüfter sind in städtischen Gebäuden nicht erlaubt.", "polarity")).toBe(
      true,
    );
    expect(carriesAsked("Ist es zu kalt, melden Sie die Störung dem Gebäudemanagement.", "polarity")).toBe(
      false,
    );
    expect(carriesAsked("Der Wärmeplan muss bis 30. Juni 2026 vorliegen.", "date")).toBe(true);
    expect(carriesAsked("Federführend sind das Klimaschutzmanagement und die Stadtplanung.", "date")).toBe(
      false,
    );
    expect(carriesAsked("Die Grenze liegt bei 5.404.000 Euro.", "figure")).toBe(true);
    expect(carriesAsked("Für Laptops gilt eine Mindestnutzungsdauer von sechs Jahren.", "figure")).toBe(true);
    // A date, a year or a paragraph number is not the figure a "Wie viel …" asks for.
    expect(
      carriesAsked(
        "Das TVgG NRW regelt in der Fassung vom 12. September 2023 nur noch Tariftreue (§ 2 Abs. 1).",
        "figure",
      ),
    ).toBe(false);
  });
});

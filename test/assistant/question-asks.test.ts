import { describe, expect, it } from "vitest";
import { asks, carriesAsked, questionParts } from "../../src/assistant/question-asks.ts";

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

describe("questionParts", () => {
  const parts = (q: string) => questionParts(q).map((p) => [p.text, [...p.asks]]);

  it("splits a question that asks two things, each with the fact it asks for", () => {
    expect(
      parts("Bis wann melden wir die Indikatoren, und bis wann kommen die Ziele in die Produktblätter?"),
    ).toEqual([
      ["Bis wann melden wir die Indikatoren", ["date"]],
      ["bis wann kommen die Ziele in die Produktblätter?", ["date"]],
    ]);
    expect(
      parts(
        "Wie viel müssen wir laut EnEfG jährlich einsparen und wie viel bringt das Verhalten der Beschäftigten?",
      ),
    ).toEqual([
      ["Wie viel müssen wir laut EnEfG jährlich einsparen", ["figure"]],
      ["wie viel bringt das Verhalten der Beschäftigten?", ["figure"]],
    ]);
    expect(parts("Was ist die AVV Klima und müssen wir uns als Kommune daran halten?")).toEqual([
      ["Was ist die AVV Klima", []],
      ["müssen wir uns als Kommune daran halten?", ["polarity"]],
    ]);
    expect(parts("Brauchen wir ein Energiemanagementsystem? Bis wann?")).toEqual([
      ["Brauchen wir ein Energiemanagementsystem", ["polarity"]],
      ["Bis wann?", ["date"]],
    ]);
  });

  it("keeps a question whole whose 'und' joins words, not questions", () => {
    expect(parts("Welche Regeln gelten für Kaffee und Tee bei Sitzungen?")).toEqual([
      ["Welche Regeln gelten für Kaffee und Tee bei Sitzungen?", []],
    ]);
  });

  it("lets an elliptic part ask what the part before it asks", () => {
    expect(parts("Welche Quote gilt ab 2026 für Busse und welche für Lkw?")).toEqual([
      ["Welche Quote gilt ab 2026 für Busse", ["figure"]],
      ["welche für Lkw?", ["figure"]],
    ]);
  });

  it("reads 'wie früh' as asking for a figure (eight weeks before)", () => {
    expect([...asks("Wie früh muss die Bedarfsmeldung bei der Vergabestelle sein?")]).toEqual(["figure"]);
  });
});

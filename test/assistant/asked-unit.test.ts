import { describe, expect, it } from "vitest";
import { lacksAskedUnit } from "../../src/assistant/asked-unit.ts";

describe("lacksAskedUnit", () => {
  it("flags an answer that gives no amount in the unit the question asks for", () => {
    expect(
      lacksAskedUnit(
        "Wie viele Tonnen CO2 hat unsere Verwaltung letztes Jahr ausgestoßen?",
        "Die Stadtverwaltung Musterstadt will bis 2035 klimaneutral sein.",
      ),
    ).toBe(true);
    expect(
      lacksAskedUnit(
        "Wie viel zahlen wir pro Kilowattstunde für unseren Ökostrom?",
        "Ökostrom ersetzt das Energiesparen nicht, denn jede eingesparte Kilowattstunde senkt Kosten.",
      ),
    ).toBe(true);
  });

  it("accepts an answer with an amount in that unit, and questions that name no unit", () => {
    expect(
      lacksAskedUnit(
        "Ab wie viel Euro müssen wir EU-weit ausschreiben?",
        "Ab 216.000 Euro netto für Lieferungen.",
      ),
    ).toBe(false);
    expect(lacksAskedUnit("Wie viel Prozent Bio gilt in Berlin?", "mindestens 50 % Bio")).toBe(false);
    expect(lacksAskedUnit("Wie viel Energie verbraucht die Verwaltung?", "rund 46 GWh")).toBe(false);
    expect(lacksAskedUnit("Wie hoch ist die Quote für Pkw?", "38,5 %")).toBe(false);
    // Not a question for a figure: a unit word alone asks for nothing.
    expect(
      lacksAskedUnit(
        "Welche Regeln gelten für Dienstreisen über 1.000 km?",
        "Flüge brauchen eine Genehmigung.",
      ),
    ).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { expandCompounds, Lexicon, vocabularyOf } from "../../src/text/compounds.ts";
import { foldUmlauts, words } from "../../src/text/normalize.ts";

describe("German text helpers", () => {
  it("folds umlauts and ß so both spellings meet", () => {
    expect(foldUmlauts("Wärme Maß Übergröße")).toBe("Waerme Mass Uebergroesse");
    expect(words("Wärmeplanung, Waermeplanung!")).toEqual(["waermeplanung", "waermeplanung"]);
  });

  it("splits compounds into known corpus words, with linking s", () => {
    const lex = new Lexicon(vocabularyOf("Kriterien der Beschaffung und die Planung der Wärme"));
    expect(lex.split("beschaffungskriterien")).toEqual(["beschaffung", "kriterien"]);
    expect(lex.split("waermeplanung")).toEqual(["waerme", "planung"]);
    expect(lex.split("kriterien")).toEqual([]);
    expect(lex.split("jahresurlaub")).toEqual([]);
  });

  it("adds compound parts to the indexed text", () => {
    const lex = new Lexicon(["beschaffung", "kriterien"]);
    expect(expandCompounds("Beschaffungskriterien für Laptops", lex)).toBe(
      "beschaffungskriterien fuer laptops beschaffung kriterien",
    );
  });
});

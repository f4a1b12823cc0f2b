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
      "beschaffungskriterien für laptops beschaffung kriterien",
    );
  });
});

describe("Lexicon.join", () => {
  it("forms the corpus compound from the words of a phrase, in either order", () => {
    const lex = new Lexicon(["beschaffungskriterien", "waermeplanung"]);
    expect(lex.join(["kriterien", "der", "beschaffung"])).toEqual(["beschaffungskriterien"]);
    expect(lex.join(["planung", "der", "waerme"])).toEqual(["waermeplanung"]);
    expect(lex.join(["kriterien", "planung"])).toEqual([]);
  });
});

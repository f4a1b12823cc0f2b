import { describe, expect, it } from "vitest";
import { expandCompounds, Lexicon, vocabularyOf } from "../../src/text/compounds.ts";
import { contentWords, foldUmlauts, words } from "../../src/text/normalize.ts";

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

  it("splits a question's compound whose last part the corpus inflects otherwise, only when asked to", () => {
    const lex = new Lexicon(["buero", "kuehlschraenke"]);
    expect(lex.split("buerokuehlschraenken", 0, { inflected: true })).toEqual(["buero", "kuehlschraenke"]);
    expect(lex.split("buerokuehlschraenken")).toEqual([]);
    expect(lex.form("kuehlschraenken")).toBe("kuehlschraenke");
    expect(lex.form("kuehltruhen")).toBeUndefined();
  });

  it("drops chat fillers from a question's content words, not the topic", () => {
    expect(contentWords("darf ich n kleinen heizofen unterm schreibtisch haben?")).toEqual([
      "kleinen",
      "heizofen",
      "schreibtisch",
    ]);
    expect(contentWords("moin, bis wann wollen die meine zahlen fürn bericht haben?")).toEqual([
      "zahlen",
      "bericht",
    ]);
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

describe("Lexicon.correct (typing slips)", () => {
  const lex = new Lexicon([
    "nachhaltigkeitshaushalt",
    "beschaffung",
    "beschaffungen",
    "waermeplanung",
    "waermeplan",
    "waermeplans",
    "kompass",
    "dienstreise",
    "dienstreife",
  ]);

  it("finds the corpus word one swap, deletion, insertion or substitution away", () => {
    expect(lex.correct("nachhaltigkeitshaushlat")).toBe("nachhaltigkeitshaushalt");
    expect(lex.correct("waermeplnung")).toBe("waermeplanung");
    expect(lex.correct("waermeplannung")).toBe("waermeplanung");
    expect(lex.correct("waermeplabung")).toBe("waermeplanung");
  });

  it("leaves known, short, distant and ambiguous words alone", () => {
    expect(lex.correct("waermeplanung")).toBeUndefined();
    expect(lex.correct("plnung")).toBeUndefined();
    expect(lex.correct("kompa")).toBeUndefined();
    expect(lex.correct("homeoffice")).toBeUndefined();
    expect(lex.correct("waermplnung")).toBeUndefined();
    // one slip from two different words: no guess
    expect(lex.correct("dienstreihe")).toBeUndefined();
  });

  it("takes the shortest form when the neighbours are forms of one word", () => {
    // one slip from both "beschaffung" and "beschaffungen", from "waermeplan" and "waermeplans"
    expect(lex.correct("beschaffunge")).toBe("beschaffung");
    expect(lex.correct("waermeplann")).toBe("waermeplan");
  });

  it("corrects six-letter words too (Kompas → Kompass)", () => {
    expect(lex.correct("kompas")).toBe("kompass");
  });

  it("adds the corrected word to a question's search text", () => {
    expect(expandCompounds("nachhaltigkeitshaushlat pilotkommunen", lex, { question: true })).toContain(
      "nachhaltigkeitshaushalt",
    );
  });
});

describe("English questions", () => {
  const lex = new Lexicon(["frist", "waermeplanung"]);

  it("drops English function words and adds German equivalents of domain words", () => {
    const text = expandCompounds("Which deadline applies for the heat planning?", lex, { question: true });
    expect(text.split(" ")).not.toContain("which");
    expect(text.split(" ")).not.toContain("the");
    expect(text).toContain("Frist");
    expect(text).toContain("Wärme");
  });
});

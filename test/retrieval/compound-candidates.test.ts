import { describe, expect, it } from "vitest";
import { compoundCandidates } from "../../src/retrieval/compound-candidates.ts";
import type { QueryVocabulary } from "../../src/retrieval/query-vocabulary.ts";
import { Lexicon } from "../../src/text/compounds.ts";

/** The parts of QueryVocabulary that compound candidates read, over a small corpus vocabulary. */
function vocabulary(words: string[]): QueryVocabulary {
  return {
    words,
    lexicon: new Lexicon(words),
    sensesOf: () => [],
    isWord: (w: string) => words.includes(w),
  } as unknown as QueryVocabulary;
}

const terms = (word: string, words: string[]) =>
  compoundCandidates(word, vocabulary(words)).map((c) => c.term);

describe("compound candidates for a word the corpus lacks", () => {
  it("takes the head and its inflected forms (Linienbus → Busse)", () => {
    expect(terms("linienbus", ["busse", "quote"])).toEqual(["busse"]);
  });

  it("adds the first part beside the head (Natursteinpflaster → Pflaster, Natursteine)", () => {
    expect(terms("natursteinpflaster", ["pflaster", "natursteine"])).toEqual(["pflaster", "natursteine"]);
  });

  it("splits where only the last part is inflected otherwise (Bürokühlschränken → Büro, Kühlschränke)", () => {
    expect(terms("buerokuehlschraenken", ["buero", "kuehlschraenke"])).toEqual(["kuehlschraenke", "buero"]);
  });

  it("never reads a short tail as a head by a non-inflectional ending (Kompas ≠ passen, Bürokühlschränken ≠ kennen)", () => {
    expect(terms("kompas", ["passen", "kennen"])).toEqual([]);
    expect(terms("buerokuehlschraenken", ["kennen"])).toEqual([]);
    expect(terms("unterm", ["termin"])).toEqual([]);
    expect(terms("ratsmitglieder", ["deren"])).toEqual([]);
  });
});

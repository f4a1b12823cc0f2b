import { describe, expect, it } from "vitest";
import { loadDictionaries } from "../../src/ingest/query-vocabulary-store.ts";
import {
  dictionaryEntries,
  dictionaryReduction,
  reduceVocabulary,
  runAll,
  runSliced,
} from "../../src/retrieval/vocabulary-reduction.ts";
import { loadThesaurus } from "../../src/text/thesaurus.ts";

describe("the one-pass reduction of the data files", () => {
  it("gives what the reference reading gives, on the committed files", async () => {
    // Words of the kinds the corpus has: inflected nouns, umlauts folded, compounds, verbs, an English loan word.
    const words = [
      "bildschirme",
      "monitoren",
      "beschaffung",
      "kauf",
      "waermeplanung",
      "fahrzeuge",
      "dienstwagen",
      "pruefen",
      "strassen",
      "massnahmen",
      "schwellenwert",
      "lieferleistungen",
      "meeting",
      "ueberwachung",
      "2026",
    ];
    const reference = reduceVocabulary(words, loadThesaurus(), dictionaryEntries());
    const texts = await loadDictionaries();
    const reduced = runAll(dictionaryReduction(words, texts));
    expect(reduced).toEqual(reference);
    // In slices between other work (as ingest runs it) too.
    expect(await runSliced(dictionaryReduction(words, texts))).toEqual(reference);
    expect(reduced.senses.length).toBeGreaterThan(10);
    expect(Object.keys(reduced.english).length).toBeGreaterThan(10);
  });
});

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confidence, keyCovered } from "../../src/assistant/confidence.ts";
import { Retriever } from "../../src/retrieval/retriever.ts";
import { formatTrace } from "../../src/retrieval/trace.ts";
import type { Runtime } from "../../src/runtime.ts";
import { fixtureRuntime } from "../helpers.ts";

/** Seven one-section documents and Musterstadt's synonyms.yaml: each test names the pattern it exercises. */
const KNOWLEDGE = path.join(import.meta.dirname, "fixtures/knowledge");

/** A few OpenThesaurus-like synsets, with a homonym (Monitor) whose second sense leads into the corpus too. */
const SYNSETS = [
  ["Bildschirm", "Monitor", "Display"],
  ["Überwachung", "Monitor", "Kontrolle", "Entwicklung"],
  ["Kauf", "Erwerb", "Beschaffung"],
];
const thesaurus = () => ({
  senses: (word: string) => SYNSETS.filter((s) => s.some((t) => t.toLowerCase() === word.toLowerCase())),
});
const english = () =>
  [
    ["threshold", ["Schwelle", "Schwellenwert"]],
    ["supplies", ["Lieferleistungen", "Vorräte"]],
  ] as const;

let rt: Runtime;
let retriever: Retriever;
beforeAll(async () => {
  rt = await fixtureRuntime({ LOTSE_KNOWLEDGE_DIR: KNOWLEDGE });
  retriever = new Retriever(rt.db, rt.embedder, { thesaurus, english });
  await retriever.refresh();
});
afterAll(() => rt.close());

const alternatives = (r: Awaited<ReturnType<Retriever["search"]>>, word: string) =>
  r.concepts.find((c) => c.word === word)?.alternatives ?? [];

describe("query expansion by concept", () => {
  it("takes the homonym's sense the rest of the question supports, and the literal match no longer carries it", async () => {
    const r = await retriever.search("Kauf von neuen Monitoren", "musterstadt");
    expect(r.passages[0]?.docId).toBe("it-hardware");
    const monitor = r.concepts.find((c) => c.word === "monitoren");
    expect(monitor?.alternatives.map((a) => [a.term, a.source])).toContainEqual(["bildschirme", "thesaurus"]);
    expect(monitor?.rejected.map((x) => x.terms)).toContainEqual(["entwicklung"]);
    expect(monitor?.alternatives.find((a) => a.source === "own")?.weight).toBeLessThan(0.5);
    // Kauf is not in the corpus: its thesaurus sense leads to Beschaffung
    expect(alternatives(r, "kauf").map((a) => a.term)).toContain("beschaffung");
  });

  it("expands only into terms the corpus contains ('Display' is in the synset, not in any document)", async () => {
    const r = await retriever.search("Kauf von neuen Monitoren", "musterstadt");
    expect(r.queryLexemes).not.toContain("display");
  });

  it("uses the tenant's synonyms.yaml, weighted below the user's own word, and only for that tenant", async () => {
    const r = await retriever.search("Plastikgeschirr beim Sommerfest?", "musterstadt");
    expect(r.passages[0]?.docId).toBe("catering");
    const syn = alternatives(r, "plastikgeschirr").find((a) => a.source === "synonym");
    expect(syn).toMatchObject({ term: "einweggeschirr", weight: 0.7, origin: "musterstadt/synonyms.yaml:1" });
    const other = await retriever.search("Plastikgeschirr beim Sommerfest?", "otherstadt");
    expect(alternatives(other, "plastikgeschirr").some((a) => a.source === "synonym")).toBe(false);
  });

  it("matches a compound the corpus lacks through its head (Linienbusse → Busse)", async () => {
    const r = await retriever.search("Gilt eine Quote für Linienbusse?", "musterstadt");
    expect(r.passages[0]?.docId).toBe("fahrzeuge");
    expect(alternatives(r, "linienbusse")).toContainEqual(
      expect.objectContaining({ term: "busse", source: "compound" }),
    );
  });

  it("does not let a framing noun be the key concept ('Nummer')", async () => {
    const r = await retriever.search("Welche Nummer hat die Quote für Linienbusse?", "musterstadt");
    expect(r.concepts.find((c) => c.key)?.word).not.toBe("nummer");
    expect(r.concepts.find((c) => c.word === "nummer")?.noun).toBe(false);
  });

  it("corrects one typing slip in a long word against the corpus", async () => {
    const r = await retriever.search("Nachaltigkeitsbericht", "musterstadt");
    expect(r.passages[0]?.docId).toBe("bericht");
    expect(alternatives(r, "nachaltigkeitsbericht")).toContainEqual(
      expect.objectContaining({ term: "nachhaltigkeitsbericht", source: "typo", weight: 0.9 }),
    );
  });

  it("translates English words through the dictionary into corpus terms", async () => {
    const r = await retriever.search("What is the threshold for supplies?", "musterstadt");
    expect(r.passages[0]?.docId).toBe("schwellenwerte");
    expect(alternatives(r, "supplies").map((a) => [a.term, a.source])).toContainEqual([
      "lieferleistungen",
      "english",
    ]);
    expect(alternatives(r, "supplies").map((a) => a.term)).not.toContain("vorraete");
  });

  it("reads no noun into an English capital and weighs a German stem of an English word low", async () => {
    const r = await retriever.search("What is the threshold for supplies in Lisbon?", "musterstadt");
    expect(r.concepts.some((c) => c.noun || c.key)).toBe(false);
    // "threshold" is no word of the corpus: its own lexeme counts less than its German translation
    const own = alternatives(r, "threshold").find((a) => a.source === "own");
    expect(own?.weight).toBeLessThan(0.8);
  });
});

describe("coverage and confidence by concept", () => {
  it("abstains when the key concept (a noun the corpus lacks, the only one) is not covered", async () => {
    const r = await retriever.search("Wie beantrage ich Urlaub?", "musterstadt");
    expect(r.concepts.find((c) => c.key)?.word).toBe("urlaub");
    expect(keyCovered(r)).toBe(false);
    expect(confidence(r)).toBeLessThan(0.4);
  });

  it("answers confidently when the key concept is covered through an expansion", async () => {
    const r = await retriever.search("Plastikgeschirr bei Veranstaltungen?", "musterstadt");
    expect(keyCovered(r)).toBe(true);
    expect(confidence(r)).toBeGreaterThanOrEqual(0.4);
  });
});

describe("retrieval trace", () => {
  it("lists concepts with their alternatives, sources and weights, ranks and coverage per concept", async () => {
    const trace = await retriever.explain("Kauf von neuen Monitoren", "musterstadt");
    expect(trace.key).toBe("kauf"); // not in the corpus: the rarest noun, covered through Beschaffung
    expect(trace.candidates[0]).toMatchObject({ docId: "it-hardware" });
    expect(trace.candidates[0]?.perConcept.find((x) => x.word === "monitoren")).toEqual({
      word: "monitoren",
      term: "bildschirme",
      credit: 0.6,
    });
    const text = formatTrace(trace);
    expect(text).toContain("bildschirme");
    expect(text).toContain("Thesaurus 0.60");
    expect(text).toContain("verworfen: entwicklung");
    expect(text).toMatch(/1\. it-hardware › .* (\d+|–) \/ (\d+|–) {2}Abdeckung/);
  });
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type EvalCase, loadEvalCases } from "../../src/eval/eval-cases.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import type { LoadedDoc } from "../../src/knowledge/types.ts";
import { ROOT } from "../helpers.ts";
import { docText, fold, keyConflicts, openStemmer, type Stemmer, vocabulary } from "./key-word.ts";

const FILE = path.join(ROOT, "test/eval/paraphrases.yaml");
const CATEGORIES = [
  "synonym",
  "colloquial",
  "typo",
  "compound",
  "homonym",
  "multi-part",
  "english",
  "lists-figures",
  "abstain",
];
/** Categories whose cases must name the staff word and the document that does not use it. */
const KEYED = ["synonym", "colloquial", "compound"];
const TENANT = "musterstadt";

let cases: EvalCase[];
let docs: Map<string, LoadedDoc>;
let roles: Record<string, { label: string }>;
let stemmer: Stemmer;

beforeAll(async () => {
  cases = await loadEvalCases(FILE);
  const knowledge = await loadKnowledge(path.join(ROOT, "knowledge"));
  docs = new Map(knowledge.docs.map((d) => [d.meta.id, d]));
  roles = parse(await readFile(path.join(ROOT, "knowledge/roles.yaml"), "utf8"));
  stemmer = await openStemmer();
  await stemmer.lexemes("Start"); // PGlite starts on its first query: slow on a busy machine, so here and not in a test
});
afterAll(() => stemmer?.close());

const byCategory = (name: string) => cases.filter((c) => c.category === name);

describe("the paraphrase set (test/eval/paraphrases.yaml)", () => {
  it("has at least 160 cases spread roughly evenly over the nine categories", () => {
    expect(cases.length).toBeGreaterThanOrEqual(160);
    for (const c of cases) expect(CATEGORIES, c.id).toContain(c.category);
    const sizes = CATEGORIES.map((n) => byCategory(n).length);
    expect(Math.min(...sizes), sizes.join(",")).toBeGreaterThanOrEqual(15);
    expect(Math.max(...sizes) / Math.min(...sizes), sizes.join(",")).toBeLessThanOrEqual(1.5);
  });

  it("has at least 15 abstentions, HR questions among them naming the personnel contact", () => {
    const abstain = byCategory("abstain");
    expect(abstain.length).toBeGreaterThanOrEqual(15);
    for (const c of abstain) {
      expect(c.abstain, c.id).toBe(true);
      expect(c.expect, c.id).toEqual([]);
    }
    // "Personal" matches any personnel role label (Personalentwicklung today; an HR role is being added).
    expect(abstain.filter((c) => c.contact === "Personal").length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.abstain && c.category !== "abstain")).toEqual([]);
  });

  it("gives every answerable case one to three expected facts", () => {
    for (const c of cases.filter((x) => !x.abstain)) {
      expect(c.expect.length, c.id).toBeGreaterThanOrEqual(1);
      expect(c.expect.length, c.id).toBeLessThanOrEqual(3);
    }
  });

  it("names contacts by a role id or (part of) a label of knowledge/roles.yaml", () => {
    const labels = Object.values(roles).map((r) => r.label.toLowerCase());
    for (const c of cases.filter((x) => x.contact)) {
      const contact = (c.contact as string).toLowerCase();
      expect(contact in roles || labels.some((l) => l.includes(contact)), `${c.id}: ${c.contact}`).toBe(true);
    }
  });

  it("names only documents that exist and that the case's tenant sees", () => {
    for (const c of cases.filter((x) => x.doc)) {
      const d = docs.get(c.doc as string);
      expect(d, `${c.id}: ${c.doc}`).toBeDefined();
      expect([null, c.tenant ?? TENANT], c.id).toContain(d?.meta.tenant);
    }
  });

  it("hits every document of the knowledge base", () => {
    const named = new Set(cases.map((c) => c.doc));
    expect([...docs.keys()].filter((id) => !named.has(id))).toEqual([]);
  });

  it("gives every synonym, colloquial and compound case a key word from its question and an answering document", () => {
    for (const c of cases.filter((x) => KEYED.includes(x.category ?? ""))) {
      expect(c.key && c.doc, c.id).toBeTruthy();
      expect(c.key, c.id).toMatch(/^\p{L}+$/u);
      expect(fold(c.q), c.id).toContain(fold(c.key as string));
    }
  });

  it("uses key words that the answering document does not contain, stemmed (PostgreSQL german)", async () => {
    const conflicts: string[] = [];
    const vocabularies = new Map<string, Set<string>>();
    for (const c of cases.filter((x) => x.key && x.doc)) {
      const d = docs.get(c.doc as string);
      if (!d) continue;
      if (!vocabularies.has(d.meta.id)) vocabularies.set(d.meta.id, await vocabulary(docText(d), stemmer));
      const hits = await keyConflicts(c.key as string, vocabularies.get(d.meta.id) as Set<string>, stemmer);
      if (hits.length > 0) conflicts.push(`${c.id}: ${c.key} in ${c.doc} (${hits.join(", ")})`);
    }
    expect(conflicts).toEqual([]);
  });
});

describe("the key-word check itself", () => {
  it("catches a key the document uses, in another inflection, inside a compound or with umlauts folded", async () => {
    const text = "Die Kennzahlen der Dienstreiserichtlinie; private Heizlüfter sind nicht erlaubt.";
    expect(await keyConflicts("Kennzahl", text, stemmer)).toContain("kennzahlen");
    expect(await keyConflicts("Dienstreisen", text, stemmer)).toContain("dienstreiserichtlinie");
    expect(await keyConflicts("Richtlinien", text, stemmer)).toContain("dienstreiserichtlinie");
    expect(await keyConflicts("Heizluefter", text, stemmer)).not.toEqual([]);
    expect(await keyConflicts("Heizofen", text, stemmer)).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Database } from "../../src/db/database.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { sqlStemmer } from "../../src/gaps/gap-terms.ts";
import { groupQuestions } from "../../src/gaps/group-questions.ts";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.ts";
import { pairwise } from "./pairwise.ts";

let db: Database;
beforeAll(async () => {
  db = await openPglite(":memory:");
});
afterAll(async () => {
  await db.close();
});

const load = (file: string) =>
  (
    parse(readFileSync(path.join(import.meta.dirname, "fixtures", file), "utf8")) as {
      questions: { group: string; text: string }[];
    }
  ).questions;

/** The tuning set, for the tests of naming and determinism. */
const questions = load("gap-questions.yaml");

/**
 * The fixtures of staff questions with known groups, and the floors of each one's pairwise precision and recall
 * (one notch below what was measured).
 */
const SETS = [
  // The set the thresholds were chosen on: measured 0.981 / 0.711 (29 groups).
  { file: "gap-questions.yaml", least: 60, precision: 0.95, recall: 0.68 },
  // Held out from that: 0.514 / 0.561 before the framing words (citizens, "nachhaltig", the municipality's name,
  // framing parts of compounds) and question-opening verbs, found on it; 0.957 / 0.667 after.
  { file: "gap-questions-heldout.yaml", least: 40, precision: 0.9, recall: 0.62 },
  // Written after every change and measured once: 0.913 / 0.488 — groups are seldom wrong, but about half of the
  // pairs that belong together stay apart (a coordinator sees two smaller groups rather than one).
  { file: "gap-questions-blind.yaml", least: 30, precision: 0.88, recall: 0.45 },
];

describe("grouping gap questions", () => {
  it.each(SETS)("groups $file close to its known groups (pairwise precision and recall)", async (set) => {
    const fixture = load(set.file);
    expect(fixture.length).toBeGreaterThanOrEqual(set.least);
    const texts = fixture.map((q) => q.text);
    // As the gap report calls it: the tenant's own name frames, it names no topic.
    const clusters = await groupQuestions(texts, {
      embedder: new HashedNgramEmbedder(),
      stem: sqlStemmer(db),
      names: ["musterstadt"],
    });
    const m = pairwise(
      clusters.map((c) => c.members),
      fixture.map((q) => q.group),
    );
    console.log(
      `gap grouping on ${set.file}: ${texts.length} questions, ${new Set(fixture.map((q) => q.group)).size} true groups → ${clusters.length} groups: pairwise precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, F1 ${m.f1.toFixed(3)}`,
    );
    expect(m.precision).toBeGreaterThanOrEqual(set.precision);
    expect(m.recall).toBeGreaterThanOrEqual(set.recall);
  });

  it("is deterministic and names each group by its most frequent content terms, most central wording first", async () => {
    const texts = questions.map((q) => q.text);
    const opts = { embedder: new HashedNgramEmbedder(), stem: sqlStemmer(db) };
    const first = await groupQuestions(texts, opts);
    expect(await groupQuestions(texts, opts)).toEqual(first);
    const ticket = first.find((c) =>
      c.members.some((i) => texts[i] === "Wie hoch ist der Zuschuss zum Jobticket?"),
    );
    expect(ticket?.words).toContain("Jobticket");
    // Framing words of the workplace never name a group on their own.
    for (const c of first.filter((x) => x.members.length > 1))
      expect(c.words[0]).not.toMatch(/^(Büro|Rathaus|Stadt)$/);
  });

  it("groups nothing into nothing and a single question into a group of one", async () => {
    const opts = { embedder: new HashedNgramEmbedder(), stem: sqlStemmer(db) };
    expect(await groupQuestions([], opts)).toEqual([]);
    const [one] = await groupQuestions(["Gibt es Wasserspender im Rathaus?"], opts);
    expect(one?.members).toEqual([0]);
    expect(one?.words[0]).toBe("Wasserspender");
  });
});

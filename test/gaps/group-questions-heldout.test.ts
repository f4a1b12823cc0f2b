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

const FIXTURE = path.join(import.meta.dirname, "fixtures/gap-questions-heldout.yaml");
const questions = (parse(readFileSync(FIXTURE, "utf8")) as { questions: { group: string; text: string }[] })
  .questions;

let db: Database;
beforeAll(async () => {
  db = await openPglite(":memory:");
});
afterAll(async () => {
  await db.close();
});

describe("grouping gap questions it was not tuned on", () => {
  it("groups the held-out questions close to their known groups (pairwise precision and recall)", async () => {
    expect(questions.length).toBeGreaterThanOrEqual(40);
    const texts = questions.map((q) => q.text);
    // As the gap report calls it: the tenant's own name frames, it names no topic.
    const clusters = await groupQuestions(texts, {
      embedder: new HashedNgramEmbedder(),
      stem: sqlStemmer(db),
      names: ["musterstadt"],
    });
    const m = pairwise(
      clusters.map((c) => c.members),
      questions.map((q) => q.group),
    );
    console.log(
      `gap grouping, held-out set: ${texts.length} questions, ${new Set(questions.map((q) => q.group)).size} true groups → ${clusters.length} groups: pairwise precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, F1 ${m.f1.toFixed(3)}`,
    );
    // Measured 0.514 / 0.561 before the framing words (citizens, "nachhaltig", the municipality's name, framing parts
    // of compounds) and question-opening verbs; 0.957 / 0.667 after. Floors one notch below.
    expect(m.precision).toBeGreaterThanOrEqual(0.9);
    expect(m.recall).toBeGreaterThanOrEqual(0.62);
  });
});

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

const FIXTURE = path.join(import.meta.dirname, "fixtures/gap-questions-blind.yaml");
const questions = (parse(readFileSync(FIXTURE, "utf8")) as { questions: { group: string; text: string }[] })
  .questions;

let db: Database;
beforeAll(async () => {
  db = await openPglite(":memory:");
});
afterAll(async () => {
  await db.close();
});

describe("grouping gap questions written after every change", () => {
  it("groups the blind questions close to their known groups (pairwise precision and recall)", async () => {
    expect(questions.length).toBeGreaterThanOrEqual(30);
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
      `gap grouping, blind set: ${texts.length} questions, ${new Set(questions.map((q) => q.group)).size} true groups → ${clusters.length} groups: pairwise precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, F1 ${m.f1.toFixed(3)}`,
    );
    // Measured once, after every change to the grouping: 0.913 / 0.488 (groups are seldom wrong, but about half of
    // the pairs that belong together stay apart: a coordinator sees two smaller groups rather than one). Floors one
    // notch below; a change that lowers them is a regression on wording nobody fitted the grouping to.
    expect(m.precision).toBeGreaterThanOrEqual(0.88);
    expect(m.recall).toBeGreaterThanOrEqual(0.45);
  });
});

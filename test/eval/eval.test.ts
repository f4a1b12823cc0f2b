import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config.ts";
import { cleanQuestion } from "../../src/core/router.ts";
import { loadEvalCases } from "../../src/eval/eval-cases.ts";
import { type EvalDeps, type EvalSummary, runEval } from "../../src/eval/run-eval.ts";
import { silentLogger } from "../../src/log.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { ROOT } from "../helpers.ts";

interface Floor {
  pass_rate: number;
  recall_at_3: number;
  abstain_accuracy: number;
  contact_accuracy: number;
  /** Strict pass rate per category. */
  categories?: Record<string, number>;
}

/**
 * Strict scoring (facts in the answer text only), measured 2026-12-02 after issue 11 (new topics from facts.md
 * sections 6–11 with 20 new cases; live-information questions and figures in a unit the answer does not give now
 * abstain): questions.yaml, 114 cases: strict 112 (0.982), recall@3 0.99, abstentions 18/18, contacts 1.0.
 */
const QUESTIONS_FLOOR: Floor = {
  pass_rate: 0.96,
  recall_at_3: 0.95,
  abstain_accuracy: 1,
  contact_accuracy: 0.9,
};

/**
 * paraphrases.yaml, 233 cases, measured 2026-12-02 after issue 11: the 36 new cases on the new topics were written
 * from facts.md before the documents existed (25 pass); two former abstentions are answered honestly now (an example
 * and "no guide in the knowledge base"), and a Musterstadt rule now answers a question the AVV Klima answered before.
 * Strict 187 (0.803), recall@3 0.943, abstentions 19/22, contacts 0.842; per category synonym 20/26, colloquial
 * 16/25, typo 24/28, compound 17/24, homonym 18/24, multi-part 26/28, english 17/25, lists-figures 30/31, abstain
 * 19/22. The 197 cases of issue 10: 162 pass (unchanged). Floors: one case below each measurement. Earlier
 * measurements are in the commit history of this file.
 */
const PARAPHRASE_FLOOR: Floor = {
  pass_rate: 0.798,
  recall_at_3: 0.93,
  abstain_accuracy: 0.81,
  contact_accuracy: 0.8,
  categories: {
    synonym: 0.73,
    colloquial: 0.6,
    typo: 0.82,
    compound: 0.66,
    homonym: 0.7,
    "multi-part": 0.89,
    english: 0.64,
    "lists-figures": 0.93,
    abstain: 0.81,
  },
};

function expectFloor(summary: EvalSummary, failed: string, floor: Floor): void {
  expect(summary.pass_rate, failed).toBeGreaterThanOrEqual(floor.pass_rate);
  expect(summary.recall_at_3).toBeGreaterThanOrEqual(floor.recall_at_3);
  expect(summary.abstain_accuracy).toBeGreaterThanOrEqual(floor.abstain_accuracy);
  expect(summary.contact_accuracy).toBeGreaterThanOrEqual(floor.contact_accuracy);
  for (const [name, min] of Object.entries(floor.categories ?? {}))
    expect(summary.categories[name]?.pass_rate ?? 0, `category ${name}`).toBeGreaterThanOrEqual(min);
}

describe("eval on the bundled knowledge, strict scoring", () => {
  let rt: Runtime;
  let deps: EvalDeps;
  beforeAll(async () => {
    rt = await createRuntime(
      loadConfig({ LOTSE_DATA_DIR: ":memory:", LOG_LEVEL: "silent" }, ROOT),
      silentLogger,
      { autoIngest: true },
    );
    const roles = parse(await readFile(path.join(ROOT, "knowledge/roles.yaml"), "utf8")) as Record<
      string,
      { label: string }
    >;
    deps = {
      answer: (m) => rt.router.handle(m),
      retrieve: async (q, tenant) =>
        (await rt.retriever.search(cleanQuestion(q), tenant ?? "musterstadt", 3)).passages,
      roles: new Map(Object.entries(roles).map(([id, r]) => [id, r.label])),
    };
  });
  afterAll(() => rt.close());

  for (const [file, floor, min] of [
    ["questions.yaml", QUESTIONS_FLOOR, 114],
    ["paraphrases.yaml", PARAPHRASE_FLOOR, 233],
  ] as const)
    it(`${file}: pass rate, recall@3, abstentions, contacts and categories above their floors`, {
      timeout: 240_000,
    }, async () => {
      const cases = await loadEvalCases(path.join(ROOT, "test/eval", file));
      expect(cases.length).toBeGreaterThanOrEqual(min);
      const { results, summary } = await runEval(cases, deps);
      const failed = results.filter((r) => !r.pass).map((r) => `${r.id}: ${r.missing.join("; ")}`);
      expectFloor(summary, failed.join("\n"), floor);
    });
});

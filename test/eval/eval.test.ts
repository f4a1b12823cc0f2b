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
 * Strict scoring (facts in the answer text only), measured 2026-12-01 with the bundled knowledge, on the code of
 * commit fc52bca (retrieval by concept landed; composition not yet) and on the working tree of that hour. Floors sit
 * a little below the lower of the two (per category: one case fewer); the lead raises them when the retrieval and
 * composition work of issue 10 has landed. Before that work (commit 5f3a712) the figures were lower; see below.
 *
 * questions.yaml, 94 cases: strict 89 (0.947; 5f3a712: 90), lenient 94 (1.0), recall@3 1.0, abstentions 17/17,
 * contacts 1.0.
 */
const QUESTIONS_FLOOR: Floor = {
  pass_rate: 0.92,
  recall_at_3: 0.95,
  abstain_accuracy: 1,
  contact_accuracy: 0.9,
};

/**
 * paraphrases.yaml, 197 cases: strict 98 (0.497; 5f3a712: 75, 0.381), lenient 0.599 (0.457), recall@3 0.924 (0.85),
 * expected document in the top 3 0.846 (0.771), abstentions 16/20, contacts 0.167 (HR questions not yet routed to
 * the personnel contact). Strict passes per category at fc52bca / working tree / 5f3a712:
 * synonym 9/10/5 of 22, colloquial 4/3/1 of 22, typo 17/15/14 of 24, compound 9/12/9 of 21, homonym 12/14/11 of 20,
 * multi-part 14/14/12 of 22, english 10/12/0 of 21, lists-figures 16/18/16 of 25, abstain 7/14/7 of 20.
 */
const PARAPHRASE_FLOOR: Floor = {
  pass_rate: 0.47,
  recall_at_3: 0.9,
  abstain_accuracy: 0.75,
  contact_accuracy: 0.1,
  categories: {
    synonym: 0.36,
    colloquial: 0.09,
    typo: 0.58,
    compound: 0.38,
    homonym: 0.55,
    "multi-part": 0.59,
    english: 0.42,
    "lists-figures": 0.6,
    abstain: 0.3,
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
    ["questions.yaml", QUESTIONS_FLOOR, 94],
    ["paraphrases.yaml", PARAPHRASE_FLOOR, 160],
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

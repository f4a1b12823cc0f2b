import type { Answer } from "../assistant/answer.ts";
import type { MessageInbound } from "../core/inbound.ts";
import type { Passage } from "../retrieval/retriever.ts";
import { categoryOf, type EvalCase } from "./eval-cases.ts";
import { type FactPlace, factPlaces, judge } from "./eval-judge.ts";
import { type EvalSummary, passageText, summarize, topPassages } from "./eval-summary.ts";

export { judge } from "./eval-judge.ts";
export { docRecallAt3, type EvalFigures, type EvalSummary, recallAt3 } from "./eval-summary.ts";

export interface EvalResult {
  id: string;
  question: string;
  category: string;
  /** Strict: every expected fact in the answer text. */
  pass: boolean;
  /** Lenient: facts in the first three excerpts count too. */
  pass_lenient: boolean;
  missing: string[];
  answer: Answer;
}

export interface EvalDeps {
  answer(msg: MessageInbound): Promise<Answer>;
  /** Top passages for a question, for recall@3 of retrieval itself. */
  retrieve(question: string, tenant: string | undefined): Promise<Passage[]>;
  /** Role id → label (knowledge/roles.yaml): lets a case name its contact by role id. */
  roles?: ReadonlyMap<string, string>;
}

/** One case run on its own, with what a person fixing a miss needs besides the composition trace. */
export interface EvalCaseReport {
  case: EvalCase;
  result: EvalResult;
  /** The top three passages of retrieval for the question. */
  passages: Passage[];
  /** Per expected fact: in the answer text, in an excerpt, in the top three passages. */
  facts: FactPlace[];
}

/** Runs one case through the router (as the CLI platform) and retrieval; `lotse eval FILE --explain ID` uses it. */
export async function runEvalCase(c: EvalCase, deps: EvalDeps): Promise<EvalCaseReport> {
  const answer = await deps.answer({
    kind: "message",
    platform: "cli",
    ...(c.tenant ? { tenant: c.tenant } : {}),
    user: { id: "eval" },
    conversation: { id: `eval-${c.id}`, kind: "personal", channel: `eval-${c.id}` },
    text: c.q,
    receivedAt: new Date(),
  });
  const passages = (await deps.retrieve(c.q, c.tenant)).slice(0, 3);
  const verdict = judge(c, answer, deps.roles ? { roles: deps.roles } : {});
  return {
    case: c,
    result: { id: c.id, question: c.q, category: categoryOf(c), ...verdict, answer },
    passages,
    facts: factPlaces(c, answer, passages.map(passageText)),
  };
}

/** Runs every case and computes the summary figures (strict pass rate first, per category too). */
export async function runEval(
  cases: EvalCase[],
  deps: EvalDeps,
  onCase?: (done: number, total: number) => void,
): Promise<{ results: EvalResult[]; summary: EvalSummary }> {
  const results: EvalResult[] = [];
  const top: [string, Passage[]][] = [];
  for (const c of cases) {
    const report = await runEvalCase(c, deps);
    if (!c.abstain) top.push([c.id, report.passages]);
    results.push(report.result);
    onCase?.(results.length, cases.length);
  }
  return { results, summary: summarize(cases, results, topPassages(top), deps.roles) };
}

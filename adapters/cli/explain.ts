import type { Answer } from "../../src/assistant/answer.ts";
import { cleanQuestion } from "../../src/core/router.ts";
import { type EvalCase, selectCase } from "../../src/eval/eval-cases.ts";
import { type EvalDeps, runEvalCase } from "../../src/eval/run-eval.ts";
import { formatTrace, type RetrievalTrace } from "../../src/retrieval/trace.ts";
import type { Runtime } from "../../src/runtime.ts";
import { renderEvalCase } from "./render-eval.ts";

/** What composition made of the passages: the kind, confidence, chosen section and lead. */
export function formatComposition(answer: Answer): string {
  const first = answer.citations[0];
  const lead = answer.text.split("\n")[0] ?? "";
  return [
    "Antwort:",
    `  Art ${answer.kind}${answer.errorCode ? ` (${answer.errorCode})` : ""}, Zuversicht ${answer.confidence?.toFixed(2) ?? "–"}`,
    `  gewählter Abschnitt: ${first ? `${first.docId} › ${first.section}` : "–"}`,
    `  Einleitung: ${lead}`,
    `  Quellen: ${answer.citations.map((c) => `${c.docId} › ${c.section}`).join(" | ") || "–"}`,
    `  Ansprechpersonen: ${answer.contacts.map((c) => c.role).join(", ") || "–"}`,
  ].join("\n");
}

/** `lotse ask --explain`: the retrieval trace and what composition chose, as text or JSON. */
export async function explainQuestion(
  rt: Runtime,
  question: string,
  tenant: string,
  answer: Answer,
  json: boolean,
): Promise<string> {
  const trace = await rt.retriever.explain(cleanQuestion(question), tenant);
  return json
    ? JSON.stringify({ answer, trace }, null, 2)
    : [formatTrace(trace), formatComposition(answer)].join("\n");
}

/** `lotse eval FILE --explain ID`: one case with where each fact was found, plus the traces. */
export async function explainCase(
  rt: Runtime,
  cases: EvalCase[],
  id: string,
  file: string,
  deps: EvalDeps,
  defaultTenant: string,
  json: boolean,
): Promise<{ text: string; pass: boolean }> {
  const c = selectCase(cases, id, file);
  const report = await runEvalCase(c, deps);
  const trace: RetrievalTrace = await rt.retriever.explain(cleanQuestion(c.q), c.tenant ?? defaultTenant);
  const text = json
    ? JSON.stringify({ ...report, trace }, null, 2)
    : [renderEvalCase(report), formatTrace(trace), formatComposition(report.result.answer)].join("\n");
  return { text, pass: report.result.pass };
}

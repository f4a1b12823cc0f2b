import type { EvalResult, EvalSummary } from "../../src/eval/run-eval.ts";

/** A readable table of eval results followed by the summary figures. */
export function renderEvalTable(results: EvalResult[], summary: EvalSummary): string {
  const idWidth = Math.min(32, Math.max(4, ...results.map((r) => r.id.length)));
  const lines = [`${"Fall".padEnd(idWidth)}  Ergebnis  Art        Konf.  Fehlt`];
  for (const r of results) {
    lines.push(
      `${r.id.slice(0, idWidth).padEnd(idWidth)}  ${(r.pass ? "ok" : "FEHLER").padEnd(8)}  ${r.answer.kind.padEnd(9)}  ${r.answer.confidence.toFixed(2)}   ${r.missing.join("; ")}`,
    );
  }
  lines.push(
    "",
    `Fälle: ${summary.cases}, bestanden: ${summary.passed} (${(summary.pass_rate * 100).toFixed(1)} %)`,
    `recall@3: ${summary.recall_at_3.toFixed(3)}   Enthaltung korrekt: ${summary.abstain_accuracy.toFixed(3)}   Kontakt korrekt: ${summary.contact_accuracy.toFixed(3)}`,
  );
  return lines.join("\n");
}

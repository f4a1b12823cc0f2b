import type { EvalCaseReport, EvalFigures, EvalResult, EvalSummary } from "../../src/eval/run-eval.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const rate = (x: number | null) => (x === null ? "–" : x.toFixed(3));

/** A readable table of eval results, the pass rates per category, then the summary figures. */
export function renderEvalTable(results: EvalResult[], summary: EvalSummary): string {
  const idWidth = Math.min(32, Math.max(4, ...results.map((r) => r.id.length)));
  const lines = [`${"Fall".padEnd(idWidth)}  Ergebnis  Art        Konf.  Fehlt`];
  for (const r of results) {
    // "auszug": passes only when excerpts count, the old lenient measure.
    const verdict = r.pass ? "ok" : r.pass_lenient ? "auszug" : "FEHLER";
    lines.push(
      `${r.id.slice(0, idWidth).padEnd(idWidth)}  ${verdict.padEnd(8)}  ${r.answer.kind.padEnd(9)}  ${r.answer.confidence.toFixed(2)}   ${r.missing.join("; ")}`,
    );
  }
  lines.push("", renderCategoryTable(summary.categories), "");
  lines.push(
    `Fälle: ${summary.cases}, bestanden: ${summary.passed} (${pct(summary.pass_rate)} streng, nur Antworttext; ${pct(summary.pass_rate_lenient)} mit Quellenauszügen)`,
    `recall@3: ${summary.recall_at_3.toFixed(3)}   Dokument unter den ersten 3: ${rate(summary.doc_recall_at_3)}   Enthaltung korrekt: ${summary.abstain_accuracy.toFixed(3)}   Kontakt korrekt: ${summary.contact_accuracy.toFixed(3)}`,
  );
  return lines.join("\n");
}

/** Pass rates (strict and with excerpts) and recall per category. */
export function renderCategoryTable(categories: Record<string, EvalFigures>): string {
  const names = Object.keys(categories);
  const w = Math.max(9, ...names.map((n) => n.length));
  const lines = [`${"Kategorie".padEnd(w)}  Fälle  bestanden  streng    mit Auszügen  recall@3  Dokument@3`];
  for (const n of names) {
    const f = categories[n] as EvalFigures;
    lines.push(
      `${n.padEnd(w)}  ${String(f.cases).padStart(5)}  ${String(f.passed).padStart(9)}  ${pct(f.pass_rate).padStart(7)}  ${pct(f.pass_rate_lenient).padStart(12)}  ${rate(f.recall_at_3).padStart(8)}  ${rate(f.doc_recall_at_3).padStart(10)}`,
    );
  }
  return lines.join("\n");
}

/** One case for `lotse eval FILE --explain ID`: verdict, where each expected fact was found, the top passages. */
export function renderEvalCase(report: EvalCaseReport): string {
  const { case: c, result: r } = report;
  const yes = (b: boolean) => (b ? "ja  " : "nein");
  const lines = [
    `Fall ${c.id} (${r.category}): ${r.pass ? "bestanden" : r.pass_lenient ? "nur mit Quellenauszügen bestanden" : "nicht bestanden"}`,
    `Frage: ${c.q}`,
    `Antwort (${r.answer.kind}, Konfidenz ${r.answer.confidence.toFixed(2)}): ${r.answer.text}`,
  ];
  if (r.missing.length > 0) lines.push(`Fehlt: ${r.missing.join("; ")}`);
  if (c.key || c.doc) lines.push(`Schlüsselwort: ${c.key ?? "–"}   erwartetes Dokument: ${c.doc ?? "–"}`);
  if (report.facts.length > 0) {
    lines.push("", "Erwartet                              Antworttext  Auszug  Top-3-Passagen");
    for (const f of report.facts)
      lines.push(
        `${f.entry.slice(0, 36).padEnd(36)}  ${yes(f.text).padEnd(11)}  ${yes(f.excerpts).padEnd(6)}  ${yes(f.top3)}`,
      );
  }
  lines.push("", "Top-3-Passagen der Suche:");
  if (report.passages.length === 0) lines.push("  (keine)");
  report.passages.forEach((p, i) => {
    lines.push(`  ${i + 1}. ${p.docId}${p.docId === c.doc ? " (erwartet)" : ""} – ${p.section}`);
  });
  const cited = r.answer.citations.map((x) => `${x.docId} – ${x.section}`);
  if (cited.length > 0) lines.push("", "Zitiert:", ...cited.map((x) => `  ${x}`));
  return lines.join("\n");
}

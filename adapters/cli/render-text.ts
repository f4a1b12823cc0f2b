import type { Answer } from "../../src/assistant/answer.ts";
import { asOfLabel } from "../../src/knowledge/as-of.ts";

/** Renders an answer for a terminal: text, then sources, goals, next steps and contacts. */
export function renderText(answer: Answer): string {
  const out: string[] = [answer.text];
  if (answer.citations.length > 0) {
    out.push("", "Quellen:");
    answer.citations.forEach((c, i) => {
      const where = [c.section !== c.title ? c.section : "", c.page !== undefined ? `S. ${c.page}` : ""]
        .filter(Boolean)
        .join(", ");
      const asOf = c.asOf ? ` (${asOfLabel(c.asOf)})` : "";
      out.push(`  [${i + 1}] ${c.title}${where ? ` – ${where}` : ""}${asOf}${c.url ? `  <${c.url}>` : ""}`);
      out.push(`      „${c.excerpt}“`);
    });
  }
  if (answer.goals.length > 0) {
    out.push("", "Ziele Ihrer Kommune:");
    for (const g of answer.goals) out.push(`  • ${g.title}: ${g.text}`);
  }
  if (answer.nextSteps.length > 0) {
    out.push("", "Nächste Schritte:");
    for (const s of answer.nextSteps) out.push(`  • ${s.label}: ${s.url}`);
  }
  if (answer.contacts.length > 0) {
    out.push("", "Ansprechpersonen:");
    for (const c of answer.contacts)
      out.push(`  • ${c.role}: ${[c.name, c.unit, c.email, c.phone].filter(Boolean).join(", ")}`);
  }
  return out.join("\n");
}

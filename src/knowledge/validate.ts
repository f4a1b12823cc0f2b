import { checkQuestionFindings } from "../onboarding/check-findings.ts";
import { contactCoverage, type ValidateOptions } from "./contact-coverage.ts";
import { dueFindings } from "../reminders/deadlines/due-findings.ts";
import { dateFindings } from "./date-checks.ts";
import type { KnowledgeSet } from "./load-knowledge.ts";
import type { DocMeta, Finding } from "./types.ts";

export type { ValidateOptions } from "./contact-coverage.ts";

const REVIEW_MAX_DAYS = 365;

/**
 * Checks that need the whole knowledge set: folder and tenant agree, ids are unique, contact roles and link ids
 * exist, shared guidance names a source, review dates are not older than 12 months (warning), and every tenant has
 * contacts for the roles its documents and the configured default contact role name (warning). Dated warnings (see
 * date-checks.ts): a deadline document whose date has passed, a passed date in the future tense, an old `as_of`.
 * A deadline's `due` is read by the reminder grammar (see due-findings.ts). An onboarding document needs a
 * well-formed `## Kontrollfrage` (error; see src/onboarding/check-findings.ts).
 */
export function validateKnowledge(set: KnowledgeSet, now: Date, options: ValidateOptions = {}): Finding[] {
  const findings: Finding[] = [...set.findings];
  const seen = new Map<string, string>();
  const all: { meta: DocMeta; path: string }[] = [...set.docs, ...set.unchanged];
  for (const { meta, path } of all) {
    const file = path.endsWith(".md") ? path : `${path}.yaml`;
    const line = (key: string) => lineOf(set, path, key);
    const folder = path.includes("/") ? path.split("/")[0] : "";
    const expected = folder === "shared" || folder === "" ? null : folder;
    if (meta.tenant !== expected)
      findings.push({ severity: "error", file, line: line("tenant"), message: `tenant ist "${meta.tenant ?? "shared"}", die Datei liegt aber im Ordner "${folder || "knowledge/"}": erwartet "${expected ?? "shared"}".` });
    const previous = seen.get(meta.id);
    if (previous) findings.push({ severity: "error", file, line: line("id"), message: `Kennung "${meta.id}" ist doppelt vergeben (auch in ${previous}).` });
    else seen.set(meta.id, path);
    // Without roles (roles.yaml missing or broken, reported there) every role would be "unknown".
    for (const role of meta.contacts)
      if (set.roles.size > 0 && !set.roles.has(role))
        findings.push({ severity: "error", file, line: line("contacts"), message: `Unbekannte Kontaktrolle "${role}" (bekannt: ${[...set.roles.keys()].join(", ")}).` });
    for (const step of meta.nextSteps) {
      if (step.kind !== "link") continue;
      const tenant = meta.tenant ? set.tenants.get(meta.tenant) : undefined;
      if (tenant?.files.links === "broken") continue; // its YAML errors are reported in links.yaml
      if (!tenant?.links.has(step.link))
        findings.push({ severity: "error", file, line: line("next_steps"), message: `Link "${step.link}" fehlt im Linkkatalog ${meta.tenant ?? "(geteilte Dokumente haben keinen)"}/links.yaml.` });
    }
    if (meta.tenant === null && meta.sources.length === 0)
      findings.push({ severity: "warning", file, line: line("sources") || 1, message: "Geteiltes Dokument ohne Quelle (sources): Antworten daraus lassen sich nicht belegen." });
    if (!meta.reviewed) findings.push({ severity: "warning", file, line: 1, message: "Kein Prüfdatum (reviewed) angegeben." });
    else {
      const age = (now.getTime() - Date.parse(`${meta.reviewed}T00:00:00Z`)) / 86_400_000;
      if (age > REVIEW_MAX_DAYS)
        findings.push({ severity: "warning", file, line: line("reviewed"), message: `Zuletzt geprüft am ${meta.reviewed}, vor mehr als 12 Monaten: Inhalt bitte überprüfen.` });
    }
    findings.push(...dateFindings(meta, file, set.bodies?.get(path), line("as_of"), now));
    findings.push(...dueFindings(meta, file, set.bodies?.get(path), { due: line("due"), type: line("type") }, now));
    findings.push(...checkQuestionFindings(meta, file, checkSource(set, path)));
  }
  findings.push(...contactCoverage(set, options));
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Where a document's check question is read: its Markdown body as written, or the sections read this time. */
function checkSource(set: KnowledgeSet, path: string): Parameters<typeof checkQuestionFindings>[2] {
  const body = set.bodies?.get(path);
  if (body) return { body };
  const doc = set.docs.find((d) => d.path === path);
  return doc ? { sections: doc.sections } : {};
}

/** Line of a front matter key, remembered by the loader. */
function lineOf(set: KnowledgeSet, path: string, key: string): number {
  return set.keyLines.get(path)?.get(key) ?? 1;
}

/** Whether any finding is an error (ingest refuses, validate exits 1). */
export function hasErrors(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === "error");
}

/** "datei:zeile: Fehler: …" lines, as compilers print them. */
export function formatFindings(findings: Finding[]): string {
  return findings
    .map((f) => `${f.file}:${f.line}: ${f.severity === "error" ? "Fehler" : "Warnung"}: ${f.message}`)
    .join("\n");
}

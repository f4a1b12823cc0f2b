import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { AS_OF_PATTERN } from "./as-of.ts";
import { resolveFootnotes } from "./footnotes.ts";
import { DOC_TYPES, type DocMeta, type Finding } from "./types.ts";
import { expandUnions, issuePredicate, lineAt, sourceAt, valueAt } from "./yaml-issues.ts";

/** Accepts only absolute http(s) URLs. */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname.includes(".");
  } catch {
    return false;
  }
}

const url = z.string().refine(isHttpUrl, "ist keine vollständige http(s)-URL (https://…)");
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "nur Kleinbuchstaben, Ziffern und Bindestriche");

export const frontMatterSchema = z.object({
  id,
  title: z.string().trim().min(3, "Titel fehlt oder ist zu kurz"),
  type: z.enum(DOC_TYPES, { message: `muss eines von ${DOC_TYPES.join(", ")} sein` }),
  tenant: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "shared oder die Kennung der Kommune, z. B. musterstadt"),
  sources: z.array(z.object({ title: z.string().min(1), url })).default([]),
  contacts: z.array(z.string().min(1)).default([]),
  next_steps: z
    .array(
      z.union([z.object({ label: z.string().min(1), url }), z.object({ link: z.string().min(1) })], {
        message: 'braucht entweder "link: <kennung>" oder "label" und "url"',
      }),
    )
    .default([]),
  reviewed: z
    .union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()], { message: "muss ein Datum im Format JJJJ-MM-TT sein" })
    .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
    .optional(),
  // Stand der Rechtslage / des Sachstands: a day or only a month.
  as_of: z
    .union([z.string().regex(AS_OF_PATTERN, "muss ein Datum im Format JJJJ-MM-TT oder ein Monat im Format JJJJ-MM sein"), z.date()], {
      message: "muss ein Datum im Format JJJJ-MM-TT oder ein Monat im Format JJJJ-MM sein",
    })
    .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
    .optional(),
  tags: z.array(z.string()).default([]),
  // A deadline's recurrence in the words of the reminder grammar ("jährlich am 31.3."); validate reads it.
  due: z.string({ message: 'muss ein Text sein, z. B. due: "jährlich am 31.3."' }).trim().min(1, 'ist leer; z. B. due: "jährlich am 31.3."').optional(),
});

export interface FrontMatterResult {
  meta?: DocMeta;
  /** Line numbers of the front matter keys (1-based, in the file). */
  keyLines: Map<string, number>;
  body: string;
  /** 1-based line in the file where the body starts. */
  bodyLine: number;
  findings: Finding[];
}

/**
 * Splits `---` front matter from a Markdown file and validates it; findings carry file and line. Footnotes of the body
 * are resolved to the document's sources (see footnotes.ts).
 */
export function parseFrontMatter(source: string, file: string): FrontMatterResult {
  const lines = source.replace(/^\uFEFF/, "").split(/\r?\n/);
  const findings: Finding[] = [];
  const keyLines = new Map<string, number>();
  if (lines[0]?.trim() !== "---") {
    findings.push({ severity: "error", file, line: 1, message: "Front Matter fehlt: die Datei muss mit einer Zeile --- beginnen." });
    return { keyLines, body: lines.join("\n"), bodyLine: 1, findings };
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) {
    findings.push({ severity: "error", file, line: 1, message: "Front Matter ist nicht mit einer Zeile --- abgeschlossen." });
    return { keyLines, body: "", bodyLine: lines.length + 1, findings };
  }
  const yamlText = lines.slice(1, end).join("\n");
  const body = lines.slice(end + 1).join("\n");
  const bodyLine = end + 2;
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      findings.push({ severity: "error", file, line: pos.line + 1, message: `Front Matter ist kein gültiges YAML: ${e.message.split("\n")[0]}` });
    }
    return { keyLines, body, bodyLine, findings };
  }
  if (!isMap(doc.contents)) {
    findings.push({ severity: "error", file, line: 2, message: "Front Matter muss aus Schlüssel: Wert-Zeilen bestehen." });
    return { keyLines, body, bodyLine, findings };
  }
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) keyLines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line + 1);
  }
  const data = doc.toJS();
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of expandUnions(parsed.error.issues, data)) {
      const where = issue.path.join(".");
      const value = valueAt(data, issue.path);
      const missing = issue.code === "invalid_type" && value === undefined;
      const message = missing
        ? `Pflichtfeld "${where}" fehlt im Front Matter.`
        : `Feld "${where}": ${issuePredicate(issue, value, sourceAt(doc, issue.path))}.`;
      // The YAML starts on the line after the opening ---; a missing top-level field belongs to that opening line.
      const line = missing && issue.path.length === 1 ? 1 : lineAt(doc, lineCounter, issue.path) + 1;
      findings.push({ severity: "error", file, line, message });
    }
    return { keyLines, body, bodyLine, findings };
  }
  const fm = parsed.data;
  const meta: DocMeta = {
    id: fm.id,
    title: fm.title,
    type: fm.type,
    tenant: fm.tenant === "shared" ? null : fm.tenant,
    sources: fm.sources,
    contacts: fm.contacts,
    nextSteps: fm.next_steps.map((s) => ("link" in s ? { kind: "link", link: s.link } : { kind: "url", label: s.label, url: s.url })),
    reviewed: fm.reviewed,
    asOf: fm.as_of,
    tags: fm.tags,
    due: fm.due,
  };
  // Footnotes need the sources and the file's line numbers, which meet only here.
  const notes = resolveFootnotes(body, bodyLine, meta.sources, file);
  meta.sources = notes.sources;
  findings.push(...notes.findings);
  return { meta, keyLines, body: notes.body, bodyLine, findings };
}

import { type Document, isMap, isScalar, isSeq, type LineCounter } from "yaml";
import type { z } from "zod";

/** Zod's names for expected types, as a maintainer reads them in German. */
const EXPECTED: Record<string, string> = {
  string: "ein Text",
  number: "eine Zahl",
  int: "eine ganze Zahl",
  boolean: "true oder false",
  array: "eine Liste",
  object: "eine Zuordnung (Schlüssel: Wert)",
  record: "eine Zuordnung (Schlüssel: Wert)",
  date: "ein Datum",
};

/** What a YAML value turned out to be, in German ("Zahl", "Liste", …). */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "kein Wert";
  if (value instanceof Date) return "Datum";
  if (Array.isArray(value)) return "Liste";
  switch (typeof value) {
    case "string":
      return "Text";
    case "number":
    case "bigint":
      return "Zahl";
    case "boolean":
      return "Wahrheitswert";
    case "object":
      return "Zuordnung";
    default:
      return typeof value;
  }
}

/** The value at a zod issue path inside the parsed data (zod itself keeps the input only on request). */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** The text as written in the file for a scalar at `path` (0555 stays 0555, where the value is the number 555). */
export function sourceAt(doc: Document, path: readonly PropertyKey[]): string | undefined {
  const node = doc.getIn(path, true);
  return isScalar(node) && typeof node.source === "string" ? node.source : undefined;
}

/**
 * The German predicate for one zod issue: "muss ein Text sein, gefunden: Zahl", "fehlt", or the schema's own German
 * message. `value` is the offending value (see valueAt), `source` how it is written (see sourceAt).
 */
export function issuePredicate(issue: z.core.$ZodIssue, value: unknown, source?: string): string {
  if (issue.code === "invalid_type") {
    if (value === undefined) return "fehlt";
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    // A phone number or a date-like id written without quotes arrives as a number or a date.
    const hint =
      issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")
        ? ` (als Text in Anführungszeichen schreiben: "${source ?? String(value)}")`
        : "";
    return `muss ${expected} sein, gefunden: ${describeValue(value)}${hint}`;
  }
  if (issue.code === "too_small" && issue.origin === "string") return "darf nicht leer sein";
  if (issue.code === "too_small" && issue.origin === "array") return `braucht mindestens ${issue.minimum} Einträge`;
  if (issue.code === "invalid_value") return `muss einer dieser Werte sein: ${issue.values.map(String).join(", ")}`;
  // A union's German message is written in the schema; zod's default is English.
  if (issue.code === "invalid_union") return issue.message === "Invalid input" ? "hat keine der erlaubten Formen" : issue.message;
  // custom, invalid_format (regex, email) carry the German message written in the schema.
  return issue.message;
}

/**
 * 1-based line of the node at `path` in a YAML document: the value's line where it exists, else the line of the
 * deepest key on the way (a missing field is reported at its entry).
 */
export function lineAt(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  const start = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
  let line = start === undefined ? 1 : lineCounter.linePos(start).line;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (isScalar(pair.key) && pair.key.range) line = lineCounter.linePos(pair.key.range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
      if (node === undefined) break;
    } else break;
    // Scalars and list items sit on their own line; a nested mapping is reported at its key.
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range && (isScalar(node) || typeof seg === "number")) line = lineCounter.linePos(range[0]).line;
  }
  return line;
}

/**
 * Replaces a union's issue by the issues of the one branch the value evidently meant ({label, url} with a bad url:
 * the url), so the finding names the real fault; where no branch stands out the union's own message stays.
 */
export function expandUnions(issues: readonly z.core.$ZodIssue[], data: unknown): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const base = valueAt(data, issue.path);
    const missing = (branch: z.core.$ZodIssue[]) =>
      branch.filter((i) => i.code === "invalid_type" && valueAt(base, i.path) === undefined).length;
    const ranked = issue.errors
      .filter((branch) => branch.every((i) => i.path.length > 0))
      .map((branch) => ({ branch, score: [missing(branch), branch.length] as const }))
      .sort((a, b) => a.score[0] - b.score[0] || a.score[1] - b.score[1]);
    const [best, next] = ranked;
    if (!best || (next && next.score[0] === best.score[0] && next.score[1] === best.score[1])) return [issue];
    return expandUnions(
      best.branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] })),
      data,
    );
  });
}

import type { Finding, SourceRef } from "./types.ts";

/**
 * Markdown footnotes in knowledge documents: `[^1]` in the text, `[^1]: …` on a line of its own. A definition resolves
 * to a URL (a Markdown link, <https://…> or a bare URL; a new URL becomes another source of the document) or, without
 * a URL, to the front matter source whose title it names. In the indexed text every marker is rewritten to `[^N]`,
 * N the 1-based position of its source in the document's sources, so that a quoted sentence can cite the source that
 * supports it; definitions leave the text.
 */

/** A resolved marker as stored in chunk bodies: `[^N]`, N the 1-based index into the document's sources. */
export const SOURCE_MARKER = /\s?\[\^(\d+)\]/g;

const DEFINITION = /^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$/;
const MARKER = /\[\^([^\]\s]+)\](?!:)/g;
const HAS_MARKER = /\[\^[^\]\s]+\](?!:)/;
const URL_IN = /<(https?:\/\/[^>\s]+)>|\[([^\]]*)\]\((https?:\/\/[^)\s]+)\)|(https?:\/\/[^\s)>]+)/;

export interface FootnoteResult {
  /** The body with resolved markers `[^N]` and without definition lines. */
  body: string;
  /** The front matter sources plus the URLs of footnotes that were not among them. */
  sources: SourceRef[];
  findings: Finding[];
}

type Definition = { label: string; text: string; line: number; used: boolean };

/** Resolves the footnotes of a Markdown body (starting at file line bodyLine) against the document's sources. */
export function resolveFootnotes(
  body: string,
  bodyLine: number,
  sources: SourceRef[],
  file: string,
): FootnoteResult {
  const lines = body.split(/\r?\n/);
  const findings: Finding[] = [];
  const definitions = new Map<string, Definition>();
  const fenced = fenceMask(lines);
  for (let i = 0; i < lines.length; i++) {
    const m = fenced[i] ? null : DEFINITION.exec(lines[i] as string);
    if (!m) continue;
    const label = m[1] as string;
    const first = bodyLine + i;
    const parts = [(m[2] as string).trim()];
    lines[i] = "";
    // Indented lines continue a definition, as in GitHub's Markdown.
    while (i + 1 < lines.length && /^( {2,}|\t)\S/.test(lines[i + 1] as string)) {
      parts.push((lines[++i] as string).trim());
      lines[i] = "";
    }
    if (definitions.has(label)) {
      findings.push({
        severity: "error",
        file,
        line: first,
        message: `Fußnote [^${label}] ist mehrfach definiert (zuerst in Zeile ${definitions.get(label)?.line}).`,
      });
      continue;
    }
    definitions.set(label, { label, text: parts.join(" ").trim(), line: first, used: false });
  }
  if (definitions.size === 0 && !lines.some((l) => HAS_MARKER.test(l))) return { body, sources, findings };

  const out = [...sources];
  const targets = new Map<string, Target | undefined>();
  for (const d of definitions.values()) {
    const target = resolve(d.text, sources);
    targets.set(d.label, target);
    if (target === undefined)
      findings.push({
        severity: "error",
        file,
        line: d.line,
        message: `Fußnote [^${d.label}] verweist auf keine Quelle: Geben Sie eine URL an (https://…) oder den Titel einer Quelle aus sources (bekannt: ${sources.map((s) => `„${s.title}“`).join(", ") || "keine"}).`,
      });
  }
  for (let i = 0; i < lines.length; i++) {
    if (fenced[i]) continue;
    lines[i] = (lines[i] as string).replace(MARKER, (_, label: string) => {
      const d = definitions.get(label);
      if (!d) {
        findings.push({
          severity: "error",
          file,
          line: bodyLine + i,
          message: `Fußnote [^${label}] ist nicht definiert: Es fehlt eine Zeile „[^${label}]: Quelle …“.`,
        });
        return "";
      }
      d.used = true;
      const n = sourceIndex(targets.get(label), out);
      return n === undefined ? "" : `[^${n + 1}]`;
    });
    // A marker after the sentence's full stop moves before it, so that the sentence splitter still sees the end and the
    // marker stays with its sentence.
    lines[i] = (lines[i] as string).replace(/([.!?:;,])((?:\[\^\d+\])+)/g, "$2$1");
  }
  for (const d of definitions.values())
    if (!d.used)
      findings.push({
        severity: "warning",
        file,
        line: d.line,
        message: `Fußnote [^${d.label}] ist definiert, wird im Text aber nicht verwendet.`,
      });
  return { body: lines.join("\n"), sources: out, findings };
}

/** What a definition names: a front matter source by its index, or a URL that is not among them. */
type Target = { index: number } | SourceRef;

function resolve(text: string, sources: SourceRef[]): Target | undefined {
  const m = URL_IN.exec(text);
  if (m) {
    const url = (m[1] ?? m[3] ?? m[4] ?? "").replace(/[.,;]+$/, "");
    const known = sources.findIndex((s) => s.url === url);
    if (known >= 0) return { index: known };
    const title = (m[2] ?? text.replace(m[0], "")).replace(/^[\s:,–-]+|[\s:,–-]+$/g, "").trim();
    return { title: title || new URL(url).hostname, url };
  }
  const wanted = normTitle(text);
  if (wanted.length < 3) return undefined;
  const exact = sources.findIndex((s) => normTitle(s.title) === wanted);
  if (exact >= 0) return { index: exact };
  // "Quelle: Vergabeverordnung § 67, S. 3" names the source "Vergabeverordnung § 67".
  const named = sources.findIndex((s) => normTitle(s.title).length >= 3 && wanted.includes(normTitle(s.title)));
  return named >= 0 ? { index: named } : undefined;
}

/** The index of a target among the sources; a URL of a used footnote becomes another source of the document. */
function sourceIndex(target: Target | undefined, sources: SourceRef[]): number | undefined {
  if (target === undefined) return undefined;
  if ("index" in target) return target.index;
  const known = sources.findIndex((s) => s.url === target.url);
  if (known >= 0) return known;
  sources.push(target);
  return sources.length - 1;
}

const normTitle = (s: string) =>
  s
    .toLowerCase()
    .replace(/[„“"'‚‘’»«]/g, "")
    .replace(/\s+/g, " ")
    .trim();

/** Lines inside ``` fences, where footnote syntax is shown, not used. */
function fenceMask(lines: string[]): boolean[] {
  let inFence = false;
  return lines.map((l) => {
    if (/^\s*```/.test(l)) {
      inFence = !inFence;
      return true;
    }
    return inFence;
  });
}

/** The text without resolved markers, as answers and excerpts show it. */
export function stripMarkers(text: string): string {
  return text.replace(SOURCE_MARKER, "");
}

/** 0-based source indices of the resolved markers in a text, in order, without repeats. */
export function markerSources(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(SOURCE_MARKER)) {
    const n = Number(m[1]) - 1;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

import type { Section } from "./types.ts";

/** Markdown inline syntax removed for plain-text excerpts: links keep their label, emphasis markers go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    // Not a footnote marker followed by a parenthesis ("[^2](Anlage)").
    .replace(/\[(?!\^)([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^*])\*([^*\n]+)\*/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^>\s?/gm, "")
    .replace(/^\s*\|?\s*:?-{3,}.*$/gm, "")
    .replace(/<[^>]+>/g, "");
}

/**
 * Splits a Markdown body into sections by heading. The H1 (usually the title) opens the path; deeper headings
 * nest below it, so each section knows its heading path.
 */
export function markdownSections(body: string, title: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let buffer: string[] = [];
  const flush = () => {
    const text = plainText(buffer.join("\n")).replace(/\n{3,}/g, "\n\n").trim();
    if (text.length > 0) sections.push({ headings: path.filter(Boolean), text });
    buffer = [];
  };
  let inFence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const m = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) {
      flush();
      const level = (m[1] as string).length;
      const heading = plainText(m[2] as string).trim();
      path.length = Math.max(0, level - 1);
      path[level - 1] = level === 1 && heading === title ? "" : heading;
      continue;
    }
    buffer.push(line);
  }
  flush();
  return sections;
}

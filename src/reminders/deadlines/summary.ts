import { blocks, splitSentences } from "../../knowledge/chunk.ts";
import { stripMarkers } from "../../knowledge/footnotes.ts";

const MAX = 300;

/**
 * The first paragraph of a chunk body, cut after the last sentence that still fits in about 300 characters; a first
 * sentence that alone is longer is cut at a word and marked "…".
 */
export function deadlineSummary(body: string, max = MAX): string {
  const paragraph = stripMarkers(blocks(body)[0] ?? "")
    .replace(/\s+/g, " ")
    .trim();
  if (paragraph.length <= max) return paragraph;
  let out = "";
  for (const sentence of splitSentences(paragraph)) {
    const next = out ? `${out} ${sentence}` : sentence;
    if (next.length > max) break;
    out = next;
  }
  if (out) return out;
  const cut = paragraph.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, "")}…`;
}

import type { Passage } from "../retrieval/retriever.ts";
import type { PassageWithAsOf } from "../retrieval/search-sql.ts";
import { words } from "../text/normalize.ts";
import type { Citation } from "./answer.ts";
import { answerUnits, type Unit } from "./answer-units.ts";
import { truncate } from "./sentence-score.ts";

const EXCERPT_CHARS = 480;

/**
 * The citation of a passage the answer quotes: an excerpt from the first quoted sentence on, and the link of the
 * source that supports that sentence (its footnote; else the source its words name; else the document's only or first
 * source), not simply the document's first source.
 */
export function citationFor(passage: Passage, quoted: Unit[]): Citation {
  const all = answerUnits(passage.body);
  const start = Math.min(...quoted.map((u) => u.i));
  const source = supportingSource(passage, quoted);
  const window: string[] = [];
  let length = 0;
  for (const u of all.slice(Number.isFinite(start) ? start : 0)) {
    // A heading on a PDF page starts another section.
    if (u.heading) {
      if (window.length > 0) break;
      continue;
    }
    if (window.length > 0 && length + u.text.length > EXCERPT_CHARS) break;
    // The excerpt stays with the sentences its link supports.
    if (window.length > 0 && u.sources.length > 0 && source !== undefined && !u.sources.includes(source))
      break;
    window.push(u.text);
    length += u.text.length + 1;
  }
  const c: Citation = {
    docId: passage.docId,
    title: passage.title,
    section: passage.section,
    excerpt: truncate(window.join(" ") || passage.body, EXCERPT_CHARS),
  };
  if (passage.page !== null) c.page = passage.page;
  const url = source === undefined ? undefined : passage.sources[source]?.url;
  if (url) c.url = url;
  const asOf = (passage as PassageWithAsOf).asOf;
  if (asOf) c.asOf = asOf;
  return c;
}

/** Index of the source supporting the quoted sentences. */
export function supportingSource(passage: Passage, quoted: Unit[]): number | undefined {
  const sources = passage.sources;
  if (sources.length === 0) return undefined;
  const noted = quoted.flatMap((u) => u.sources).find((n) => n >= 0 && n < sources.length);
  if (noted !== undefined) return noted;
  if (sources.length === 1) return 0;
  const text = new Set(words(quoted.map((u) => u.text).join(" ")));
  let best = 0;
  let bestScore = 0;
  sources.forEach((s, n) => {
    const score = sourceTerms(s.title, s.url).reduce(
      (sum, t) => sum + (text.has(t) ? (/\d/.test(t) ? 2 : 1) : 0),
      0,
    );
    if (score > bestScore) {
      best = n;
      bestScore = score;
    }
  });
  return best;
}

const NOISE = new Set(
  "https http www html htm php pdf de com org net eu bund index und der die das des den dem fuer von vom zum zur mit im in an auf aus bei ein eine einer nach ueber".split(
    " ",
  ),
);

/** Distinctive words of a source's title and URL path ("Vergabeverordnung § 67", …/vgv/67 → vergabeverordnung, 67, vgv). */
function sourceTerms(title: string, url: string): string[] {
  let path = "";
  try {
    path = new URL(url).pathname;
  } catch {
    path = "";
  }
  const terms = [...words(title), ...words(path.replace(/[_-]+/g, " "))].filter(
    (w) => !NOISE.has(w) && (w.length >= 3 || /^\d{2,}$/.test(w)),
  );
  return [...new Set(terms)];
}

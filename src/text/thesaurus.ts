/**
 * General German synonyms (OpenThesaurus), read from the data file that scripts/import-openthesaurus.ts writes.
 * The file is read on the first lookup, not at import, so commands that never expand a query pay nothing; every
 * loadThesaurus() of the same file shares that one read.
 */
import { fileURLToPath } from "node:url";
import { HashedLines, readVocabularyFile, textBytes } from "./vocabulary-file.ts";

/** The committed OpenThesaurus import (see vocabulary/README.md). */
export const THESAURUS_FILE = fileURLToPath(
  new URL("../../vocabulary/openthesaurus-de.txt.gz", import.meta.url),
);

export interface Thesaurus {
  /** The synsets (senses) a word belongs to, each as its terms in original spelling; [] when unknown. Lookup is case-insensitive. */
  senses(word: string): readonly (readonly string[])[];
}

/** Lookup form of a term: lower case, single spaces, so "Dienst  Reise " and "dienst reise" meet. */
export function thesaurusKey(term: string): string {
  return term.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();
}

const loaded = new Map<string, HashedLines>();

function index(file: string): HashedLines {
  let lines = loaded.get(file);
  if (!lines) {
    // The import writes single spaces: per term, lower case suffices (the full thesaurusKey() per term doubles the load).
    lines = new HashedLines(textBytes(readVocabularyFile(file, "Thesaurus")), (line) =>
      line
        .normalize("NFC")
        .split(";")
        .map((t) => t.trim().toLowerCase()),
    );
    loaded.set(file, lines);
  }
  return lines;
}

/** The thesaurus in `file` (default: the committed OpenThesaurus import), read on its first lookup. */
export function loadThesaurus(file: string = THESAURUS_FILE): Thesaurus {
  return {
    senses(word: string) {
      const wanted = thesaurusKey(word);
      if (wanted === "") return [];
      const out: string[][] = [];
      for (const line of index(file).candidates(wanted)) {
        const terms = line.split(";");
        if (terms.some((t) => thesaurusKey(t) === wanted)) out.push(terms);
      }
      return out;
    },
  };
}

/**
 * The synsets of each word in `wanted` (lookup forms, see thesaurusKey) in one pass over the thesaurus text: for each,
 * what senses() returns, in file order. Cheaper than building the index when thousands of words are asked once (the
 * reduction at ingest). A generator that yields every few thousand lines, so that its caller can run it in slices.
 */
export function* scanSenses(
  text: string,
  wanted: ReadonlySet<string>,
): Generator<void, Map<string, string[][]>, void> {
  const out = new Map<string, string[][]>();
  let lines = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end > start && text.charCodeAt(start) !== 0x23 /* # */) {
      const line = text.slice(start, end);
      let terms: string[] | undefined;
      // thesaurusKey of each term, done once for the whole line: ";" composes with nothing (NFC), is no whitespace
      // (a run of spaces never spans it) and neither cased nor case-ignorable (lower case of a term ignores it).
      for (const t of line.normalize("NFC").replace(/\s+/g, " ").toLowerCase().split(";")) {
        const k = t.trim();
        if (!wanted.has(k)) continue;
        terms ??= line.split(";");
        const list = out.get(k);
        if (!list) out.set(k, [terms]);
        else if (list[list.length - 1] !== terms) list.push(terms);
      }
    }
    start = end + 1;
    if (++lines % 2048 === 0) yield;
  }
  return out;
}

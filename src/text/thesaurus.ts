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
function key(term: string): string {
  return term.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();
}

const loaded = new Map<string, HashedLines>();

function index(file: string): HashedLines {
  let lines = loaded.get(file);
  if (!lines) {
    // The import writes single spaces: per term, lower case suffices (the full key() per term doubles the load).
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
      const wanted = key(word);
      if (wanted === "") return [];
      const out: string[][] = [];
      for (const line of index(file).candidates(wanted)) {
        const terms = line.split(";");
        if (terms.some((t) => key(t) === wanted)) out.push(terms);
      }
      return out;
    },
  };
}

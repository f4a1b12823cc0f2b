/**
 * English → German word candidates from the Ding dictionary, read from the data file that
 * scripts/import-dictionary-en.ts writes. The file is read on the first lookup, not at import; every
 * loadEnglishDictionary() of the same file shares that one read.
 */
import { fileURLToPath } from "node:url";
import { SortedBlocks } from "./sorted-blocks.ts";
import { readVocabularyFile } from "./vocabulary-file.ts";

/** The committed Ding import (see vocabulary/README.md). */
export const ENGLISH_DICTIONARY_FILE = fileURLToPath(
  new URL("../../vocabulary/dictionary-en-de.tsv.gz", import.meta.url),
);

export interface EnglishDictionary {
  /** German words for an English word (lower-case lookup), most common first; [] when unknown. */
  german(word: string): readonly string[];
}

/** Lookup form: lower case, single spaces, the typographic apostrophe as in the file ("one’s" → "one's"). */
function key(word: string): string {
  return word.normalize("NFC").trim().replace(/\s+/g, " ").replace(/’/g, "'").toLowerCase();
}

const loaded = new Map<string, SortedBlocks>();

/** The English word of a data line. */
function english(line: string): string {
  const tab = line.indexOf("\t");
  return tab < 0 ? line : line.slice(0, tab);
}

function index(file: string): SortedBlocks {
  let lines = loaded.get(file);
  if (!lines) {
    lines = new SortedBlocks(readVocabularyFile(file, "English dictionary"), english);
    loaded.set(file, lines);
  }
  return lines;
}

/** The dictionary in `file` (default: the committed Ding import), read on its first lookup. */
export function loadEnglishDictionary(file: string = ENGLISH_DICTIONARY_FILE): EnglishDictionary {
  return {
    german(word: string) {
      const wanted = key(word);
      if (wanted === "") return [];
      const line = index(file).find(wanted);
      return line === undefined ? [] : line.slice(wanted.length + 1).split(";");
    },
  };
}

/**
 * Imports the Ding German–English dictionary (Debian's trans-de-en) into vocabulary/dictionary-en-de.tsv.gz:
 * one English word or short phrase a line, a tab, then its German nouns, verbs and adjectives separated by ";",
 * most likely first.
 *
 *   node_modules/.bin/node scripts/import-dictionary-en.ts [de-en] [output.tsv.gz]
 *
 * Ding has no frequencies, so "most likely" is estimated: a translation that a headword's first alternatives give
 * weighs more than one from a compound or a later alternative, domain and register tags weigh less, and a German
 * word that the dictionary uses in many entries (Dienstleistung) is taken as more common than a rare one
 * (Serviceform). The output depends only on the input, so a re-import of the same version yields the same bytes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { compareKeys, packSortedBlocks } from "../src/text/sorted-blocks.ts";
import { englishKey, germanCandidate, parsePart, splitTop } from "./ding-entry.ts";

export const DEFAULT_INPUT = "/usr/share/trans/de-en";
export const DEFAULT_OUTPUT = new URL("../vocabulary/dictionary-en-de.tsv.gz", import.meta.url).pathname;

/** German candidates kept per English word: the query side keeps only those the corpus contains. */
const MAX_CANDIDATES = 8;
/** A two-word key stands for one German compound (ding-entry.ts): a few spellings of it suffice. */
const MAX_PHRASE_CANDIDATES = 3;

/** German word → number of entries whose German side uses it: Ding's stand-in for how common a word is. */
function wordCounts(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const de = line.split(" :: ")[0] ?? "";
    for (const word of new Set(de.toLowerCase().split(/[^\p{L}\p{N}-]+/u))) {
      if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

type Scores = Map<string, Map<string, { best: number; hits: number }>>;

function add(scores: Scores, en: string, de: string, weight: number): void {
  if (weight <= 0) return;
  let byGerman = scores.get(en);
  if (!byGerman) {
    byGerman = new Map();
    scores.set(en, byGerman);
  }
  const seen = byGerman.get(de);
  if (seen) {
    seen.best = Math.max(seen.best, weight);
    seen.hits++;
  } else byGerman.set(de, { best: weight, hits: 1 });
}

/** Translations of one dictionary line into `scores`. */
function importLine(line: string, scores: Scores): void {
  const sides = line.split(" :: ");
  if (sides.length !== 2) return;
  const deParts = splitTop(sides[0] ?? "", "|");
  const enParts = splitTop(sides[1] ?? "", "|");
  // Parts correspond by position; a line whose sides disagree in count cannot be paired safely.
  if (deParts.length !== enParts.length) return;
  const head = parsePart(deParts[0] ?? "");
  const headVerbs = head.flatMap((t) => {
    const verb = t.kind === "verb" && t.weight > 0 ? germanCandidate(t.text) : undefined;
    return verb === undefined || verb.includes(" ") ? [] : [{ text: verb, weight: t.weight }];
  });
  deParts.forEach((dePart, part) => {
    const german = parsePart(dePart);
    const english = parsePart(enParts[part] ?? "");
    english.forEach((en, enIndex) => {
      const key = englishKey(en.text);
      if (key === undefined || en.weight === 0) return;
      const phrase = key.includes(" ");
      if (phrase && en.narrow) return;
      const base = (part === 0 ? 1 : 0.75) * (enIndex === 0 ? 1 : 0.8) * Math.min(1, en.weight + 0.2);
      german.forEach((de, deIndex) => {
        const candidate = germanCandidate(de.text);
        if (candidate === undefined || (phrase && (candidate.includes(" ") || de.narrow))) return;
        const weight = base * (deIndex === 0 ? 1 : 0.85) * de.weight;
        if (de.kind !== "other") add(scores, key, candidate, weight);
        else if (part > 0 && headVerbs.length > 0 && !candidate.includes(" ")) {
          // A verb's forms ("geflogen" :: "flown"): the form itself, and the infinitive the documents may use.
          add(scores, key, candidate, weight * 0.9);
          for (const verb of headVerbs) add(scores, key, verb.text, weight * 0.9 * verb.weight);
        }
      });
    });
  });
}

/** The version line of the input ("# Version :: devel 2023-01-30"), for the output's header. */
function version(text: string): string {
  const match = /^# Version :: (.+)$/m.exec(text);
  return match?.[1]?.trim() ?? "unknown";
}

/** The English key of an output line. */
export function englishOf(line: string): string {
  return line.slice(0, line.indexOf("\t"));
}

/** The header comments and the sorted data lines for a Ding de-en file. */
export function importDictionary(text: string): { header: string[]; lines: string[] } {
  const lines = text.split(/\r?\n/).filter((l) => l !== "" && !l.startsWith("#"));
  const counts = wordCounts(lines);
  const scores: Scores = new Map();
  for (const line of lines) importLine(line, scores);
  const common = (de: string) => {
    const words = de.toLowerCase().split(/[^\p{L}\p{N}-]+/u);
    return Math.min(...words.map((w) => counts.get(w) ?? 1));
  };
  const out: string[] = [];
  for (const en of [...scores.keys()].sort(compareKeys)) {
    const ranked = [...(scores.get(en) ?? new Map()).entries()]
      .map(([de, { best, hits }]) => ({
        de,
        score: (best + 0.1 * Math.min(hits - 1, 5)) * Math.log2(2 + common(de)),
      }))
      .sort((a, b) => b.score - a.score || (a.de < b.de ? -1 : a.de > b.de ? 1 : 0))
      .slice(0, en.includes(" ") ? MAX_PHRASE_CANDIDATES : MAX_CANDIDATES);
    out.push(`${en}\t${ranked.map((r) => r.de).join(";")}`);
  }
  const header = [
    `# Ding German-English dictionary ${version(text)} (https://dict.tu-chemnitz.de), Frank Richter, TU Chemnitz`,
    "# Licence: GNU GPL 2 or later, see LICENSE-ding.txt; derived by scripts/import-dictionary-en.ts",
    "# Format: English word or phrase (lower case), a tab, German candidates separated by ';', most likely first;",
    "# gzip members of 64 lines each, indexed by the '#=' lines below (src/text/sorted-blocks.ts)",
  ];
  return { header, lines: out };
}

if (import.meta.main) {
  const [input = DEFAULT_INPUT, output = DEFAULT_OUTPUT] = process.argv.slice(2);
  const { header, lines } = importDictionary(readFileSync(input, "utf8"));
  const bytes = packSortedBlocks(header, lines, englishOf);
  writeFileSync(output, bytes);
  console.log(`${output}: ${lines.length} English keys, ${bytes.length} bytes`);
}

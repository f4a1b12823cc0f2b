/**
 * Imports OpenThesaurus (Debian's openthesaurus-de-text) into vocabulary/openthesaurus-de.txt.gz: one synset a
 * line, terms separated by ";", annotations stripped, terms that would mislead query expansion dropped.
 *
 *   node_modules/.bin/node scripts/import-openthesaurus.ts [input.txt] [output.txt.gz]
 *
 * The output depends only on the input (sorted, no timestamps, fixed gzip level), so a re-import of the same
 * version yields the same bytes and a new version shows up in git as a real change.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

export const DEFAULT_INPUT = "/usr/share/openthesaurus-de/openthesaurus.txt";
export const DEFAULT_OUTPUT = new URL("../vocabulary/openthesaurus-de.txt.gz", import.meta.url).pathname;

/**
 * Labels whose terms are left out. Obsolete and vulgar words never help a municipal question; figurative, ironic
 * and joking uses are worse: the corpus holds the word in its literal sense ("fliegen" for a flight), so keeping
 * "fliegen (fig.)" among the synonyms of "rennen" would send a question about running to the travel rules.
 */
const DROP_LABELS = new Set([
  "veraltet",
  "vulg.",
  "vulgär",
  "derb",
  "fig.",
  "ironisch",
  "scherzhaft",
  "Spruch",
  "sprichwörtlich",
]);
/** Longer entries are explanations or idioms, not terms a question or a document would use. */
const MAX_WORDS = 4;

/** A term without its parenthesised parts and whether it is the main form, or undefined when it is left out. */
export function cleanTerm(raw: string): { term: string; main: boolean } | undefined {
  let text = raw.normalize("NFC").trim();
  const labels: string[] = [];
  // Innermost groups first, so "(stehen(d))" is removed whole.
  for (let prev = ""; prev !== text; ) {
    prev = text;
    text = text.replace(/\(([^()]*)\)/g, (_, inner: string) => {
      for (const label of inner.split(",")) labels.push(label.trim());
      return "";
    });
  }
  if (labels.some((label) => DROP_LABELS.has(label))) return undefined;
  text = text.replace(/\s+/g, " ").trim();
  // A quoted term ('"grobe Betrachtung"') is searched without its quotes.
  text = text.replace(/^["„“'‚‘](.+)["“”'‘’]$/, "$1");
  // Fragments ("Deputat...") and exclamations ("alles klar!") are not searchable terms.
  if (text === "" || /\.\.\.|…|[!?()]/.test(text)) return undefined;
  if (text.split(" ").length > MAX_WORDS) return undefined;
  return { term: text, main: labels.includes("Hauptform") };
}

/** Terms of one input line, the main form (Hauptform) first, duplicates removed. */
function synset(line: string): string[] {
  const main: string[] = [];
  const rest: string[] = [];
  for (const raw of line.split(";")) {
    const clean = cleanTerm(raw);
    if (clean !== undefined) (clean.main ? main : rest).push(clean.term);
  }
  return [...new Set([...main, ...rest])];
}

/** The version line of the input ("# Automatically generated 2016-04-24 23:01"), for the output's header. */
function version(text: string): string {
  const match = /^# Automatically generated (\S+)/m.exec(text);
  return match?.[1] ?? "unknown";
}

/** The compact text form of an OpenThesaurus text export (before gzip). */
export function importOpenThesaurus(text: string): string {
  const lines = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const terms = synset(line);
    // A synset of one term expands nothing.
    if (terms.length >= 2) lines.add(terms.join(";"));
  }
  const sorted = [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const header = [
    `# OpenThesaurus ${version(text)} (https://www.openthesaurus.de), Daniel Naber and contributors`,
    "# Licence: GNU LGPL 2.1 or later, see LICENSE-openthesaurus.txt; imported by scripts/import-openthesaurus.ts",
    "# Format: one synset a line, terms separated by ';', the main form first where marked",
  ];
  return `${[...header, ...sorted].join("\n")}\n`;
}

/** Gzip with fixed settings: Node writes no timestamp or file name, so equal text gives equal bytes. */
export function compress(text: string): Buffer {
  return gzipSync(Buffer.from(text, "utf8"), { level: 9 });
}

if (import.meta.main) {
  const [input = DEFAULT_INPUT, output = DEFAULT_OUTPUT] = process.argv.slice(2);
  const result = importOpenThesaurus(readFileSync(input, "utf8"));
  const bytes = compress(result);
  writeFileSync(output, bytes);
  const synsets = result.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
  console.log(`${output}: ${synsets} synsets, ${bytes.length} bytes`);
}

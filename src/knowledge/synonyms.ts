import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { Finding } from "./types.ts";

/**
 * The municipality's own vocabulary for retrieval: knowledge/synonyms.yaml (shared) and knowledge/<tenant>/synonyms.yaml.
 * A file is a YAML list; each item is either a group of words that mean the same (`- [Dienstwagen, Dienstfahrzeug, Pkw]`,
 * every word searches the others) or a document term with the staff's words for it (`- Einweggeschirr: [Plastikgeschirr]`,
 * a question with "Plastikgeschirr" also searches "Einweggeschirr", not the other way round). Used at query time
 * only, so a change needs no re-indexing of documents.
 */

/** Words in `words` found in a question also search the document terms in `terms`. */
export interface SynonymGroup {
  words: string[];
  terms: string[];
  /** Where the group was written, for the retrieval trace. */
  file: string;
  line: number;
}

/** Groups shared by every tenant and per tenant; JSON-serialisable (stored in the index by ingest). */
export interface SynonymSet {
  shared: SynonymGroup[];
  tenants: Record<string, SynonymGroup[]>;
}

export const EMPTY_SYNONYMS: SynonymSet = { shared: [], tenants: {} };
/** Where ingest stores the synonym set in index_meta, for every replica's retriever. */
export const SYNONYMS_KEY = "synonyms";

/** A word: letters and digits, joined by hyphens, dots or slashes ("E-Auto", "Kita", "ÖPNV"); no phrases. */
const WORD = /^[\p{L}\p{N}]+(?:[-./][\p{L}\p{N}]+)*$/u;
const MAX_WORD = 60;

/** The groups of a tenant: shared ones first, then its own. */
export function groupsFor(set: SynonymSet, tenant: string): SynonymGroup[] {
  return [...set.shared, ...(set.tenants[tenant] ?? [])];
}

/** Reads the shared and every tenant's synonyms.yaml (both optional); problems become findings with file and line. */
export async function loadSynonyms(
  knowledgeDir: string,
  tenants: Iterable<string>,
  findings: Finding[],
): Promise<SynonymSet> {
  const set: SynonymSet = { shared: await readGroups(knowledgeDir, "synonyms.yaml", findings), tenants: {} };
  for (const t of tenants) {
    const groups = await readGroups(knowledgeDir, `${t}/synonyms.yaml`, findings);
    if (groups.length > 0) set.tenants[t] = groups;
  }
  return set;
}

async function readGroups(knowledgeDir: string, rel: string, findings: Finding[]): Promise<SynonymGroup[]> {
  let text: string;
  try {
    text = await readFile(`${knowledgeDir}/${rel}`, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    findings.push({ severity: "error", file: rel, line: 1, message: `Datei konnte nicht gelesen werden: ${(err as Error).message}` });
    return [];
  }
  return parseSynonyms(text, rel, findings);
}

/** Parses one synonyms.yaml text; each bad item is a finding and is skipped, the good ones are kept. */
export function parseSynonyms(text: string, rel: string, findings: Finding[]): SynonymGroup[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: unknown, fallback = 1) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : fallback;
  };
  const error = (line: number, message: string) => findings.push({ severity: "error", file: rel, line, message });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) error(lineCounter.linePos(e.pos[0]).line, `Kein gültiges YAML: ${e.message.split("\n")[0]}`);
    return [];
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isSeq(root)) {
    error(lineOf(root), 'Die Datei muss eine Liste sein: "- [Wort, Wort]" für gleichbedeutende Wörter oder "- Begriff: [Wort, Wort]" für Wörter, die den Begriff der Dokumente suchen.');
    return [];
  }
  const groups: SynonymGroup[] = [];
  const seen = new Map<string, number>();
  for (const item of root.items) {
    const line = lineOf(item);
    const group = parseItem(item as YamlNode, line, error, lineOf);
    if (!group) continue;
    const key = JSON.stringify([group.words, group.terms].map((l) => l.map((w) => w.toLowerCase()).sort()));
    const previous = seen.get(key);
    if (previous !== undefined) {
      findings.push({ severity: "warning", file: rel, line, message: `Dieser Eintrag steht schon in Zeile ${previous}.` });
      continue;
    }
    seen.set(key, line);
    groups.push({ ...group, file: rel, line });
  }
  return groups;
}

type Report = (line: number, message: string) => void;

function parseItem(
  item: YamlNode,
  line: number,
  error: Report,
  lineOf: (node: unknown, fallback?: number) => number,
): Omit<SynonymGroup, "file" | "line"> | undefined {
  if (isSeq(item)) {
    const members = wordList(item, line, error, lineOf);
    if (!members) return undefined;
    if (members.length < 2) {
      error(line, "Eine Gruppe gleichbedeutender Wörter braucht mindestens zwei Wörter.");
      return undefined;
    }
    return { words: members, terms: members };
  }
  if (isMap(item)) {
    if (item.items.length !== 1) {
      error(line, 'Je Eintrag genau ein Begriff: "- Begriff: [Wort, Wort]"; weitere Begriffe in eigene Einträge schreiben.');
      return undefined;
    }
    const pair = item.items[0];
    const term = isScalar(pair?.key) ? pair.key.value : undefined;
    if (typeof term !== "string" || !checkWord(term, line, error)) {
      if (typeof term !== "string") error(line, "Der Begriff vor dem Doppelpunkt muss ein Wort sein.");
      return undefined;
    }
    const value = pair?.value;
    const words = isSeq(value)
      ? wordList(value, line, error, lineOf)
      : isScalar(value) && typeof value.value === "string" && checkWord(value.value, lineOf(value, line), error)
        ? [value.value.trim()]
        : (error(lineOf(value, line), `Nach "${term}:" folgt eine Liste von Wörtern, z. B. ${term}: [Wort, Wort].`), undefined);
    if (!words) return undefined;
    const own = words.filter((w) => w.toLowerCase() !== term.toLowerCase());
    if (own.length === 0) {
      error(line, `"${term}" braucht mindestens ein anderes Wort, das nach ihm suchen soll.`);
      return undefined;
    }
    return { words: own, terms: [term.trim()] };
  }
  error(line, 'Ein Eintrag ist "- [Wort, Wort]" oder "- Begriff: [Wort, Wort]".');
  return undefined;
}

function wordList(
  seq: YamlNode,
  line: number,
  error: Report,
  lineOf: (node: unknown, fallback?: number) => number,
): string[] | undefined {
  if (!isSeq(seq)) return undefined;
  const out: string[] = [];
  let ok = true;
  for (const node of seq.items) {
    const at = lineOf(node, line);
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== "string") {
      error(at, `Jedes Element muss ein Wort sein, gefunden: ${describe(node)}${typeof value === "number" ? ` (als Text in Anführungszeichen schreiben: "${value}")` : ""}.`);
      ok = false;
      continue;
    }
    if (!checkWord(value, at, error)) {
      ok = false;
      continue;
    }
    const w = value.trim();
    if (out.some((x) => x.toLowerCase() === w.toLowerCase())) {
      error(at, `"${w}" steht zweimal in diesem Eintrag.`);
      ok = false;
      continue;
    }
    out.push(w);
  }
  return ok ? out : undefined;
}

function checkWord(value: string, line: number, error: Report): boolean {
  const w = value.trim();
  if (w.length === 0) {
    error(line, "Leeres Wort.");
    return false;
  }
  if (/\s/.test(w)) {
    error(line, `"${w}" ist eine Wortgruppe: nur einzelne Wörter (auch mit Bindestrich, z. B. E-Auto) werden gesucht.`);
    return false;
  }
  if (!WORD.test(w) || w.length > MAX_WORD || !/\p{L}/u.test(w)) {
    error(line, `"${w}" ist kein Wort (Buchstaben und Ziffern, höchstens durch Bindestrich, Punkt oder Schrägstrich verbunden).`);
    return false;
  }
  return true;
}

function describe(node: unknown): string {
  if (isSeq(node)) return "Liste";
  if (isMap(node)) return "Zuordnung";
  const v = isScalar(node) ? node.value : undefined;
  if (v === null || v === undefined) return "kein Wert";
  return typeof v === "number" ? "Zahl" : typeof v === "boolean" ? "Wahrheitswert" : "Text";
}

/** A stable text of a synonym set (the database's jsonb reorders keys), to tell whether it changed. */
export function synonymsFingerprint(set: SynonymSet | undefined): string {
  if (!set) return "";
  const tenants = Object.keys(set.tenants)
    .sort()
    .map((t) => [t, set.tenants[t]?.map((g) => [g.words, g.terms, g.file, g.line])]);
  return JSON.stringify([set.shared.map((g) => [g.words, g.terms, g.file, g.line]), tenants]);
}

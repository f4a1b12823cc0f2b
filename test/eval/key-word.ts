import { PGlite } from "@electric-sql/pglite";
import type { LoadedDoc } from "../../src/knowledge/types.ts";

/** Lower case with umlauts and ß folded, so that "Bürger" and "Buerger" compare alike. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/ä|ae/g, "a")
    .replace(/ö|oe/g, "o")
    .replace(/ü|ue/g, "u")
    .replace(/ß/g, "ss");
}

/** The words of a text, folded; hyphenated words give their parts and the whole without hyphens. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? []) {
    const parts = w.split("-");
    out.push(...parts.map(fold));
    if (parts.length > 1) out.push(fold(parts.join("")));
  }
  return out;
}

/** Everything the index can see of a document: title, tags, headings and text. */
export function docText(doc: LoadedDoc): string {
  return [
    doc.meta.title,
    doc.meta.tags.join(" "),
    ...doc.sections.map((s) => `${s.headings.join("\n")}\n${s.text}`),
  ].join("\n");
}

/** PostgreSQL's german Snowball stemmer on an in-memory PGlite. */
export interface Stemmer {
  lexemes(text: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens an in-memory PGlite for to_tsvector('german', …). */
export async function openStemmer(): Promise<Stemmer> {
  const db = new PGlite();
  return {
    async lexemes(text) {
      const r = await db.query<{ l: string }>(
        "SELECT unnest(tsvector_to_array(to_tsvector('german', $1))) AS l",
        [text],
      );
      return r.rows.map((x) => fold(x.l));
    },
    close: () => db.close(),
  };
}

/** Every word and lexeme of a document, folded: what keyConflicts compares a key against. */
export async function vocabulary(text: string, stemmer: Stemmer): Promise<Set<string>> {
  return new Set([...words(text), ...(await stemmer.lexemes(text))]);
}

/**
 * Words of the document that give the key away, strictly: a document word or lexeme that starts with the key's
 * stem, or (stems of five letters and more) contains it inside a compound. Empty means the key is new to the
 * document. A key without a stem (a stop word) is reported as its own conflict.
 */
export async function keyConflicts(
  key: string,
  doc: string | Set<string>,
  stemmer: Stemmer,
): Promise<string[]> {
  const stems = await stemmer.lexemes(key);
  if (stems.length === 0) return [`${key}: no stem (stop word?)`];
  const vocab = typeof doc === "string" ? await vocabulary(doc, stemmer) : doc;
  const hits = new Set<string>();
  for (const stem of stems)
    for (const w of vocab) if (w.startsWith(stem) || (stem.length >= 5 && w.includes(stem))) hits.add(w);
  return [...hits].sort();
}

import { contentWords, foldUmlauts, rawWords, STOPWORDS, words } from "./normalize.ts";

const MIN_PART = 4;
const MIN_COMPOUND = 2 * MIN_PART;
/** Linking elements (Fugenelemente) that may end the first part: Beschaffung-s-kriterien, Klima-schutz. */
const LINKS = ["s", "es", "n", "en", "er", "e"];

/** Vocabulary of the corpus: the words that count as parts of compounds. */
export class Lexicon {
  private readonly known: Set<string>;

  constructor(entries: Iterable<string> = []) {
    this.known = new Set();
    for (const w of entries) this.add(w);
  }

  add(word: string): void {
    if (word.length >= MIN_PART && !STOPWORDS.has(word) && !/^\d+$/.test(word)) this.known.add(word);
  }

  has(word: string): boolean {
    return this.known.has(word);
  }

  /**
   * Compounds of the corpus that two words of a phrase form (Kriterien der Beschaffung → beschaffungskriterien),
   * in either order and with a linking element.
   */
  join(phrase: string[]): string[] {
    const content = [...new Set(phrase.filter((w) => w.length >= MIN_PART && !STOPWORDS.has(w)))].slice(
      0,
      12,
    );
    const out: string[] = [];
    for (const a of content)
      for (const b of content) {
        if (a === b) continue;
        const heads = [a, a.endsWith("e") ? a.slice(0, -1) : a];
        for (const h of heads)
          for (const link of ["", ...LINKS]) {
            const candidate = `${h}${link}${b}`;
            if (this.known.has(candidate) && !out.includes(candidate)) out.push(candidate);
          }
      }
    return out;
  }

  get size(): number {
    return this.known.size;
  }

  /**
   * Splits a compound into known parts (beschaffungskriterien → beschaffung, kriterien), longest head first;
   * returns [] when no split into known words exists.
   */
  split(word: string, depth = 0): string[] {
    if (word.length < MIN_COMPOUND || depth > 2) return [];
    for (let i = word.length - MIN_PART; i >= MIN_PART; i--) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      const heads = [
        head,
        ...LINKS.filter((l) => head.endsWith(l)).map((l) => head.slice(0, -l.length)),
      ].filter((h) => h.length >= MIN_PART && this.known.has(h));
      if (heads.length === 0) continue;
      if (this.known.has(tail)) return [heads[0] as string, tail];
      const rest = this.split(tail, depth + 1);
      if (rest.length > 0) return [heads[0] as string, ...rest];
    }
    return [];
  }
}

/** Distinct corpus words worth keeping in the lexicon. */
export function vocabularyOf(text: string): string[] {
  const out = new Set<string>();
  for (const w of words(text)) if (w.length >= MIN_PART && !STOPWORDS.has(w) && !/^\d+$/.test(w)) out.add(w);
  return [...out];
}

/**
 * Text for the full-text index and the query: the words in their own spelling (PostgreSQL's German stemmer folds
 * umlauts, ae/oe/ue and ß itself) plus the parts of every compound, so "Beschaffungskriterien" and "Kriterien der
 * Beschaffung" share lexemes. For a question, function words are dropped and phrases joined into known compounds.
 */
export function expandCompounds(
  text: string,
  lexicon: Lexicon,
  options: { question?: boolean } = {},
): string {
  const ws = options.question ? contentWords(text) : rawWords(text);
  const folded = ws.map(foldUmlauts);
  const extra: string[] = options.question ? lexicon.join(folded) : [];
  for (const w of folded) {
    const parts = lexicon.split(w);
    if (parts.length > 0) extra.push(...parts);
  }
  return [...ws, ...extra].join(" ");
}

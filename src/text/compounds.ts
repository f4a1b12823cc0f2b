import { germanEquivalents } from "./english.ts";
import { contentWords, foldUmlauts, rawWords, STOPWORDS, words } from "./normalize.ts";

const MIN_PART = 4;
const MIN_COMPOUND = 2 * MIN_PART;
/** Linking elements (Fugenelemente) that may end the first part: Beschaffung-s-kriterien, Klima-schutz. */
const LINKS = ["s", "es", "n", "en", "er", "e"];
/** Shortest word that typo correction considers: shorter words have too many neighbours. */
const TYPO_MIN = 6;
/** Inflectional endings: corpus words that differ only by one of these are forms of one word (Wärmeplan, -plans). */
const ENDINGS = ["n", "en", "e", "s", "es", "er", "ern", "ns"];

/** Optimal string alignment distance ≤ 1: one insertion, deletion, substitution or swap of neighbours. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i); // insertion or deletion
}

/** Vocabulary of the corpus: the words that count as parts of compounds. */
export class Lexicon {
  private readonly known: Set<string>;
  /** Corpus words by first letter, built on first use by correct(). */
  private byStart: Map<string, string[]> | undefined;

  constructor(entries: Iterable<string> = []) {
    this.known = new Set();
    for (const w of entries) this.add(w);
  }

  add(word: string): void {
    this.byStart = undefined;
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
   * The corpus word one typing slip away (a letter missing, added, replaced or two letters swapped), for words of at
   * least TYPO_MIN letters that the corpus does not know: "nachhaltigkeitshaushlat" → "nachhaltigkeitshaushalt".
   * Only words with the same first letter are compared, and only when exactly one corpus word is that close.
   */
  correct(word: string): string | undefined {
    if (word.length < TYPO_MIN || this.known.has(word)) return undefined;
    if (!this.byStart) {
      this.byStart = new Map();
      for (const w of this.known) {
        const key = w[0] as string;
        const list = this.byStart.get(key) ?? [];
        list.push(w);
        this.byStart.set(key, list);
      }
    }
    const hits = (this.byStart.get(word[0] as string) ?? []).filter(
      (w) => Math.abs(w.length - word.length) <= 1 && withinOneEdit(word, w),
    );
    if (hits.length <= 1) return hits[0];
    // Several neighbours that are forms of one word ("wärmeplann": Wärmeplan, Wärmeplans): the shortest stands for all.
    const base = [...hits].sort((a, b) => a.length - b.length)[0] as string;
    return hits.every((h) => h === base || (h.startsWith(base) && ENDINGS.includes(h.slice(base.length))))
      ? base
      : undefined;
  }

  /** The corpus form of a word that may be inflected differently there ("kühlschränken" → kühlschränke). */
  form(word: string): string | undefined {
    if (this.known.has(word)) return word;
    const bases = [word, ...ENDINGS.filter((e) => word.endsWith(e)).map((e) => word.slice(0, -e.length))];
    for (const b of bases) {
      if (b.length < MIN_PART) continue;
      if (this.known.has(b)) return b;
      for (const e of ENDINGS) if (this.known.has(b + e)) return b + e;
    }
    return undefined;
  }

  /**
   * Splits a compound into known parts (beschaffungskriterien → beschaffung, kriterien), longest head first;
   * returns [] when no split into known words exists.
   */
  split(word: string, depth = 0, options: { inflected?: boolean } = {}): string[] {
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
      // A question may inflect the last part otherwise than the corpus does (Bürokühlschränken → Kühlschränke).
      const form = options.inflected ? this.form(tail) : undefined;
      if (form) return [heads[0] as string, form];
      const rest = this.split(tail, depth + 1, options);
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
  const extra: string[] = options.question ? [...lexicon.join(folded), ...germanEquivalents(ws)] : [];
  for (const w of folded) {
    const fixed = options.question ? lexicon.correct(w) : undefined;
    if (fixed) extra.push(fixed);
    const parts = lexicon.split(fixed ?? w);
    if (parts.length > 0) extra.push(...parts);
  }
  return [...ws, ...extra].join(" ");
}

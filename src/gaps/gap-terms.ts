import type { Queryable } from "../db/database.ts";
import type { Stemmer } from "../retrieval/expand-question.ts";
import { stemSql } from "../retrieval/search-sql.ts";
import { GENERIC_NOUNS } from "../text/generic-nouns.ts";
import { contentWords, foldUmlauts } from "../text/normalize.ts";
import { loadThesaurus, type Thesaurus } from "../text/thesaurus.ts";
import { WORKPLACE_NOUNS } from "./workplace-nouns.ts";

/** A compound's part counts this much of the whole word ("Fahrrad" in "Dienstfahrrad"). */
const PART_WEIGHT = 0.6;
/** A word that is not a noun (verbs, adjectives) counts this much, as in retrieval's concept weights. */
const NON_NOUN_WEIGHT = 0.5;
/** Where-and-for-whom nouns (Büro, Rathaus, Beschäftigte) count this much: see workplace-nouns.ts. */
const WORKPLACE_WEIGHT = 0.25;
/** Shortest stem taken as a compound part: shorter ones are found inside unrelated words. */
const MIN_PART = 4;
/** A compound holds a part when this many letters are left for its other part. */
const MIN_REST = 3;
/** A thesaurus synonym that another question of the batch uses counts this much (retrieval's thesaurus weight). */
const SYNONYM_WEIGHT = 0.6;
/** Thesaurus senses looked at per word, as in retrieval. */
const MAX_SENSES = 6;
/** Shortest stem a typing slip is corrected in: shorter words have too many neighbours. */
const TYPO_MIN = 6;

/** The content terms of one question: stem → weight (1 for the question's own words, less for compound parts). */
export type TermBag = Map<string, number>;

/** The terms of a batch of questions, and the surface word each stem was written as most often (for names). */
export interface BatchTerms {
  bags: TermBag[];
  /** Per question, only its own words (no parts, no synonyms): what names a group. */
  own: TermBag[];
  /** Stem → the word (as typed, case of its most frequent spelling) that stands for it. */
  display: Map<string, string>;
}

/** The index's own stemmer (PostgreSQL 'german', as full-text search uses it) over a database connection. */
export function sqlStemmer(db: Queryable): Stemmer {
  return async (ws) => {
    const out = new Map<string, string[]>();
    if (ws.length === 0) return out;
    const { rows } = await db.query<{ w: string; l: string[] }>(stemSql, [ws]);
    for (const r of rows) out.set(r.w, r.l);
    return out;
  };
}

/** A stem ending in a plural -s the German stemmer does not remove (after a vowel, y or p): a loanword's plural. */
const isLoanPlural = (stem: string): boolean => stem.length >= 5 && /[aeiouyp]s$/.test(stem);

/** Whether compound `s` ends with part `p`, a loanword's plural part also in the singular ("Diensthandy" → "Handys"). */
const endsWithPart = (s: string, p: string): boolean =>
  s.endsWith(p) || (isLoanPlural(p) && s.endsWith(p.slice(0, -1)));

/** Optimal string alignment distance ≤ 1 (one letter missing, added, replaced, or two neighbours swapped). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length)
    return (
      a.slice(i + 1) === b.slice(i + 1) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2))
    );
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

interface TopicWord {
  /** As typed, capitals kept. */
  typed: string;
  /** Lower case, umlauts folded. */
  folded: string;
  /** Capitalised (or the question has no capitals): its thesaurus synonyms count. */
  noun: boolean;
  weight: number;
}

/** Words that, right after a sentence's first word, make it the finite verb of a question ("Stimmt es", "Verbraucht die"). */
const SUBJECT_WORDS = new Set(
  (
    "es ich wir man sie er du ihr der die das den dem des ein eine einen einem einer mein meine meinen unser unsere " +
    "unseren unserem jemand mir mich uns dir dich"
  ).split(" "),
);

/**
 * The capitalised first words of a question's sentences that are its verb, not a noun: German yes/no questions open
 * with the finite verb, followed by the subject ("Stimmt es, dass …", "Verbraucht die Kaffeemaschine …"). Folded.
 */
function questionVerbs(text: string): Set<string> {
  const out = new Set<string>();
  for (const sentence of text.normalize("NFC").split(/[.!?:;]\s+|\n+/u)) {
    const [first, second] = sentence.trim().split(/[^\p{L}\p{N}]+/u);
    if (first && second && SUBJECT_WORDS.has(foldUmlauts(second.toLowerCase())))
      out.add(foldUmlauts(first.toLowerCase()));
  }
  return out;
}

/** A where-and-for-whom word (workplace-nouns.ts) or the municipality's own name ("Musterstadt", "Musterstadts"). */
function isFraming(folded: string, names: ReadonlySet<string>): boolean {
  if (WORKPLACE_NOUNS.has(folded)) return true;
  for (const n of names) if (folded === n || folded === `${n}s`) return true;
  return false;
}

/** The words of a question that name its topic: content words, folded, without framing nouns and bare numbers. */
function topicWords(text: string, names: ReadonlySet<string>): TopicWord[] {
  // The spelling as typed, capitals kept: a group is named in the users' own words ("Jobticket", not "jobticket").
  const asTyped = new Map<string, string>();
  for (const t of text.normalize("NFC").split(/[^\p{L}\p{N}]+/u))
    if (t && !asTyped.has(t.toLowerCase())) asTyped.set(t.toLowerCase(), t);
  const ws = contentWords(text)
    .map((w) => ({ typed: asTyped.get(w) ?? w, folded: foldUmlauts(w) }))
    .filter((w) => w.folded.length >= 2 && !GENERIC_NOUNS.has(w.folded) && !/^\d+$/.test(w.folded));
  // As retrieval weighs a question's words: capitalised ones are German nouns and carry the topic; in a question
  // typed all in lower case nothing tells them apart, and every word counts fully.
  const openers = questionVerbs(text);
  const capital = (w: { typed: string; folded: string }) =>
    /^\p{Lu}/u.test(w.typed) && !openers.has(w.folded);
  const anyNoun = ws.some(capital);
  const out: TopicWord[] = ws.map((w) => ({
    ...w,
    noun: !anyNoun || capital(w),
    weight: isFraming(w.folded, names) ? WORKPLACE_WEIGHT : !anyNoun || capital(w) ? 1 : NON_NOUN_WEIGHT,
  }));
  // A hyphenated compound is also the word written together ("Home-Office", "Job-Ticket": Homeoffice, Jobticket).
  for (const m of text.normalize("NFC").matchAll(/\p{L}+(?:-\p{L}+)+/gu)) {
    const typed = m[0];
    const folded = foldUmlauts(typed.replace(/-/g, "").toLowerCase());
    if (folded.length >= 2 && !out.some((w) => w.folded === folded))
      out.push({
        typed,
        folded,
        noun: true,
        weight: !anyNoun || /^\p{Lu}/u.test(typed) ? 1 : NON_NOUN_WEIGHT,
      });
  }
  return out;
}

/**
 * Content terms of each question as retrieval normalises them: German and chat function words out, umlauts folded,
 * stemmed by the index's stemmer; a typing slip of a stem another question has is read as that stem; a compound
 * also counts the stems of other questions that it begins or ends with (Dienstfahrrad → Fahrrad, Jobticketzuschuss
 * → Jobticket, Zuschuss), at a lower weight — the batch is its own lexicon, as the corpus is the retrieval's.
 * `names` are the municipality's own names (its tenant id, its display name): they frame a question, like "Rathaus".
 */
export async function batchTerms(
  texts: readonly string[],
  stem: Stemmer,
  thesaurus: Thesaurus = loadThesaurus(),
  names: readonly string[] = [],
): Promise<BatchTerms> {
  const folded = new Set(names.map((n) => foldUmlauts(n.toLowerCase())));
  const perText = texts.map((t) => topicWords(t, folded));
  const unique = [...new Set(perText.flat().map((w) => w.folded))].sort();
  // Synonyms of the nouns (Fahrrad → Bike, Kantine → Mensa), single words only; kept below where another question has them.
  const synonymsOf = new Map<string, string[]>();
  for (const w of new Set(
    perText
      .flat()
      .filter((x) => x.noun)
      .map((x) => x.typed.toLowerCase()),
  )) {
    const terms = thesaurus
      .senses(w)
      .slice(0, MAX_SENSES)
      .flat()
      .filter((t) => !/\s/.test(t))
      .map((t) => foldUmlauts(t.toLowerCase()));
    synonymsOf.set(
      foldUmlauts(w),
      [...new Set(terms)].filter((t) => t !== foldUmlauts(w)),
    );
  }
  const stems = await stem([...new Set([...unique, ...[...synonymsOf.values()].flat()])].sort());
  const stemOf = (w: string) => stems.get(w)?.[0];

  // Spellings per stem (for display) and how many questions use each stem (for typo correction).
  const spellings = new Map<string, Map<string, number>>();
  const df = new Map<string, number>();
  for (const ws of perText) {
    const seen = new Set<string>();
    for (const w of ws) {
      const s = stemOf(w.folded);
      if (!s) continue;
      const sp = spellings.get(s) ?? new Map<string, number>();
      const shown = w.typed.length > 0 ? w.typed : w.folded;
      sp.set(shown, (sp.get(shown) ?? 0) + 1);
      spellings.set(s, sp);
      if (!seen.has(s)) df.set(s, (df.get(s) ?? 0) + 1);
      seen.add(s);
    }
  }
  // A rarer stem one slip away from a more frequent one is that one (Dienstfahrad → Dienstfahrrad).
  const byFrequency = [...df.keys()].sort(
    (a, b) => (df.get(b) ?? 0) - (df.get(a) ?? 0) || a.localeCompare(b),
  );
  const canonical = new Map<string, string>();
  for (const [i, s] of byFrequency.entries()) {
    canonical.set(s, s);
    if (s.length < TYPO_MIN) continue;
    for (const t of byFrequency.slice(0, i))
      if (canonical.get(t) === t && t[0] === s[0] && t.length >= TYPO_MIN && withinOneEdit(s, t)) {
        canonical.set(s, t);
        break;
      }
  }
  // A loanword's plural -s, which the German stemmer keeps after a vowel, y or p ("Handys", "Laptops", "Autos"), is
  // the singular another question wrote ("Handy").
  for (const [x, c] of canonical)
    if (c === x && isLoanPlural(x) && canonical.get(x.slice(0, -1)) === x.slice(0, -1))
      canonical.set(x, x.slice(0, -1));
  const present = new Set(canonical.values());
  // Stems of framing words: as the part of a compound they frame too ("Musterstadt" → "Stadt", "Rathausdach" → "Rathaus").
  const framing = new Set(
    perText
      .flat()
      .filter((w) => w.weight === WORKPLACE_WEIGHT)
      .map((w) => stemOf(w.folded))
      .filter((x): x is string => x !== undefined),
  );
  const parts = [...present].filter((s) => s.length >= MIN_PART);

  const own: TermBag[] = [];
  const bags = perText.map((ws) => {
    const bag: TermBag = new Map();
    const mine: TermBag = new Map();
    own.push(mine);
    const add = (t: string, w: number) => bag.set(t, Math.max(bag.get(t) ?? 0, w));
    for (const w of ws) {
      const raw = stemOf(w.folded);
      const s = raw ? (canonical.get(raw) ?? raw) : undefined;
      if (!s) continue;
      add(s, w.weight);
      mine.set(s, Math.max(mine.get(s) ?? 0, w.weight));
      for (const syn of synonymsOf.get(w.folded) ?? []) {
        const t = stemOf(syn);
        if (t && t !== s && present.has(t)) add(t, SYNONYM_WEIGHT * w.weight);
      }
      for (const p of parts)
        if (p !== s && s.length >= p.length + MIN_REST && (endsWithPart(s, p) || s.startsWith(p)))
          add(p, PART_WEIGHT * w.weight * (framing.has(p) ? WORKPLACE_WEIGHT : 1));
    }
    return bag;
  });

  const display = new Map<string, string>();
  for (const [s, sp] of spellings) {
    const target = canonical.get(s) ?? s;
    if (display.has(target) && target !== s) continue;
    const best = [...sp.entries()].sort(
      (a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]),
    )[0];
    if (best) display.set(target, best[0]);
  }
  return { bags, own, display };
}

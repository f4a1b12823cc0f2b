import { germanEquivalents, looksEnglish } from "../text/english.ts";
import { GENERIC_NOUNS } from "../text/generic-nouns.ts";
import { englishBaseForms } from "../text/lemma.ts";
import { contentWords, foldUmlauts, rawWords } from "../text/normalize.ts";
import { compoundCandidates } from "./compound-candidates.ts";
import { type Alternative, type AlternativeSource, type Concept, WEIGHTS } from "./concepts.ts";
import type { QueryVocabulary } from "./query-vocabulary.ts";

/** Stems words with the index's own stemmer (PostgreSQL 'german'), word → lexemes. */
export type Stemmer = (words: string[]) => Promise<Map<string, string[]>>;

/** An alternative before its lexemes are known. */
export type Candidate = {
  term: string;
  source: AlternativeSource;
  weight: number;
  sense?: string;
  origin?: string;
};

/**
 * A word the corpus lacks counts as this share of the rarest possible word: rare still, but no longer heavier than
 * every word the corpus has, so a place name or an odd word of the question ("Lissabon", "Marktplatz") does not
 * sink an answer the other words find (measured on test/eval; see README).
 */
const UNKNOWN_RARITY = 0.7;
/** Weight of a word that is not a noun in the question. */
const NON_NOUN_WEIGHT = 0.5;
/** At most this many terms per thesaurus sense or English word: more would flood the full-text ranking. */
const MAX_TERMS = 6;
/** Thesaurus senses looked at per word. */
const MAX_SENSES = 6;

/**
 * Capitalised words of the question, folded: in German these are nouns, which carry a question's topic. A
 * capitalised first word counts too; function words ("Wie", "Welche") never reach this test, and framing nouns
 * ("Info", "Nummer", "Betrag") count as no noun.
 */
function nounSet(question: string): Set<string> {
  const out = new Set<string>();
  // Each part of a hyphenated word on its own: "EU-weit" is an adjective, "IT-Hardware" a noun.
  for (const w of question.normalize("NFC").split(/[^\p{L}\p{N}]+/u)) {
    const folded = foldUmlauts(w.toLowerCase());
    if (/^\p{Lu}/u.test(w) && !GENERIC_NOUNS.has(folded)) out.add(folded);
  }
  return out;
}

/**
 * Concepts of a question, each with the corpus terms that may stand for it: the word itself, the municipality's
 * synonyms, thesaurus senses (chosen later by the rest of the question), compound head and parts or a typo fix for
 * words the corpus lacks, and German words for English ones. Only terms whose lexemes occur in the corpus are kept.
 * Words of one lexeme ("Bürgerinnen und Bürger") are one concept.
 */
export async function expandQuestion(
  question: string,
  tenant: string,
  vocab: QueryVocabulary,
  stem: Stemmer,
): Promise<Concept[]> {
  const english = looksEnglish(rawWords(question));
  const folded = [...new Set(contentWords(question).map(foldUmlauts))];
  // English capitalises names, not nouns ("Lisbon"): no word of an English question is a noun by its capital.
  const nouns = english ? new Set<string>() : nounSet(question);
  const stemMissing = async (ws: string[]) => {
    const needed = [...new Set(ws.filter((w) => !vocab.stemOf(w)))];
    if (needed.length > 0) for (const [w, l] of await stem(needed)) vocab.rememberStem(w, l);
  };
  await stemMissing(folded);
  const lexemesOf = (w: string) => vocab.stemOf(w) ?? [];
  const knownWord = (w: string) => lexemesOf(w).some((l) => vocab.inCorpus(l));
  const joined = vocab.lexicon.join(folded);

  // One concept per lexeme: the first spelling stands for the others.
  const words: string[] = [];
  const seenLexemes = new Set<string>();
  for (const w of folded) {
    const own = lexemesOf(w);
    // No lexeme: a stop word of PostgreSQL's German dictionary ("selbst"), which the index does not hold either.
    if (own.length === 0 || own.every((l) => seenLexemes.has(l))) continue;
    for (const l of own) seenLexemes.add(l);
    words.push(w);
  }

  const candidates = new Map<string, Candidate[]>();
  for (const word of words) {
    const known = knownWord(word);
    const noun = nouns.has(word);
    const list: Candidate[] = [];
    for (const c of joined)
      if (c.includes(word) || word.includes(c))
        list.push({ term: c, source: "joined", weight: WEIGHTS.joined });
    for (const g of vocab.synonymsOf(word, lexemesOf(word), tenant))
      for (const t of g.terms)
        list.push({
          term: t,
          source: "synonym",
          weight: WEIGHTS.synonym,
          origin: `${g.group.file}:${g.group.line}`,
        });
    const fixed = known ? undefined : vocab.lexicon.correct(word);
    if (fixed) list.push({ term: fixed, source: "typo", weight: WEIGHTS.typo });
    // English for an English question, or for a word the corpus lacks ("Meeting"): German "Rat" is no rat.
    if (english || !known)
      for (const g of englishWords(vocab, word).slice(0, MAX_TERMS * 2))
        list.push({ term: g, source: "english", weight: WEIGHTS.english });
    // Synonyms of a known word add little but noise, except for nouns, where they may be the sense meant (Monitor).
    if (!known || noun)
      for (const sense of vocab.sensesOf(fixed ?? word).slice(0, MAX_SENSES))
        for (const t of sense.terms.slice(0, MAX_TERMS))
          list.push({ term: t, source: "thesaurus", weight: WEIGHTS.thesaurus, sense: sense.label });
    if (!known && !fixed) list.push(...compoundCandidates(word, vocab));
    candidates.set(word, list);
  }
  await stemMissing([...candidates.values()].flat().map((c) => c.term));

  const anyNoun = words.some((w) => nouns.has(w));
  const n = Math.max(vocab.totalChunks, 1);
  const idf = (df: number) => Math.log(1 + n / (df + 0.5));
  return words.map((word) => {
    const own = lexemesOf(word);
    const taken = new Set(own);
    // An English word whose German stem the corpus has is mostly a false friend ("plane" → Plan, "take" → Takt),
    // unless the corpus writes the word itself ("Monitoring", "Review", "CSRD").
    const ownWeight = english && !vocab.isWord(word) ? WEIGHTS.englishLiteral : WEIGHTS.own;
    const alternatives: Alternative[] = [{ term: word, lexemes: own, source: "own", weight: ownWeight }];
    for (const c of candidates.get(word) ?? []) {
      const lexemes = lexemesOf(c.term).filter((l) => vocab.inCorpus(l) && !taken.has(l));
      if (lexemes.length === 0) continue;
      for (const l of lexemes) taken.add(l);
      alternatives.push({ ...c, lexemes });
    }
    const known = knownWord(word);
    const noun = nouns.has(word);
    // A word the corpus lacks is about as rare as can be: its concept weighs much, whichever alternative covers it.
    const rarity = known
      ? Math.max(...own.filter((l) => vocab.inCorpus(l)).map((l) => idf(vocab.df(l))))
      : idf(0) * UNKNOWN_RARITY;
    return {
      word,
      noun,
      weight: rarity * (noun || (!anyNoun && !GENERIC_NOUNS.has(word)) ? 1 : NON_NOUN_WEIGHT),
      known: alternatives.some((a) => a.lexemes.some((l) => vocab.inCorpus(l))),
      key: false,
      alternatives,
      rejected: [],
    };
  });
}

/** German words for an English word: the project's glossary first, then the dictionary (single words only). */
function englishWords(vocab: QueryVocabulary, word: string): string[] {
  if (/\d/.test(word)) return [];
  const out = germanEquivalents([word]).map((g) => foldUmlauts(g.toLowerCase()));
  for (const b of englishBaseForms(word))
    for (const g of vocab.englishOf(b)) {
      const t = foldUmlauts(g.trim().toLowerCase());
      if (t && !/\s/.test(t) && !out.includes(t)) out.push(t);
    }
  return out;
}

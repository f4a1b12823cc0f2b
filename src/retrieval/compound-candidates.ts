import { STOPWORDS } from "../text/normalize.ts";
import { WEIGHTS } from "./concepts.ts";
import type { Candidate } from "./expand-question.ts";
import type { QueryVocabulary } from "./query-vocabulary.ts";

/** Shortest compound head looked up in an unknown word ("bus" in "Linienbus"). */
const MIN_HEAD = 3;
/** Stems shorter than this match corpus words only by a plural ending. */
const SHORT_STEM = 5;
/** Shortest first part of a compound looked up beside its head ("natursteinpflaster" → Natursteine, Pflaster). */
const MIN_MODIFIER = 4;
/** Endings by which a corpus word may differ from a compound's head or first part: inflection only ("Busse"). */
const INFLECTION = /^(?:e|n|en|s|es|er|ern|se|sen|ne|nen)?$/;
/** Shortest head for which corpus compounds with the same head count (Plastikgeschirr → Einweggeschirr). */
const MIN_SIBLING_HEAD = 5;
const MAX_SIBLINGS = 6;

/**
 * For a compound the corpus lacks: its parts where it splits into corpus words (Schulsanierung → Schule,
 * Sanierung), else its longest head the corpus has (Linienbus → Busse), else corpus compounds with the same head
 * (Plastikgeschirr → Einweggeschirr), each with the head's thesaurus senses at a lower weight. The head says what the
 * thing is; the first part only narrows it.
 */
export function compoundCandidates(word: string, vocab: QueryVocabulary): Candidate[] {
  const out: Candidate[] = [];
  const headSenses = (head: string) => {
    for (const s of vocab.sensesOf(head))
      for (const t of s.terms.slice(0, 3))
        out.push({
          term: t,
          source: "compound",
          weight: WEIGHTS.compoundHead * WEIGHTS.thesaurus,
          sense: `${head}: ${s.label}`,
        });
  };
  const parts = vocab.lexicon.split(word, 0, { inflected: true });
  if (parts.length > 0) {
    const head = parts[parts.length - 1] as string;
    const sense = `Kompositum ${parts.join(" + ")}`;
    out.push({ term: head, source: "compound", weight: WEIGHTS.compoundHead, sense });
    for (const p of parts.slice(0, -1))
      out.push({ term: p, source: "compound", weight: WEIGHTS.compoundPart, sense });
    headSenses(head);
    return out;
  }
  for (let i = 1; word.length - i >= MIN_HEAD; i++) {
    const head = word.slice(i);
    const forms = inflected(head, vocab);
    if (forms.length > 0) {
      const sense = `Kopf ${head}`;
      for (const f of forms.slice(0, 3))
        out.push({ term: f, source: "compound", weight: WEIGHTS.compoundHead, sense });
      // The first part narrows the head: Natursteine for "Natursteinpflaster", where the corpus has no Pflaster of it.
      const modifier = word.slice(0, i).replace(/(?<=[a-z]{3})s$/, "");
      if (modifier.length >= MIN_MODIFIER)
        for (const f of inflected(modifier, vocab).slice(0, 2))
          out.push({ term: f, source: "compound", weight: WEIGHTS.compoundPart, sense: `Teil ${modifier}` });
      headSenses(head);
      return out;
    }
    if (head.length >= MIN_SIBLING_HEAD && vocab.isWord(head)) {
      const siblings = vocab.words.filter((w) => w.endsWith(head) && w.length >= head.length + 3);
      if (siblings.length > 0) {
        const sense = `Komposita auf -${head}`;
        for (const s of siblings.slice(0, MAX_SIBLINGS))
          out.push({ term: s, source: "compound", weight: WEIGHTS.compoundSibling, sense });
        return out;
      }
    }
  }
  return out;
}

/**
 * Corpus words that are `stem` or one of its inflected forms ("bus" → busse; never "term" → termin). A stem this short
 * matches too much by ending ("pas" → passen, "ken" → kennen): only a plural ending then.
 */
function inflected(stem: string, vocab: QueryVocabulary): string[] {
  // A function word is no compound's part ("Ratsmitglieder" does not end in "der" → "deren").
  if (STOPWORDS.has(stem)) return [];
  const endings = stem.length < SHORT_STEM ? /^(?:se|sse|e|en)?$/ : INFLECTION;
  return vocab.words.filter((w) => w.startsWith(stem) && endings.test(w.slice(stem.length)));
}

/**
 * Base-form guesses for dictionary look-ups: thesaurus and dictionary entries are base forms ("Monitor", "Bürgerin",
 * "threshold"), questions and documents inflect them ("Monitoren", "Bürgerinnen", "thresholds"). Wrong guesses are
 * harmless: a guess counts only where the dictionary knows it, and expansions are kept only where the corpus has them.
 */

/** German endings, longest first, with what replaces them. */
const GERMAN_ENDINGS: [string, string][] = [
  ["innen", "in"],
  ["ungen", "ung"],
  ["nen", ""],
  ["ern", ""],
  ["en", ""],
  ["er", ""],
  ["es", ""],
  ["em", ""],
  ["e", ""],
  ["n", ""],
  ["s", ""],
  ["t", "en"],
  ["te", "en"],
  ["st", "en"],
];

/** The word and its likely German base forms (lower-case; at least three letters remain). */
export function germanBaseForms(word: string): string[] {
  const w = word.toLowerCase();
  const out = [w];
  for (const [end, repl] of GERMAN_ENDINGS)
    if (w.endsWith(end) && w.length - end.length >= 3) {
      const base = w.slice(0, -end.length) + repl;
      if (!out.includes(base)) out.push(base);
    }
  return out;
}

/** The word and its likely English singular (lower-case). */
export function englishBaseForms(word: string): string[] {
  const w = word.toLowerCase();
  const out = [w];
  const add = (x: string) => {
    if (x.length >= 2 && !out.includes(x)) out.push(x);
  };
  if (w.endsWith("ies")) add(`${w.slice(0, -3)}y`);
  if (w.endsWith("es")) add(w.slice(0, -2));
  if (w.endsWith("s") && !w.endsWith("ss")) add(w.slice(0, -1));
  if (w.endsWith("ing") && w.length > 5) add(w.slice(0, -3));
  if (w.endsWith("ed") && w.length > 4) add(w.slice(0, -2));
  return out;
}

const UNFOLD: [RegExp, string][] = [
  [/ae/g, "ä"],
  [/oe/g, "ö"],
  [/ue/g, "ü"],
];

/**
 * Spellings of a folded word (ae/oe/ue as written in the corpus index) that a dictionary with umlauts may list:
 * the word itself and the word with every ae, oe, ue as an umlaut ("ueberwachung" → "überwachung"). "Steuerung"
 * keeps its own spelling as the first.
 */
export function umlautSpellings(folded: string): string[] {
  let u = folded;
  for (const [re, ch] of UNFOLD) u = u.replace(re, ch);
  return u === folded ? [folded] : [folded, u];
}

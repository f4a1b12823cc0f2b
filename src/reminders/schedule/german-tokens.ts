import { fold } from "./german-words.ts";

/** A word of the phrase, folded for matching, with its place in the original text (for the reminder text after it). */
export interface Token {
  w: string;
  start: number;
  end: number;
}

/** Splits a phrase into folded words; commas, semicolons, quotes and brackets only separate. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[^\s,;!?()"„“”»«]+/g)) {
    let w = fold(m[0]).replace(/^['‚‘’]+|['‚‘’]+$/g, "");
    // A trailing period ends a sentence on a word ("Monats."), but is part of a date or ordinal ("31.3.", "15.").
    if (!/^\d/.test(w)) w = w.replace(/\.+$/, "");
    if (w !== "") out.push({ w, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

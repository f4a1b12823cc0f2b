import type { Passage } from "../retrieval/retriever.ts";
import { words } from "../text/normalize.ts";
import type { Scored } from "./lead.ts";
import { carried, type Term } from "./sentence-score.ts";

/** What kind of fact a question asks for, so that the answer text can be checked to carry it. */
export type Asked = "figure" | "date" | "polarity";

const FIGURE =
  /\b(wie\s+(viele?|hoch|gro(ß|ss)|lange?|weit|warm|kalt|oft|teuer|schwer|fr(ü|ue)h)|ab\s+welche[mrn]?|welche[rsmn]?\s+(wert|betrag|summe|schwellenwert|grenze|quote|anteil|h(ö|oe)he|temperatur|anzahl)|wert|betrag|schwellenwert|wertgrenze|quote|prozent|nummer\w*|how\s+(much|many|high))\b/i;
const DATE = /\b(bis\s+wann|ab\s+wann|seit\s+wann|wann|frist|stichtag|deadline|when|until)\b/i;
/** A German yes/no question starts with its finite verb ("Darf ich …", "Muss die Stadt …", "Gilt …"). */
const POLARITY_START =
  /^(darf|d(ü|ue)rfen|muss|m(ü|ue)ssen|kann|k(ö|oe)nnen|soll|sollen|sollte|sollten|ist|sind|gilt|gelten|gibt|brauche|brauchen|braucht|bekomme|bekommen|h(ä|ae)ngt|z(ä|ae)hlt|z(ä|ae)hlen|reicht|fallen|f(ä|ae)llt|geh(ö|oe)rt|betrifft|besteht|haben|hat|werden|wird|may|must|can|is|are|do|does)\b/i;

/** The kinds of fact a question asks for ("Ab welchem Wert …" → figure, "Bis wann …" → date, "Darf ich …" → yes/no). */
export function asks(question: string): Set<Asked> {
  const q = question.trim().replace(/^(und|aber|also|sag\s+mal|kurze\s+frage)[,:]?\s+/i, "");
  const out = new Set<Asked>();
  if (FIGURE.test(q)) out.add("figure");
  if (DATE.test(q)) out.add("date");
  if (POLARITY_START.test(q)) out.add("polarity");
  return out;
}

/** A figure: digits or a number word; dates, years and paragraph numbers ("§ 6", "Abs. 3") are not figures. */
const NUMBER =
  /\d|\b(eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|fünfzig|hundert|tausend|hälfte|drittel|viertel|doppelt)\b/i;
const NOT_FIGURES =
  /§+\s*\d+\w*|\b(Abs|Nr|Art|Ziff|Satz)\.?\s*\d+\w*|\b\d{1,2}\.\s?(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b|\b\d{1,2}\.\d{1,2}\.(\d{2,4})?|\b(19|20)\d{2}\b|\b[A-Z]{1,4}-?\d+\b/g;
const DATE_IN =
  /\b(\d{1,2}\.\s?(januar|februar|m(ä|ae)rz|april|mai|juni|juli|august|september|oktober|november|dezember)|\d{1,2}\.\d{1,2}\.(\d{2,4})?|(19|20)\d{2}|j(ä|ae)hrlich|monatlich|quartal|sofort|ab\s+sofort|unbefristet|jederzeit)\b/i;
/** Words that settle a yes/no question: an explicit answer, a prohibition, a permission or an obligation. */
const POLARITY_IN =
  /\b(ja|nein|nicht|kein(e[nmrs]?)?|nie|nur|erlaubt|verboten|untersagt|zul(ä|ae)ssig|unzul(ä|ae)ssig|pflicht\w*|verpflicht\w*|freiwillig|vorgeschrieben|verbindlich|muss|m(ü|ue)ssen|darf|d(ü|ue)rfen|ausgeschlossen|gilt|gelten|ausnahme\w*)\b/i;

/** Whether a sentence carries the kind of fact asked for. */
export function carriesAsked(sentence: string, kind: Asked): boolean {
  if (kind === "figure") return NUMBER.test(sentence.replace(NOT_FIGURES, " "));
  if (kind === "date") return DATE_IN.test(sentence);
  return POLARITY_IN.test(sentence);
}

/** One question of several asked at once, with the kinds of fact it asks for. */
export interface QuestionPart {
  text: string;
  asks: Set<Asked>;
}

/** A part of at most this many words without a verb of its own repeats the question before it. */
const ELLIPTIC_WORDS = 3;

/**
 * Where a question asks a second one: "und" (after a comma or not) before a question word or a finite verb that opens
 * a question ("… einsparen und wie viel bringt …", "… Indikatoren, und bis wann kommen …", "… Klima und müssen wir
 * …"), or a question mark with more text after it.
 */
const PART_BREAK =
  /\?\s+(?=\S)|\s*[,;]?\s+und\s+(?=(?:wie|was|wer|wen|wem|wessen|wann|bis\s+wann|ab\s+wann|seit\s+wann|welche[rsmn]?|wo|wohin|woher|warum|weshalb|wieso|ob|muss|m(?:ü|ue)ssen|darf|d(?:ü|ue)rfen|kann|k(?:ö|oe)nnen|soll|sollen|gilt|gelten|gibt|ist|sind|braucht?|brauchen|hat|haben|wird|werden)\b)/i;

/**
 * The questions a question asks ("Wie viel müssen wir laut EnEfG jährlich einsparen und wie viel bringt das Verhalten
 * der Beschäftigten?" → two, each asking for a figure); one part for a question that asks one thing.
 */
export function questionParts(question: string): QuestionPart[] {
  const texts = question
    .split(PART_BREAK)
    .map((t) => t.trim())
    .filter((t) => /\p{L}/u.test(t));
  const parts = texts.map((text) => ({ text, asks: asks(text) }));
  // An elliptic part ("Welche Quote gilt für Busse und welche für Lkw?") asks what the part before it asks.
  parts.forEach((part, i) => {
    const before = parts[i - 1];
    if (before && part.asks.size === 0 && part.text.split(/\s+/).length <= ELLIPTIC_WORDS)
      part.asks = new Set(before.asks);
  });
  return parts;
}

/**
 * How much a unit is about one part of a question: the weight of that part's terms it carries (the question's key
 * concept also for a part that names no noun: "Bis wann musste unser Wärmeplan stehen und wie oft wird er
 * fortgeschrieben?"), less the weight of the other parts' terms. A section's opening answers the question its heading
 * asks, so the opening also carries this part's terms of its title and heading.
 */
export function partWeight(
  terms: Term[],
  parts: QuestionPart[],
  n: number,
  passages: Passage[],
  units: Scored[][],
): (p: number, u: Scored) => number {
  const partOf = (t: Term) => parts.findIndex((q) => words(q.text).includes(t.word));
  // A part without a noun of its own ("… und wie oft wird er fortgeschrieben?") is about the question's key concept.
  const ownNoun = terms.some((t) => t.noun && partOf(t) === n);
  const mine = new Set(terms.filter((t) => partOf(t) === n || (t.topic && !ownNoun)).map((t) => t.key));
  const others = new Set(terms.filter((t) => !mine.has(t.key) && partOf(t) >= 0).map((t) => t.key));
  const headings = passages.map((p) => carried(`${p.title} ${p.section.split(" > ").at(-1) ?? ""}`, terms));
  return (p, u) => {
    const lex = new Map(u.lex);
    // The heading speaks for the opening, not against it: only this part's terms count from there.
    if (u.block === units[p]?.[0]?.block)
      for (const [t, w] of headings[p] ?? []) if (mine.has(t)) lex.set(t, Math.max(lex.get(t) ?? 0, w));
    let sum = 0;
    for (const [t, w] of lex) sum += mine.has(t) ? w : others.has(t) ? -w : 0;
    return sum;
  };
}

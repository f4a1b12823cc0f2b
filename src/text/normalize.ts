/** German text normalisation shared by indexing and querying, so that both sides meet in the same form. */
import { ENGLISH_STOPWORDS } from "./english.ts";
import { QUESTION_FILLERS } from "./question-fillers.ts";

const UMLAUTS: Record<string, string> = {
  ä: "ae",
  ö: "oe",
  ü: "ue",
  ß: "ss",
  Ä: "Ae",
  Ö: "Oe",
  Ü: "Ue",
  ẞ: "SS",
};

/** Wärme → Waerme, Maß → Mass: both spellings then stem to the same lexeme. */
export function foldUmlauts(text: string): string {
  return text.replace(/[äöüßÄÖÜẞ]/g, (ch) => UMLAUTS[ch] ?? ch);
}

/** Lower-cased words of letters and digits (umlauts folded), in order. */
export function words(text: string): string[] {
  return foldUmlauts(text.normalize("NFC"))
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Lower-cased words in their original spelling (umlauts kept, for PostgreSQL's German stemmer and stop words). */
export function rawWords(text: string): string[] {
  return text
    .normalize("NFC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** The words of a question that carry content: German and English function words, question words and chat fillers removed. */
export function contentWords(text: string): string[] {
  return rawWords(text).filter((w) => {
    const f = foldUmlauts(w);
    return !STOPWORDS.has(f) && !QUESTION_FILLERS.has(f) && !ENGLISH_STOPWORDS.has(w);
  });
}

/** Snowball's folding for comparing a stem with a word: ä→a, ö→o, ü→u, ß→ss. */
export function snowballFold(word: string): string {
  return word.toLowerCase().replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u").replace(/ß/g, "ss");
}

/**
 * Capitalised words that do not open a sentence: in German these are nouns, which carry a question's topic
 * ("Stadtwerke", "CSRD"), while verbs and adjectives ("erstellen", "neu") mostly do not.
 */
export function nouns(text: string): string[] {
  const out: string[] = [];
  for (const sentence of text.normalize("NFC").split(/[.!?]+\s*/)) {
    const ws = sentence.split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
    ws.forEach((w, i) => {
      if (i > 0 && /^\p{Lu}/u.test(w)) out.push(...w.split("-").map(snowballFold));
    });
  }
  return out;
}

/** Frequent German function words: never compound parts, never evidence. */
export const STOPWORDS = new Set(
  (
    "aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus bei " +
    "beim bin bis bist da damit dann das dass dein deine dem den denn der des dessen dich die dies diese diesem diesen " +
    "dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer fuer gegen gewesen " +
    "hab habe haben hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden jeder " +
    "jedes jetzt kann kein keine koennen man manche mein mich mir mit muss muessen nach nicht nichts noch nun nur ob " +
    "oder ohne sehr sein seine sich sie sind so solche soll sollen sondern ueber um und uns unser unsere unter viel " +
    "vom von vor wann war waren warum was weil welche welchem welchen welcher welches wenn wer werden wie wieder will " +
    "wir wird wo wollen zu zum zur zwar zwischen gibt darf duerfen ab gilt gelten brauche brauchen bitte meine meinen " +
    "meinem meiner mich wieviel wieviele viele sollte sollten koennte muesste eigentlich genau bei beim"
  ).split(" "),
);

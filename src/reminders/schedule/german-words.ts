import { GERMAN_MONTHS } from "../../knowledge/german-dates.ts";
/** RFC 5545 weekday codes in ISO order (Monday = index 0). */
export const WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

/** German weekday names in ISO order. */
export const WEEKDAY_NAMES = [
  "Montag",
  "Dienstag",
  "Mittwoch",
  "Donnerstag",
  "Freitag",
  "Samstag",
  "Sonntag",
];

/** German month names, January first (the knowledge base's date checks read the same names). */
export const MONTH_NAMES: readonly string[] = GERMAN_MONTHS;

/** Lower case with umlauts and ß folded to their ASCII spellings, so "täglich" and "taeglich" read alike. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replaceAll("ä", "ae")
    .replaceAll("ö", "oe")
    .replaceAll("ü", "ue")
    .replaceAll("ß", "ss")
    .replace(/[\u2010-\u2015]/g, "-");
}

const WEEKDAY_WORDS: Record<string, WeekdayCode> = {
  montag: "MO",
  dienstag: "TU",
  mittwoch: "WE",
  donnerstag: "TH",
  freitag: "FR",
  samstag: "SA",
  sonnabend: "SA",
  sonntag: "SU",
};

/** A folded weekday word: "montag" (singular) or "montags" (plural, i.e. every Monday). */
export function weekdayWord(word: string): { code: WeekdayCode; plural: boolean } | undefined {
  const singular = WEEKDAY_WORDS[word];
  if (singular) return { code: singular, plural: false };
  const plural = word.endsWith("s") ? WEEKDAY_WORDS[word.slice(0, -1)] : undefined;
  return plural ? { code: plural, plural: true } : undefined;
}

const MONTH_WORDS: Record<string, number> = {
  januar: 1,
  jaenner: 1,
  jan: 1,
  februar: 2,
  feber: 2,
  feb: 2,
  maerz: 3,
  mrz: 3,
  mar: 3,
  april: 4,
  apr: 4,
  mai: 5,
  juni: 6,
  jun: 6,
  juli: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  dezember: 12,
  dez: 12,
};

/** A folded month name or abbreviation as 1–12. */
export function monthWord(word: string): number | undefined {
  return MONTH_WORDS[word];
}

const NUMBER_WORDS: Record<string, number> = {
  ein: 1,
  eine: 1,
  einen: 1,
  einem: 1,
  einer: 1,
  eins: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  fuenf: 5,
  sechs: 6,
  sieben: 7,
  acht: 8,
  neun: 9,
  zehn: 10,
  elf: 11,
  zwoelf: 12,
  vierzehn: 14,
};

/** A cardinal: digits or a number word ("zwei", "einer"). */
export function cardinal(word: string): number | undefined {
  if (/^\d{1,3}$/.test(word)) return Number(word);
  return NUMBER_WORDS[word];
}

const ORDINAL_WORDS: Record<string, number> = {
  erste: 1,
  ersten: 1,
  erster: 1,
  zweite: 2,
  zweiten: 2,
  zweiter: 2,
  dritte: 3,
  dritten: 3,
  dritter: 3,
  vierte: 4,
  vierten: 4,
  vierter: 4,
  fuenfte: 5,
  fuenften: 5,
  fuenfter: 5,
  letzte: -1,
  letzten: -1,
  letzter: -1,
  vorletzte: -2,
  vorletzten: -2,
  vorletzter: -2,
};

/** An ordinal word ("ersten", "letzten" = -1) or a numeric ordinal ("3."). */
export function ordinal(word: string): number | undefined {
  const m = /^(\d{1,2})\.$/.exec(word);
  if (m) return Number(m[1]);
  return ORDINAL_WORDS[word];
}

const ORDINAL_TEXT: Record<number, string> = {
  1: "ersten",
  2: "zweiten",
  3: "dritten",
  4: "vierten",
  5: "fünften",
  [-1]: "letzten",
  [-2]: "vorletzten",
};

/** The German ordinal for BYDAY/BYSETPOS positions ("ersten", "letzten"). */
export function ordinalText(n: number): string {
  return ORDINAL_TEXT[n] ?? `${n}.`;
}

const CARDINAL_TEXT = [
  "null",
  "ein",
  "zwei",
  "drei",
  "vier",
  "fünf",
  "sechs",
  "sieben",
  "acht",
  "neun",
  "zehn",
  "elf",
  "zwölf",
];

/** A small interval in words ("zwei"), larger ones in digits. */
export function cardinalText(n: number): string {
  return CARDINAL_TEXT[n] ?? String(n);
}

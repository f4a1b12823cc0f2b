import { matchRelative } from "./german-relative.ts";
import { matchTime } from "./german-time.ts";
import type { Token } from "./german-tokens.ts";
import {
  cardinal,
  monthWord,
  ordinal,
  WEEKDAY_CODES,
  type WeekdayCode,
  weekdayWord,
} from "./german-words.ts";
import { type Context, type Fragment, type Freq, type Match, Refusal } from "./phrase-fragment.ts";
import { REFUSALS } from "./schedule-help.ts";

const FILLERS = new Set(["bitte", "immer", "jeweils", "frueh", "dann"]);
const VAGUE = new Set([
  "bald",
  "irgendwann",
  "spaeter",
  "demnaechst",
  "gelegentlich",
  "manchmal",
  "regelmaessig",
  "oefter",
  "oefters",
  "zeitnah",
  "asap",
]);
const FREQ_WORDS: Record<string, [Freq, number]> = {
  taeglich: ["DAILY", 1],
  woechentlich: ["WEEKLY", 1],
  zweiwoechentlich: ["WEEKLY", 2],
  zweiwoechig: ["WEEKLY", 2],
  vierzehntaegig: ["WEEKLY", 2],
  vierzehntaeglich: ["WEEKLY", 2],
  "14-taegig": ["WEEKLY", 2],
  "14taegig": ["WEEKLY", 2],
  "14-taeglich": ["WEEKLY", 2],
  dreiwoechentlich: ["WEEKLY", 3],
  monatlich: ["MONTHLY", 1],
  zweimonatlich: ["MONTHLY", 2],
  vierteljaehrlich: ["MONTHLY", 3],
  quartalsweise: ["MONTHLY", 3],
  quartalsmaessig: ["MONTHLY", 3],
  halbjaehrlich: ["MONTHLY", 6],
  jaehrlich: ["YEARLY", 1],
  zweijaehrlich: ["YEARLY", 2],
};
const UNIT_FREQ: Record<string, Freq> = {
  tag: "DAILY",
  tage: "DAILY",
  woche: "WEEKLY",
  wochen: "WEEKLY",
  monat: "MONTHLY",
  monate: "MONTHLY",
  jahr: "YEARLY",
  jahre: "YEARLY",
};
const MONTH_NOUNS = new Set(["monat", "monats"]);
const YEAR_NOUNS = new Set(["jahr", "jahres"]);
const EVERY = new Set(["jeden", "jede", "jedes", "jeder", "jedem"]);

/** Reads the fragment that starts at token `i`, or undefined when none does; throws Refusal for a clear no. */
export function matchFragment(t: Token[], i: number, ctx: Context): Match {
  const w = (k: number) => t[k]?.w;
  const x = w(i);
  if (x === undefined) return undefined;
  if (FILLERS.has(x)) return { frag: { k: "filler" }, next: i + 1 };
  if (VAGUE.has(x)) throw new Refusal(REFUSALS.vague);
  const time = matchTime(w, i);
  if (time) {
    if (time.hour > 23 || time.minute > 59) throw new Refusal(REFUSALS.timeInvalid);
    return { frag: { k: "time", hour: time.hour, minute: time.minute }, next: time.next };
  }
  return matchRelative(w, i, ctx) ?? matchEvery(w, i) ?? matchFreq(w, i) ?? matchDay(w, i);
}

function weekdayList(
  w: (k: number) => string | undefined,
  i: number,
): { days: WeekdayCode[]; plural: boolean; next: number } | undefined {
  const first = weekdayWord(w(i) ?? "");
  if (!first) return undefined;
  const days: WeekdayCode[] = [first.code];
  let plural = first.plural;
  let j = i + 1;
  for (;;) {
    const joiner = w(j) ?? "";
    // "Montag, Mittwoch" arrives as adjacent words, since the tokenizer drops the comma.
    const adjacent = weekdayWord(joiner);
    const after = adjacent ?? (/^(und|sowie|bis|&)$/.test(joiner) ? weekdayWord(w(j + 1) ?? "") : undefined);
    if (!after) break;
    if (joiner === "bis") {
      const from = WEEKDAY_CODES.indexOf(days.at(-1) ?? "MO");
      const to = WEEKDAY_CODES.indexOf(after.code);
      if (to <= from) throw new Refusal(REFUSALS.unknown);
      days.push(...WEEKDAY_CODES.slice(from + 1, to + 1));
    } else days.push(after.code);
    plural ||= after.plural;
    j += adjacent ? 1 : 2;
  }
  const unique = [...new Set(days)].sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b));
  return { days: unique, plural, next: j };
}

function matchEvery(w: (k: number) => string | undefined, i: number): Match {
  let x = w(i);
  let j = i + 1;
  if (x === "eines" && EVERY.has(w(i + 1) ?? "")) {
    x = w(i + 1);
    j = i + 2;
  }
  if (!x || !EVERY.has(x)) return undefined;
  const y = w(j) ?? "";
  if (y === "tag") return { frag: { k: "freq", freq: "DAILY", interval: 1 }, next: j + 1 };
  if (y === "werktag") return { frag: { k: "workdays" }, next: j + 1 };
  if (y === "woche") return { frag: { k: "freq", freq: "WEEKLY", interval: 1 }, next: j + 1 };
  if (MONTH_NOUNS.has(y)) return { frag: { k: "freq", freq: "MONTHLY", interval: 1 }, next: j + 1 };
  if (YEAR_NOUNS.has(y)) return { frag: { k: "freq", freq: "YEARLY", interval: 1 }, next: j + 1 };
  if (y === "quartal" || y === "quartals")
    return { frag: { k: "freq", freq: "MONTHLY", interval: 3 }, next: j + 1 };
  const list = weekdayList(w, j);
  if (list) return { frag: { k: "weekdays", days: list.days, every: true }, next: list.next };
  const n = ordinal(y);
  if (n === undefined) return undefined;
  const z = w(j + 1) ?? "";
  const unit = UNIT_FREQ[z];
  const inMonth = /^(im|des|jedes|jeden|eines)$/.test(w(j + 2) ?? "");
  if (z === "tag" && (n < 0 || inMonth))
    return { frag: { k: "ordinal", n, what: "day", every: true }, next: j + 2 };
  if (unit && n > 0) return { frag: { k: "freq", freq: unit, interval: n }, next: j + 2 };
  const day = weekdayWord(z);
  if (day && !day.plural) return { frag: { k: "ordinal", n, what: day.code, every: true }, next: j + 2 };
  if (z === "werktag") return { frag: { k: "ordinal", n, what: "workday", every: true }, next: j + 2 };
  if (/^\d/.test(y)) return { frag: { k: "monthday", day: n, every: true }, next: j + 1 };
  return undefined;
}

function matchFreq(w: (k: number) => string | undefined, i: number): Match {
  const x = w(i) ?? "";
  const word = FREQ_WORDS[x];
  if (word) return { frag: { k: "freq", freq: word[0], interval: word[1] }, next: i + 1 };
  if (x === "werktags" || x === "werktaeglich" || x === "arbeitstags")
    return { frag: { k: "workdays" }, next: i + 1 };
  if (x === "alle") {
    const n = cardinal(w(i + 1) ?? "");
    const unit = UNIT_FREQ[w(i + 2) ?? ""];
    if (n !== undefined && n > 0 && unit)
      return { frag: { k: "freq", freq: unit, interval: n }, next: i + 3 };
    return undefined;
  }
  if (x === "im" || x === "pro" || x === "des" || x === "je") {
    const y = w(i + 1) ?? "";
    if (MONTH_NOUNS.has(y)) return { frag: { k: "freq", freq: "MONTHLY", interval: 1 }, next: i + 2 };
    if (YEAR_NOUNS.has(y)) return { frag: { k: "freq", freq: "YEARLY", interval: 1 }, next: i + 2 };
    const month = monthWord(y);
    if (month && x === "im") return { frag: { k: "month", month }, next: i + 2 };
  }
  return undefined;
}

function matchDay(w: (k: number) => string | undefined, i: number): Match {
  let j = i;
  if (/^(am|an|zum)$/.test(w(j) ?? "")) j++;
  const x = w(j);
  if (x === undefined) return undefined;
  const full = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2})?)?$/.exec(x);
  if (full) {
    const year = full[3] === undefined ? undefined : Number(full[3].length === 2 ? `20${full[3]}` : full[3]);
    return {
      frag: { k: "date", day: Number(full[1]), month: Number(full[2]), ...(year ? { year } : {}) },
      next: j + 1,
    };
  }
  const num = /^(\d{1,2})\.?$/.exec(x);
  const y = w(j + 1) ?? "";
  if (num && monthWord(y)) {
    const yearWord = w(j + 2) ?? "";
    const year = /^\d{4}$/.test(yearWord) ? Number(yearWord) : undefined;
    const frag: Fragment = {
      k: "date",
      day: Number(num[1]),
      month: monthWord(y) ?? 1,
      ...(year ? { year } : {}),
    };
    return { frag, next: year ? j + 3 : j + 2 };
  }
  const n = ordinal(x);
  if (n !== undefined) {
    const day = weekdayWord(y);
    if (day && !day.plural) return { frag: { k: "ordinal", n, what: day.code, every: false }, next: j + 2 };
    if (y === "werktag") return { frag: { k: "ordinal", n, what: "workday", every: false }, next: j + 2 };
    if (y === "tag") return { frag: { k: "ordinal", n, what: "day", every: false }, next: j + 2 };
    if (/^\d/.test(x)) return { frag: { k: "monthday", day: n, every: false }, next: j + 1 };
    return undefined;
  }
  const list = weekdayList(w, j);
  if (list) return { frag: { k: "weekdays", days: list.days, every: list.plural }, next: list.next };
  if (x === "werktagen" || x === "werktags") return { frag: { k: "workdays" }, next: j + 1 };
  if (x === "monatsende" || x === "monatsletzten")
    return { frag: { k: "ordinal", n: -1, what: "day", every: true }, next: j + 1 };
  if (x === "monatsersten" || x === "monatsanfang")
    return { frag: { k: "monthday", day: 1, every: true }, next: j + 1 };
  return undefined;
}

import { Temporal } from "temporal-polyfill";
import { matchFragment } from "./german-fragments.ts";
import { tokenize } from "./german-tokens.ts";
import { WEEKDAY_CODES } from "./german-words.ts";
import { type Context, type Fragment, Refusal } from "./phrase-fragment.ts";
import { impossibleDate, pastDate, REFUSALS } from "./schedule-help.ts";
import type { ScheduleSpec } from "./schedule-spec.ts";

const DEFAULT_TIME = Temporal.PlainTime.from("09:00");
const WORKDAYS = "MO,TU,WE,TH,FR";
// Words that continue a schedule Lotse did not understand ("jeden Freitag bis Juni"): never turn them into the
// reminder text, refuse instead.
const SCHEDULE_WORDS =
  /^(bis|ab|ausser|ausgenommen|nicht|und|oder|sowie|um|von|vom|nach|vor|ohne|jede[nmrs]?|alle|am|im|zum|uhr|woche|wochen|monat|monats|jahr|tag|tage|naechste[nrs]?|kommende[nrs]?|stunde[n]?|minute[n]?|\d.*)$/;

/** A phrase read up to `end` (an offset into the text); what follows is the reminder's own text. */
export interface PhraseMatch {
  spec: ScheduleSpec;
  end: number;
}

/** Reads the German schedule at the start of `text`; throws Refusal when it is unknown, vague, impossible or past. */
export function readGermanPhrase(text: string, ctx: Context, whole: boolean): PhraseMatch {
  const tokens = tokenize(text);
  const frags: Fragment[] = [];
  let i = 0;
  while (i < tokens.length) {
    const m = matchFragment(tokens, i, ctx);
    if (!m) break;
    if (m.frag.k !== "filler") frags.push(m.frag);
    i = m.next;
  }
  const left = tokens[i];
  if (frags.length === 0) throw new Refusal(tokens.length === 0 ? REFUSALS.empty : REFUSALS.unknown);
  if (left && (whole || SCHEDULE_WORDS.test(left.w))) throw new Refusal(REFUSALS.unknown);
  const end = i === 0 ? 0 : (tokens[i - 1]?.end ?? 0);
  return { spec: combine(frags, ctx), end };
}

function daysIn(month: number, year: number): number {
  return Temporal.PlainYearMonth.from({ year, month }).daysInMonth;
}

function checkDay(day: number, month: number): void {
  if (month < 1 || month > 12 || day < 1 || day > 31 || day > daysIn(month, 2028))
    throw new Refusal(impossibleDate(day, month));
}

/** The date of a "31.3." without year: this year's, or next year's once it has passed (today stays today). */
function dateWithoutYear(day: number, month: number, ctx: Context): Temporal.PlainDate {
  for (let year = ctx.today.year; year < ctx.today.year + 9; year++) {
    if (day > daysIn(month, year)) continue;
    const d = Temporal.PlainDate.from({ year, month, day });
    if (Temporal.PlainDate.compare(d, ctx.today) >= 0) return d;
  }
  throw new Refusal(impossibleDate(day, month));
}

function freqPart(freq: string, interval: number): string {
  return interval === 1 ? `FREQ=${freq}` : `FREQ=${freq};INTERVAL=${interval}`;
}

function combine(frags: Fragment[], ctx: Context): ScheduleSpec {
  const one = <K extends Fragment["k"]>(k: K): Extract<Fragment, { k: K }> | undefined => {
    const found = frags.filter((f) => f.k === k);
    if (found.length > 1) throw new Refusal(REFUSALS.unknown);
    return found[0] as Extract<Fragment, { k: K }> | undefined;
  };
  const time = one("time");
  const clock = time ? Temporal.PlainTime.from({ hour: time.hour, minute: time.minute }) : DEFAULT_TIME;
  const freq = one("freq");
  const weekdays = one("weekdays");
  const workdays = one("workdays");
  const ord = one("ordinal");
  const monthday = one("monthday");
  const date = one("date");
  const day = one("day");
  const instant = one("instant");
  const month = one("month");
  const anchors = [weekdays, workdays, ord, monthday, date, day, instant].filter(Boolean).length;
  if (anchors > 1 || (month && !ord)) throw new Refusal(REFUSALS.unknown);
  const rule = (rrule: string): Extract<ScheduleSpec, { kind: "rule" }> => ({
    kind: "rule",
    rrule,
    time: clock,
    anchor: ctx.today,
  });

  if (instant) {
    if (time || freq) throw new Refusal(REFUSALS.unknown);
    return { kind: "once", at: instant.at };
  }
  if (day) {
    if (freq) throw new Refusal(REFUSALS.unknown);
    return { kind: "once", at: day.date.toPlainDateTime(clock) };
  }
  if (date) {
    checkDay(date.day, date.month);
    if (freq?.freq === "YEARLY") {
      const body = `${freqPart("YEARLY", freq.interval)};BYMONTH=${date.month};BYMONTHDAY=${date.day}`;
      if (date.year === undefined) return rule(body);
      if (date.day > daysIn(date.month, date.year)) throw new Refusal(impossibleDate(date.day, date.month));
      return {
        ...rule(body),
        anchor: Temporal.PlainDate.from({ year: date.year, month: date.month, day: date.day }),
        keepPhase: true,
      };
    }
    if (freq) throw new Refusal(REFUSALS.unknown);
    if (date.year === undefined) {
      const d = dateWithoutYear(date.day, date.month, ctx);
      return { kind: "once", at: d.toPlainDateTime(clock) };
    }
    if (date.day > daysIn(date.month, date.year)) throw new Refusal(impossibleDate(date.day, date.month));
    const d = Temporal.PlainDate.from({ year: date.year, month: date.month, day: date.day });
    if (Temporal.PlainDate.compare(d, ctx.today) < 0)
      throw new Refusal(pastDate(`Der ${date.day}.${date.month}.${date.year}`));
    return { kind: "once", at: d.toPlainDateTime(clock) };
  }
  if (ord) {
    const yearly = month !== undefined;
    if (yearly && freq && freq.freq !== "YEARLY") throw new Refusal(REFUSALS.unknown);
    if (!yearly && freq && freq.freq !== "MONTHLY") throw new Refusal(REFUSALS.unknown);
    if (!freq && !yearly && !ord.every) throw new Refusal(REFUSALS.dayMissing);
    if (!freq && !yearly && ord.n === 2 && ord.what !== "day") throw new Refusal(REFUSALS.everyOther);
    const base = yearly
      ? `${freqPart("YEARLY", freq?.interval ?? 1)};BYMONTH=${month.month}`
      : freqPart("MONTHLY", freq?.interval ?? 1);
    if (ord.n === 0 || ord.n > 5 || ord.n < -5) throw new Refusal(REFUSALS.unknown);
    if (ord.what === "day") {
      if (ord.n < -1 || ord.n > 28) throw new Refusal(REFUSALS.unknown);
      return rule(`${base};BYMONTHDAY=${ord.n}`);
    }
    if (ord.what === "workday") return rule(`${base};BYDAY=${WORKDAYS};BYSETPOS=${ord.n}`);
    return rule(`${base};BYDAY=${ord.n}${ord.what}`);
  }
  if (monthday) {
    if (monthday.day < 1 || monthday.day > 31) throw new Refusal(REFUSALS.unknown);
    if (freq && freq.freq !== "MONTHLY")
      throw new Refusal(freq.freq === "YEARLY" ? REFUSALS.dayMissing : REFUSALS.unknown);
    if (!freq && !monthday.every) throw new Refusal(REFUSALS.dayMissing);
    return rule(`${freqPart("MONTHLY", freq?.interval ?? 1)};BYMONTHDAY=${monthday.day}`);
  }
  const days = workdays ? WORKDAYS.split(",") : weekdays?.days;
  if (days) {
    let interval = freq?.interval ?? 1;
    if (freq?.freq === "DAILY" && interval % 7 === 0) interval /= 7;
    else if (freq?.freq === "DAILY" && !(workdays && interval === 1)) throw new Refusal(REFUSALS.unknown);
    else if (freq && freq.freq !== "WEEKLY" && freq.freq !== "DAILY") throw new Refusal(REFUSALS.unknown);
    if (weekdays && !weekdays.every && !freq) {
      if (days.length > 1) throw new Refusal(REFUSALS.unknown);
      // "am Freitag": the coming Friday, today if the time is still ahead.
      let d = ctx.today;
      const target = WEEKDAY_CODES.indexOf(days[0] as never) + 1;
      while (d.dayOfWeek !== target || Temporal.PlainDateTime.compare(d.toPlainDateTime(clock), ctx.now) < 0)
        d = d.add({ days: 1 });
      return { kind: "once", at: d.toPlainDateTime(clock) };
    }
    return rule(`${freqPart("WEEKLY", interval)};BYDAY=${days.join(",")}`);
  }
  if (freq?.freq === "DAILY") return rule(freqPart("DAILY", freq.interval));
  if (freq?.freq === "WEEKLY") throw new Refusal(REFUSALS.weekdayMissing);
  if (freq) throw new Refusal(REFUSALS.dayMissing);
  throw new Refusal(time ? REFUSALS.dayMissing : REFUSALS.unknown);
}

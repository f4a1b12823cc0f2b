/** German month names, January first; "Jänner" is the Austrian form. */
export const GERMAN_MONTHS = [
  "Januar",
  "Februar",
  "März",
  "April",
  "Mai",
  "Juni",
  "Juli",
  "August",
  "September",
  "Oktober",
  "November",
  "Dezember",
] as const;

const MONTH_ALTERNATIVES = `${GERMAN_MONTHS.join("|")}|Jänner`;

/** A date a text names, with the day it ends on: a month ("Juni 2026") ends on its last day. */
export interface NamedDate {
  /** As written, e.g. "30. Juni 2026", "30.06.2026", "Juni 2026". */
  text: string;
  /** Offset in the searched text. */
  index: number;
  /** The last day the date covers, at 00:00 UTC. */
  end: Date;
}

// One pattern, so "30. Juni 2026" is one date and not also the month "Juni 2026".
const DATE_PATTERN = new RegExp(
  `(?<![\\d.])(?:(\\d{1,2})\\.\\s?(${MONTH_ALTERNATIVES})\\s+(\\d{4})|(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})|(${MONTH_ALTERNATIVES})\\s+(\\d{4}))(?!\\d)`,
  "g",
);

function monthIndex(name: string): number {
  return name === "Jänner" ? 0 : GERMAN_MONTHS.indexOf(name as (typeof GERMAN_MONTHS)[number]);
}

function validDay(year: number, month: number, day: number): Date | undefined {
  const d = new Date(Date.UTC(year, month, day));
  return d.getUTCMonth() === month && d.getUTCDate() === day ? d : undefined;
}

/** The dates with a year that a German text names (30. Juni 2026, 30.6.2026, 30.06.2026, Juni 2026), in order. */
export function namedDates(text: string): NamedDate[] {
  const found: NamedDate[] = [];
  for (const m of text.matchAll(DATE_PATTERN)) {
    let end: Date | undefined;
    if (m[1] && m[2] && m[3]) end = validDay(Number(m[3]), monthIndex(m[2]), Number(m[1]));
    else if (m[4] && m[5] && m[6]) end = validDay(Number(m[6]), Number(m[5]) - 1, Number(m[4]));
    else if (m[7] && m[8]) end = new Date(Date.UTC(Number(m[8]), monthIndex(m[7]) + 1, 0));
    if (end) found.push({ text: m[0], index: m.index, end });
  }
  return found;
}

/** Whether a date's last day lies before the day of `now` (UTC). */
export function hasPassed(date: NamedDate, now: Date): boolean {
  return date.end.getTime() < Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

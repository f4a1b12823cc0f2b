import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { Temporal } from "temporal-polyfill";
import type { Queryable } from "../../db/database.ts";
import { fromBerlin, toBerlin, ZONE } from "../schedule/berlin-time.ts";
import { nextOccurrences } from "../schedule/occurrences.ts";
import { joinRruleParts, parseRuleText } from "../schedule/rule-text.ts";
import { type Deadline, Deadlines } from "./deadlines.ts";
import { escapeText, icalDocument } from "./ical-text.ts";

const PRODUCT_ID = "-//Lotse//Fristen//DE";

// Europe/Berlin since 1996: CEST from the last Sunday of March 02:00, CET from the last Sunday of October 03:00.
const VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  `TZID:${ZONE}`,
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "TZNAME:CEST",
  "DTSTART:19700329T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "TZNAME:CET",
  "DTSTART:19701025T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
];

/** Days before the deadline the calendar reminds (the default lead time of deadline subscriptions). */
const ALARM = "-P14D";

/**
 * The deadlines as an RFC 5545 calendar for Outlook and other clients: one all-day event per deadline on its next day
 * (from today, Berlin), recurring with the deadline's rule, with a display alarm 14 days before. A deadline without a
 * next occurrence (a one-off that has passed) is left out.
 */
export function deadlinesIcs(
  deadlines: Deadline[],
  opts: { now: Date; tenant: string; productId?: string },
): string {
  return calendar(deadlines, opts).text;
}

/** The calendar text and the number of events in it. */
function calendar(
  deadlines: Deadline[],
  opts: { now: Date; tenant: string; productId?: string },
): { text: string; events: number } {
  const events = deadlines.map((d) => deadlineEvent(d, opts.now)).filter((e) => e.length > 0);
  const lines = [
    "BEGIN:VCALENDAR",
    `PRODID:${opts.productId ?? PRODUCT_ID}`,
    "VERSION:2.0",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(`Fristen ${opts.tenant}`)}`,
    `X-WR-TIMEZONE:${ZONE}`,
    ...VTIMEZONE,
    ...events.flat(),
    "END:VCALENDAR",
  ];
  return { text: icalDocument(lines), events: events.length };
}

/** The VEVENT lines of one deadline; none without a next occurrence. */
function deadlineEvent(d: Deadline, now: Date): string[] {
  // From the start of today: a deadline that is due today is still today's event.
  const today = fromBerlin(toBerlin(now).toPlainDate().toPlainDateTime());
  const next = nextOccurrences(d.rrule, today, 1, { inclusive: true })[0];
  if (!next) return [];
  const day = toBerlin(next).toPlainDate();
  const rule = dateRule(d.rrule, today);
  const description = [d.summary, d.url].filter(Boolean).join("\n\n");
  return [
    "BEGIN:VEVENT",
    `UID:${d.docId}@lotse`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART;VALUE=DATE:${dateValue(day)}`,
    `DTEND;VALUE=DATE:${dateValue(day.add({ days: 1 }))}`,
    ...(rule ? [`RRULE:${rule}`] : []),
    `SUMMARY:${escapeText(d.title)}`,
    ...(description ? [`DESCRIPTION:${escapeText(description)}`] : []),
    ...(d.url ? [`URL:${d.url.replace(/[\r\n]/g, "")}`] : []),
    "TRANSP:TRANSPARENT",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION:${escapeText(`Frist: ${d.title}`)}`,
    `TRIGGER:${ALARM}`,
    "END:VALARM",
    "END:VEVENT",
  ];
}

/**
 * The deadline's RRULE for an all-day event that starts on the next occurrence: times of day dropped (a DATE start
 * has none), UNTIL as a DATE, and COUNT the number still ahead (the event starts at the next one, not at DTSTART).
 * Undefined for a one-off, or for a rule that repeats within a day (not a deadline).
 */
export function dateRule(rrule: string, from: Date): string | undefined {
  const parsed = parseRuleText(rrule);
  if (!parsed) return undefined;
  const parts = new Map(parsed.parts);
  if (!["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].includes(parts.get("FREQ") ?? "")) return undefined;
  for (const k of ["BYHOUR", "BYMINUTE", "BYSECOND"]) parts.delete(k);
  const count = parts.get("COUNT");
  if (count) {
    const left = nextOccurrences(rrule, from, Number(count), { inclusive: true }).length;
    if (left <= 1) return undefined;
    parts.set("COUNT", String(left));
  }
  const until = parts.get("UNTIL");
  if (until) {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(until);
    if (!m) return undefined;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
    // A UTC instant ends on its Berlin day; a date or a floating time on its own.
    const date =
      m[7] === "Z"
        ? toBerlin(new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second))).toPlainDate()
        : Temporal.PlainDate.from({ year: year ?? 0, month: month ?? 1, day: day ?? 1 });
    parts.set("UNTIL", dateValue(date));
  }
  return joinRruleParts(parts);
}

/** 20270331 */
function dateValue(d: Temporal.PlainDate): string {
  return `${String(d.year).padStart(4, "0")}${String(d.month).padStart(2, "0")}${String(d.day).padStart(2, "0")}`;
}

/** 20261202T051500Z */
function utcStamp(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/**
 * Writes the tenant's deadlines as an iCalendar file, atomically (a temporary file beside it, then renamed: a
 * calendar client never reads half a file). Returns the number of events written.
 */
export async function writeDeadlinesIcs(
  db: Queryable,
  tenant: string,
  file: string,
  now: Date,
): Promise<number> {
  const deadlines = await new Deadlines(db).list(tenant);
  const { text, events } = calendar(deadlines, { now, tenant });
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, "utf8");
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return events;
}

import { Temporal } from "temporal-polyfill";
import { toBerlin } from "./berlin-time.ts";
import { WEEKDAY_CODES } from "./german-words.ts";
import type { ScheduleReading } from "./read-schedule.ts";
import { impossibleDate, REFUSALS, scheduleRefusal } from "./schedule-help.ts";
import { specReading } from "./spec-reading.ts";

export type Repeat =
  | "once"
  | "daily"
  | "weekdays"
  | "weekly"
  | "biweekly"
  | "monthly"
  | "monthly-weekday"
  | "yearly";

/** The repeat choices with German labels, for a select field, in display order. */
export const REPEAT_CHOICES: { value: Repeat; label: string }[] = [
  { value: "once", label: "Einmalig" },
  { value: "daily", label: "Täglich" },
  { value: "weekdays", label: "Werktags (Montag bis Freitag)" },
  { value: "weekly", label: "Wöchentlich am gleichen Wochentag" },
  { value: "biweekly", label: "Alle zwei Wochen am gleichen Wochentag" },
  { value: "monthly", label: "Monatlich am gleichen Tag" },
  { value: "monthly-weekday", label: "Monatlich am gleichen Wochentag (z. B. erster Montag)" },
  { value: "yearly", label: "Jährlich am gleichen Datum" },
];

function repeatRule(repeat: Exclude<Repeat, "once">, date: Temporal.PlainDate): string {
  const code = WEEKDAY_CODES[date.dayOfWeek - 1] ?? "MO";
  // The fifth Monday exists only in some months; "the last Monday" is what such a date means.
  const nth = Math.ceil(date.day / 7) === 5 ? -1 : Math.ceil(date.day / 7);
  switch (repeat) {
    case "daily":
      return "FREQ=DAILY";
    case "weekdays":
      return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
    case "weekly":
      return `FREQ=WEEKLY;BYDAY=${code}`;
    case "biweekly":
      return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${code}`;
    case "monthly":
      return `FREQ=MONTHLY;BYMONTHDAY=${date.day}`;
    case "monthly-weekday":
      return `FREQ=MONTHLY;BYDAY=${nth}${code}`;
    case "yearly":
      return `FREQ=YEARLY;BYMONTH=${date.month};BYMONTHDAY=${date.day}`;
  }
}

/** A schedule from structured form fields (Teams Input.Date/Input.Time/Input.ChoiceSet): date YYYY-MM-DD, time HH:MM. */
export function scheduleFromForm(
  fields: { date?: string; time?: string; repeat?: Repeat },
  now: Date,
): ScheduleReading {
  const repeat = fields.repeat ?? "once";
  const dm = fields.date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(fields.date.trim()) : undefined;
  const tm = fields.time ? /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(fields.time.trim()) : undefined;
  if ((fields.date && !dm) || (fields.time && !tm)) return scheduleRefusal(REFUSALS.unknown);
  if (!dm && repeat === "once") return scheduleRefusal(REFUSALS.dayMissing);
  const [hour, minute] = tm ? [Number(tm[1]), Number(tm[2])] : [9, 0];
  if (hour > 23 || minute > 59) return scheduleRefusal(REFUSALS.timeInvalid);
  let date: Temporal.PlainDate;
  try {
    date = dm
      ? Temporal.PlainDate.from(
          { year: Number(dm[1]), month: Number(dm[2]), day: Number(dm[3]) },
          { overflow: "reject" },
        )
      : toBerlin(now).toPlainDate();
  } catch {
    return scheduleRefusal(impossibleDate(Number(dm?.[3]), Number(dm?.[2])));
  }
  const time = Temporal.PlainTime.from({ hour, minute });
  if (repeat === "once") return specReading({ kind: "once", at: date.toPlainDateTime(time) }, now);
  // The form's date fixes the phase of "alle zwei Wochen"; a past date simply starts at its next occurrence.
  return specReading(
    { kind: "rule", rrule: repeatRule(repeat, date), time, anchor: date, keepPhase: true },
    now,
  );
}

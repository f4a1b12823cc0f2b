import { Temporal } from "temporal-polyfill";
import type { ScheduleReading } from "./read-schedule.ts";
import { scheduleRefusal } from "./schedule-help.ts";
import { specReading } from "./spec-reading.ts";

const CRON_DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const ISO_ORDER = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

class CronRefusal {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

interface Field {
  restricted: boolean;
  values: number[];
}

function value(token: string, names: string[] | undefined, offset: number): number {
  const named = names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return named + offset;
  if (!/^\d{1,2}$/.test(token)) throw new CronRefusal(`„${token}“ ist kein gültiger Wert im Cron-Ausdruck.`);
  return Number(token);
}

/** Reads one cron field (lists, ranges, steps, names) into the sorted set of values it allows. */
function field(
  text: string,
  min: number,
  max: number,
  label: string,
  names?: string[],
  nameOffset = 0,
): Field {
  if (text === "*") return { restricted: false, values: [] };
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^([^/-]+)(?:-([^/]+))?(?:\/(\d+))?$/.exec(part);
    if (!m?.[1])
      throw new CronRefusal(`Das Feld „${label}“ im Cron-Ausdruck kann ich nicht lesen: „${text}“.`);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    const from = m[1] === "*" ? min : value(m[1], names, nameOffset);
    const to =
      m[2] !== undefined ? value(m[2], names, nameOffset) : m[1] === "*" || m[3] !== undefined ? max : from;
    if (step < 1 || from < min || to > max || from > to)
      throw new CronRefusal(
        `Das Feld „${label}“ im Cron-Ausdruck erlaubt nur Werte von ${min} bis ${max}: „${text}“.`,
      );
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return { restricted: true, values: [...out].sort((a, b) => a - b) };
}

/** Reads "m h dom mon dow" (after "cron:"), with anything after the five fields as the reminder text. */
export function readCron(text: string, now: Date): ScheduleReading {
  // "cron: 0 9 * * 1-5: Stand melden" – a colon may close the expression.
  const fields = text
    .trim()
    .replace(/^((?:\S+\s+){4}[^\s:]+):/, "$1 ")
    .split(/\s+/);
  if (fields.length < 5)
    return scheduleRefusal(
      "Ein Cron-Ausdruck hat fünf Felder: Minute, Stunde, Tag, Monat, Wochentag – z. B. „cron: 0 9 * * 1-5“.",
    );
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const rest =
    fields
      .slice(5)
      .join(" ")
      .replace(/^[:\-–\s]+/, "")
      .trim() || undefined;
  try {
    if (!/^\d{1,2}$/.test(m) || Number(m) > 59)
      throw new CronRefusal(
        "Erinnerungen öfter als einmal pro Stunde verschicke ich nicht: Das Minutenfeld muss eine einzelne Zahl sein (z. B. „0“).",
      );
    const hours = field(h, 0, 23, "Stunde");
    const days = field(dom, 1, 31, "Tag");
    const months = field(mon, 1, 12, "Monat", MONTH_NAMES, 1);
    const weekdays = field(dow, 0, 7, "Wochentag", DAY_NAMES);
    if (days.restricted && weekdays.restricted)
      throw new CronRefusal(
        "Tag und Wochentag zugleich sind im Cron-Format mehrdeutig (es gilt dann „entweder – oder“). Bitte schränken Sie nur eines von beiden ein, z. B. „am ersten Montag im Monat“ als Text.",
      );
    const parts: string[] = [];
    const codes = [...new Set(weekdays.values.map((v) => CRON_DAYS[v % 7] ?? "SU"))].sort(
      (a, b) => ISO_ORDER.indexOf(a) - ISO_ORDER.indexOf(b),
    );
    parts.push(weekdays.restricted ? "FREQ=WEEKLY" : days.restricted ? "FREQ=MONTHLY" : "FREQ=DAILY");
    if (months.restricted) parts.push(`BYMONTH=${months.values.join(",")}`);
    if (days.restricted) {
      const possible = days.values.some((d) =>
        (months.restricted ? months.values : [1]).some(
          (mo) => d <= new Date(Date.UTC(2028, mo, 0)).getUTCDate(),
        ),
      );
      if (!possible) throw new CronRefusal("Diesen Tag gibt es in den genannten Monaten nicht.");
      parts.push(`BYMONTHDAY=${days.values.join(",")}`);
    }
    if (weekdays.restricted) parts.push(`BYDAY=${codes.join(",")}`);
    const hourList = hours.restricted ? hours.values : Array.from({ length: 24 }, (_, i) => i);
    parts.push(`BYHOUR=${hourList.join(",")}`, `BYMINUTE=${Number(m)}`);
    const today = Temporal.Instant.fromEpochMilliseconds(now.getTime())
      .toZonedDateTimeISO("Europe/Berlin")
      .toPlainDate();
    const time = Temporal.PlainTime.from({ hour: hourList[0] ?? 0, minute: Number(m) });
    return specReading(
      { kind: "rule", rrule: parts.join(";"), time, anchor: today, explicitTime: true },
      now,
      rest,
    );
  } catch (e) {
    if (e instanceof CronRefusal) return scheduleRefusal(e.reason);
    throw e;
  }
}

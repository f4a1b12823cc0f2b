import { RRuleTemporal } from "rrule-temporal";
import { Temporal } from "temporal-polyfill";
import { parseIcalStamp, toBerlin, ZONE } from "./berlin-time.ts";
import { describeRrule } from "./german-format.ts";
import type { ScheduleReading } from "./read-schedule.ts";
import { joinRruleParts, parseRruleParts, ruleText } from "./rule-text.ts";
import { scheduleRefusal } from "./schedule-help.ts";

const ALLOWED = new Set([
  "FREQ",
  "INTERVAL",
  "COUNT",
  "UNTIL",
  "BYDAY",
  "BYMONTHDAY",
  "BYMONTH",
  "BYSETPOS",
  "BYHOUR",
  "BYMINUTE",
  "BYSECOND",
  "WKST",
  "BYYEARDAY",
  "BYWEEKNO",
]);
const FREQS = new Set(["HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);
const BAD_RULE = "Diese RRULE kann ich nicht lesen (RFC 5545, z. B. „RRULE:FREQ=WEEKLY;BYDAY=FR“).";

/** Reads an RFC 5545 rule, with or without a DTSTART;TZID=Europe/Berlin line; DTSTART becomes the first occurrence at or after `now`. */
export function readRruleInput(text: string, now: Date): ScheduleReading {
  const lines = text.trim().split(/\s*[\r\n]+\s*|\s+(?=RRULE:)/i);
  let dtstart: Temporal.PlainDateTime | undefined;
  let body: string | undefined;
  for (const line of lines) {
    const start = /^DTSTART(;TZID=([^:]+))?:(\S+)$/i.exec(line);
    if (start) {
      if (start[2] !== ZONE || !start[3])
        return scheduleRefusal(
          "Ich plane immer in der Zeitzone Europe/Berlin: bitte „DTSTART;TZID=Europe/Berlin:JJJJMMTTTHHMMSS“.",
        );
      dtstart = parseIcalStamp(start[3]);
      if (!dtstart) return scheduleRefusal(BAD_RULE);
    } else if (/^(RRULE:)?FREQ=/i.test(line)) body = line.replace(/^RRULE:/i, "").toUpperCase();
    else return scheduleRefusal(BAD_RULE);
  }
  const parts = body ? parseRruleParts(body) : undefined;
  if (!parts || [...parts.keys()].some((k) => !ALLOWED.has(k))) return scheduleRefusal(BAD_RULE);
  if (
    !FREQS.has(parts.get("FREQ") ?? "") ||
    (parts.get("BYMINUTE") ?? "").includes(",") ||
    (parts.get("BYSECOND") ?? "0") !== "0"
  )
    return scheduleRefusal("Erinnerungen öfter als einmal pro Stunde verschicke ich nicht.");
  if (!dtstart) {
    const hour = Number((parts.get("BYHOUR") ?? "9").split(",")[0]);
    const minute = Number((parts.get("BYMINUTE") ?? "0").split(",")[0]);
    dtstart = toBerlin(now).toPlainDate().toPlainDateTime({ hour, minute });
  }
  let rule: RRuleTemporal;
  try {
    rule = new RRuleTemporal({ rruleString: ruleText(dtstart, joinRruleParts(parts)) });
  } catch {
    return scheduleRefusal(BAD_RULE);
  }
  const hit = rule.next(now, true);
  if (!hit) return scheduleRefusal("Diese Regel hat keinen Termin mehr in der Zukunft.");
  const first = Temporal.Instant.fromEpochMilliseconds(hit.epochMilliseconds)
    .toZonedDateTimeISO(ZONE)
    .toPlainDateTime();
  const count = parts.get("COUNT");
  if (count && Temporal.PlainDateTime.compare(first, dtstart) !== 0) {
    // COUNT counts from DTSTART: moving DTSTART to the first future occurrence keeps only the occurrences still ahead.
    const ahead = rule.all().filter((z) => z.epochMilliseconds >= hit.epochMilliseconds).length;
    parts.set("COUNT", String(ahead));
  }
  const rrule = ruleText(first, joinRruleParts(parts));
  const once = parts.get("COUNT") === "1";
  return {
    ok: true,
    rrule,
    timezone: ZONE,
    reading: describeRrule(rrule),
    once,
    first: new Date(hit.epochMilliseconds),
  };
}

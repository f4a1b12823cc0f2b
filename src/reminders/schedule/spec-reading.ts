import { RRuleTemporal } from "rrule-temporal";
import { Temporal } from "temporal-polyfill";
import { fromBerlin, ZONE } from "./berlin-time.ts";
import { describeRrule, formatOccurrence } from "./german-format.ts";
import type { ScheduleReading } from "./read-schedule.ts";
import { joinRruleParts, parseRruleParts, ruleText } from "./rule-text.ts";
import { pastDate, REFUSALS, scheduleRefusal } from "./schedule-help.ts";
import type { ScheduleSpec } from "./schedule-spec.ts";

function withoutInterval(rrule: string): string {
  const parts = parseRruleParts(rrule);
  if (!parts) return rrule;
  parts.delete("INTERVAL");
  return joinRruleParts(parts);
}

/** The first occurrence at or after `now`, as a Berlin wall-clock time, or undefined when there is none. */
function firstOccurrence(
  spec: Extract<ScheduleSpec, { kind: "rule" }>,
  now: Date,
): Temporal.PlainDateTime | undefined {
  const body = spec.keepPhase ? spec.rrule : withoutInterval(spec.rrule);
  // The explicit BYHOUR/BYMINUTE make the anchor's own time irrelevant: an anchor inside the spring gap would
  // otherwise shift every later occurrence to 03:30.
  const timed = spec.explicitTime
    ? body
    : `${body};BYHOUR=${spec.time.hour};BYMINUTE=${spec.time.minute};BYSECOND=0`;
  const probe = new RRuleTemporal({ rruleString: ruleText(spec.anchor.toPlainDateTime(spec.time), timed) });
  const hit = probe.next(now, true);
  return hit
    ? Temporal.Instant.fromEpochMilliseconds(hit.epochMilliseconds).toZonedDateTimeISO(ZONE).toPlainDateTime()
    : undefined;
}

/** Turns a spec into a reading: DTSTART is the first occurrence at or after `now`; a past one-off is refused. */
export function specReading(spec: ScheduleSpec, now: Date, rest?: string): ScheduleReading {
  const extra = rest ? { rest } : {};
  if (spec.kind === "once") {
    const first = fromBerlin(spec.at);
    if (first.getTime() < now.getTime())
      return scheduleRefusal(pastDate(`Der Termin am ${formatOccurrence(first)}`));
    const rrule = ruleText(spec.at, "FREQ=DAILY;COUNT=1");
    return { ok: true, rrule, timezone: ZONE, reading: describeRrule(rrule), once: true, first, ...extra };
  }
  let start: Temporal.PlainDateTime | undefined;
  try {
    start = firstOccurrence(spec, now);
  } catch {
    return scheduleRefusal(REFUSALS.unknown);
  }
  if (!start) return scheduleRefusal(pastDate("Der letzte Termin dieser Regel"));
  const rrule = ruleText(start, spec.rrule);
  return {
    ok: true,
    rrule,
    timezone: ZONE,
    reading: describeRrule(rrule),
    once: false,
    first: fromBerlin(start),
    ...extra,
  };
}

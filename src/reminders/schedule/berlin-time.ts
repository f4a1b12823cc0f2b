import { Temporal } from "temporal-polyfill";

/** The only time zone Lotse schedules in. */
export const ZONE = "Europe/Berlin";

/** A Date as a wall-clock time in Europe/Berlin. */
export function toBerlin(d: Date): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(ZONE);
}

/**
 * A Berlin wall-clock time as a Date. "compatible" is RFC 5545 3.3.5: a time in the spring gap is read with the
 * offset before the gap (02:30 → 03:30 CEST), an ambiguous autumn time is the first of the two (CEST).
 */
export function fromBerlin(local: Temporal.PlainDateTime): Date {
  return new Date(local.toZonedDateTime(ZONE, { disambiguation: "compatible" }).epochMilliseconds);
}

/** The iCalendar DATE-TIME stamp of a wall-clock time: 20270104T090000. */
export function icalStamp(local: Temporal.PlainDateTime): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(local.year, 4)}${p(local.month)}${p(local.day)}T${p(local.hour)}${p(local.minute)}${p(local.second)}`;
}

/** Parses an iCalendar DATE-TIME stamp (no zone suffix), or undefined. */
export function parseIcalStamp(stamp: string): Temporal.PlainDateTime | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  if (!m) return undefined;
  try {
    const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Temporal.PlainDateTime.from({ year, month, day, hour, minute, second }, { overflow: "reject" });
  } catch {
    return undefined;
  }
}

import { Temporal } from "temporal-polyfill";

/** A Date as ISO 8601 with its Berlin offset, e.g. "2027-01-04T09:00:00+01:00". */
export function berlinIso(d: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime())
    .toZonedDateTimeISO("Europe/Berlin")
    .toString({ timeZoneName: "never" });
}

/** The DTSTART line an ISO time with offset must produce. */
export function dtstartLine(iso: string): string {
  const local = iso.slice(0, 19).replace(/[-:]/g, "");
  return `DTSTART;TZID=Europe/Berlin:${local}`;
}

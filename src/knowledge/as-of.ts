import { GERMAN_MONTHS } from "./german-dates.ts";

/** `as_of` as front matter writes it: a day (2026-03-15) or a month (2026-03). */
export const AS_OF_PATTERN = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

/** The last day an `as_of` covers (a month: its last day), at 00:00 UTC. */
export function asOfEnd(asOf: string): Date {
  const [year, month, day] = asOf.split("-").map(Number) as [number, number, number | undefined];
  return day === undefined ? new Date(Date.UTC(year, month, 0)) : new Date(Date.UTC(year, month - 1, day));
}

/** "Stand: März 2026": what an answer shows next to a source whose document has an `as_of`. */
export function asOfLabel(asOf: string): string {
  const [year, month] = asOf.split("-").map(Number) as [number, number];
  const name = GERMAN_MONTHS[month - 1];
  return name ? `Stand: ${name} ${year}` : `Stand: ${asOf}`;
}

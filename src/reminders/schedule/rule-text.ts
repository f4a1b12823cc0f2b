import type { Temporal } from "temporal-polyfill";
import { icalStamp, parseIcalStamp, ZONE } from "./berlin-time.ts";

/** A stored rule split into its DTSTART wall-clock time and its RRULE parts (in their written order). */
export interface RuleText {
  dtstart: Temporal.PlainDateTime;
  parts: Map<string, string>;
}

/** The two-line iCalendar text Lotse stores: DTSTART with TZID=Europe/Berlin and the RRULE. */
export function ruleText(dtstart: Temporal.PlainDateTime, rrule: string): string {
  return `DTSTART;TZID=${ZONE}:${icalStamp(dtstart)}\nRRULE:${rrule}`;
}

/** Splits an RRULE body "FREQ=WEEKLY;BYDAY=MO" into its parts; undefined when a part is malformed. */
export function parseRruleParts(body: string): Map<string, string> | undefined {
  const parts = new Map<string, string>();
  for (const piece of body.split(";")) {
    if (piece === "") continue;
    const m = /^([A-Z]+)=([^;=]+)$/.exec(piece.toUpperCase());
    if (!m?.[1] || !m[2] || parts.has(m[1])) return undefined;
    parts.set(m[1], m[2]);
  }
  return parts.has("FREQ") ? parts : undefined;
}

/** Joins RRULE parts back into a body. */
export function joinRruleParts(parts: Map<string, string>): string {
  return [...parts].map(([k, v]) => `${k}=${v}`).join(";");
}

/** Reads Lotse's own two-line rule text; undefined when it is not in that shape. */
export function parseRuleText(text: string): RuleText | undefined {
  const m = /^DTSTART;TZID=Europe\/Berlin:(\d{8}T\d{6})\r?\nRRULE:(\S+)$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const dtstart = parseIcalStamp(m[1]);
  const parts = parseRruleParts(m[2]);
  return dtstart && parts ? { dtstart, parts } : undefined;
}

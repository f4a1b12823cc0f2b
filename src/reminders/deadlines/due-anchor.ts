import { Temporal } from "temporal-polyfill";
import { fromBerlin } from "../schedule/berlin-time.ts";

/** Used when a deadline document has no reviewed date: any day works for yearly rules, which most deadlines are. */
const FALLBACK = "2000-01-01";

/**
 * The instant a deadline's `due` is read from, so its rule's DTSTART is the first occurrence after it. The document's
 * reviewed date: it stays the same until the document is checked again (a stable rule text), and a rule of more than a
 * year ("alle zwei Jahre am 30.9.") keeps the cycle the document was written for, because a document names its next
 * deadline as of its review ("nächster Bericht 2027"); a fixed 2000-01-01 would put such a rule on even years whatever
 * the text says. Midnight in Berlin, so a deadline on the reviewed day itself still counts.
 */
export function dueAnchor(reviewed: string | undefined): Date {
  const day = reviewed && /^\d{4}-\d{2}-\d{2}$/.test(reviewed) ? reviewed : FALLBACK;
  return fromBerlin(Temporal.PlainDate.from(day).toPlainDateTime());
}

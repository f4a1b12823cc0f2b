import { RRuleTemporal } from "rrule-temporal";
import { LotseError } from "../../errors.ts";

// Rules are immutable text, so a parsed rule can be shared; the cap keeps a long-running scheduler's memory flat.
const cache = new Map<string, RRuleTemporal>();
const CACHE_MAX = 500;

function ruleFor(rrule: string): RRuleTemporal {
  let rule = cache.get(rrule);
  if (!rule) {
    try {
      rule = new RRuleTemporal({ rruleString: rrule });
    } catch (cause) {
      throw new LotseError("REQUEST_INVALID", `invalid recurrence rule: ${rrule}`, { cause });
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(rrule, rule);
  }
  return rule;
}

/** The next `count` occurrences strictly after `after` (inclusive: at or after), computed with rrule-temporal in the rule's TZID. */
export function nextOccurrences(
  rrule: string,
  after: Date,
  count: number,
  opts: { inclusive?: boolean } = {},
): Date[] {
  const rule = ruleFor(rrule);
  const out: Date[] = [];
  // next() searches from `after` itself, so an old DTSTART does not mean enumerating years of past occurrences.
  let cursor: Date = after;
  let inclusive = opts.inclusive ?? false;
  while (out.length < count) {
    const hit = rule.next(cursor, inclusive);
    if (!hit) break;
    cursor = new Date(hit.epochMilliseconds);
    out.push(cursor);
    inclusive = false;
  }
  return out;
}

/** Occurrences in [from, to] (for catch-up and the iCalendar export), at most `limit`. */
export function occurrencesBetween(rrule: string, from: Date, to: Date, limit = 1000): Date[] {
  if (to.getTime() < from.getTime()) return [];
  return ruleFor(rrule)
    .between(from, to, true)
    .slice(0, limit)
    .map((z) => new Date(z.epochMilliseconds));
}

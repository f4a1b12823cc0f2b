import { Temporal } from "temporal-polyfill";
import { cardinal, WEEKDAY_CODES, weekdayWord } from "./german-words.ts";
import { type Context, type Match, Refusal } from "./phrase-fragment.ts";
import { pastDate, REFUSALS } from "./schedule-help.ts";

/** Reads a day relative to today: "heute", "übermorgen", "in 3 Tagen", "in 2 Stunden", "nächsten Montag", "nächste Woche Dienstag". */
export function matchRelative(w: (k: number) => string | undefined, i: number, ctx: Context): Match {
  const am = w(i) === "am" && /^(naechste[nrs]?|kommende[nrs]?|diese[nrs]?)$/.test(w(i + 1) ?? "");
  if (am) i++;
  const x = w(i);
  const days: Record<string, number> = { heute: 0, morgen: 1, uebermorgen: 2 };
  if (x !== undefined && x in days)
    return { frag: { k: "day", date: ctx.today.add({ days: days[x] ?? 0 }) }, next: i + 1 };
  if (x === "gestern" || x === "vorgestern")
    throw new Refusal(pastDate(x === "gestern" ? "Gestern" : "Vorgestern"));
  if (x === "in" || x === "nach") {
    const n = cardinal(w(i + 1) ?? "");
    const unit = w(i + 2) ?? "";
    if (n === undefined) return undefined;
    if (/^tag(e|en)?$/.test(unit))
      return { frag: { k: "day", date: ctx.today.add({ days: n }) }, next: i + 3 };
    if (/^woche(n)?$/.test(unit))
      return { frag: { k: "day", date: ctx.today.add({ weeks: n }) }, next: i + 3 };
    if (/^monat(e|en)?$/.test(unit))
      return { frag: { k: "day", date: ctx.today.add({ months: n }) }, next: i + 3 };
    if (/^jahr(e|en)?$/.test(unit))
      return { frag: { k: "day", date: ctx.today.add({ years: n }) }, next: i + 3 };
    const exact = ctx.now.with({ second: 0, millisecond: 0, microsecond: 0, nanosecond: 0 });
    if (/^stunde(n)?$/.test(unit))
      return { frag: { k: "instant", at: exact.add({ hours: n }) }, next: i + 3 };
    if (/^minute(n)?$/.test(unit))
      return { frag: { k: "instant", at: exact.add({ minutes: n }) }, next: i + 3 };
    return undefined;
  }
  if (x && /^(naechste[nrs]?|kommende[nrs]?|diese[nrs]?)$/.test(x)) {
    const strict = !x.startsWith("diese");
    const y = w(i + 1);
    const day = weekdayWord(y ?? "");
    if (day && !day.plural) {
      let d = ctx.today;
      const target = WEEKDAY_CODES.indexOf(day.code) + 1;
      while (d.dayOfWeek !== target || (strict && Temporal.PlainDate.compare(d, ctx.today) === 0))
        d = d.add({ days: 1 });
      return { frag: { k: "day", date: d }, next: i + 2 };
    }
    if (y === "woche" && strict) {
      const j = w(i + 2) === "am" ? i + 3 : i + 2;
      const named = weekdayWord(w(j) ?? "");
      if (!named) throw new Refusal(REFUSALS.vague);
      const monday = ctx.today.add({ days: 8 - ctx.today.dayOfWeek });
      return {
        frag: { k: "day", date: monday.add({ days: WEEKDAY_CODES.indexOf(named.code) }) },
        next: j + 1,
      };
    }
    if (y && /^(woche|monat|jahr|mal|zeit)$/.test(y)) throw new Refusal(REFUSALS.vague);
  }
  return undefined;
}

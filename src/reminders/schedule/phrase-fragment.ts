import type { Temporal } from "temporal-polyfill";
import type { WeekdayCode } from "./german-words.ts";

export type Freq = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

/** One piece of a phrase; a schedule is the combination of a few of them. */
export type Fragment =
  | { k: "time"; hour: number; minute: number }
  | { k: "freq"; freq: Freq; interval: number }
  | { k: "weekdays"; days: WeekdayCode[]; every: boolean }
  | { k: "workdays" }
  | { k: "ordinal"; n: number; what: WeekdayCode | "workday" | "day"; every: boolean }
  | { k: "monthday"; day: number; every: boolean }
  | { k: "date"; day: number; month: number; year?: number }
  | { k: "day"; date: Temporal.PlainDate }
  | { k: "instant"; at: Temporal.PlainDateTime }
  | { k: "month"; month: number }
  | { k: "filler" };

/** A phrase Lotse will not read; `reason` is German. */
export class Refusal {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

/** What "today" and "now" are, in Berlin wall-clock time. */
export interface Context {
  today: Temporal.PlainDate;
  now: Temporal.PlainDateTime;
}

/** A fragment and the index of the word after it, or no fragment at this word. */
export type Match = { frag: Fragment; next: number } | undefined;

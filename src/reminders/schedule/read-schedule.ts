import { toBerlin, type ZONE } from "./berlin-time.ts";
import { readCron } from "./cron-schedule.ts";
import { type PhraseMatch, readGermanPhrase } from "./german-phrase.ts";
import { type Context, Refusal } from "./phrase-fragment.ts";
import { readRruleInput } from "./rrule-input.ts";
import { REFUSALS, scheduleRefusal } from "./schedule-help.ts";
import { specReading } from "./spec-reading.ts";

export type ScheduleReading =
  | {
      ok: true;
      rrule: string;
      timezone: typeof ZONE;
      reading: string;
      once: boolean;
      first: Date;
      rest?: string;
    }
  | { ok: false; message: string };

const LEAD =
  /^\s*(?:bitte\s+)?(?:erinnere?|erinnern)(?:\s+(?:mich|uns|alle|euch|sie))?(?:\s+bitte)?\s+|^\s*erinnerung\s*[:,–-]?\s*/i;

/** The first ':' that is not part of a time such as 9:30, or -1. */
function separatorColon(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ":" && !(/\d/.test(text[i - 1] ?? "") && /\d/.test(text[i + 1] ?? ""))) return i;
  }
  return -1;
}

function tidy(rest: string): string | undefined {
  const text = rest.replace(/^[\s:,;.\-–—]+/, "").trim();
  return /[\p{L}\p{N}]/u.test(text) ? text : undefined;
}

function readPhrase(text: string, ctx: Context): { match: PhraseMatch; rest?: string } {
  const colon = separatorColon(text);
  if (colon < 0) {
    const match = readGermanPhrase(text, ctx, false);
    return { match, rest: tidy(text.slice(match.end)) };
  }
  const before = text.slice(0, colon);
  const after = text.slice(colon + 1);
  try {
    return { match: readGermanPhrase(before, ctx, true), rest: tidy(after) };
  } catch (e) {
    // "Indikatoren melden: jeden Freitag" – the schedule may also follow the colon.
    if (!(e instanceof Refusal)) throw e;
    try {
      return { match: readGermanPhrase(after, ctx, true), rest: tidy(before) };
    } catch {
      throw e;
    }
  }
}

/** Reads a schedule: German free text, an RFC 5545 rule (with or without DTSTART;TZID line), or "cron: m h dom mon dow". */
export function readSchedule(input: string, now: Date): ScheduleReading {
  const text = input.trim().replace(LEAD, "").trim();
  if (text === "") return scheduleRefusal(REFUSALS.empty);
  if (/^(DTSTART[;:]|RRULE:|FREQ=)/i.test(text)) return readRruleInput(text, now);
  const cron = /^cron\s*:?\s*/i.exec(text);
  if (cron) return readCron(text.slice(cron[0].length), now);
  const local = toBerlin(now);
  const ctx: Context = { today: local.toPlainDate(), now: local.toPlainDateTime() };
  try {
    const { match, rest } = readPhrase(text, ctx);
    return specReading(match.spec, now, rest);
  } catch (e) {
    if (e instanceof Refusal) return scheduleRefusal(e.reason);
    throw e;
  }
}

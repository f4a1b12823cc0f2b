import { asOfEnd } from "./as-of.ts";
import { hasPassed, type NamedDate, namedDates } from "./german-dates.ts";
import type { DocMeta, Finding } from "./types.ts";

const AS_OF_MAX_MONTHS = 9;

// A date after one of these looks ahead ("bis spätestens 30. Juni 2026", "ab 1.1.2027", "wird am …"); "seit", "im",
// "vom" do not, and stay quiet.
const AHEAD_BEFORE_DATE =
  /(?:^|[\s(„"])(bis(?:\s+(?:spätestens|zum|zur|Ende|Mitte|Anfang))?(?:\s+(?:zum|Ende))?|spätestens(?:\s+(?:am|zum|bis))?|ab(?:\s+dem)?|am|zum)\s+$/i;
// A present or future verb in the date's clause: the text still treats the date as ahead. The clause, not the sentence:
// in "Eine Stadt, die ihn zum 30. Juni 2026 vorgelegt hat, muss …" the "muss" looks ahead from the past date.
const AHEAD_VERB =
  /(?<![\p{L}])(muss|müssen|soll|sollen|wird|werden|gilt|gelten|läuft|laufen|endet|enden|tritt|treten|beginnt|beginnen|darf|dürfen|vorzulegen|einzureichen|abzugeben)(?![\p{L}])/iu;
// A past or conditional form anywhere in the sentence means it was written as past ("bis 30. Juni 2026 musste …").
const PAST_VERB =
  /(?<![\p{L}])(musste|mussten|sollte|sollten|wurde|wurden|worden|galt|galten|war|waren|lief|liefen|endete|endeten|trat|traten|begann|begannen|durfte|durften|hatte|hatten|hätte|hätten|wäre|wären|gewesen|abgelaufen|ausgelaufen|verstrichen|vergangen)(?![\p{L}])/iu;
// Perfect tense: an auxiliary and a participle in the sentence ("ist am 1. Januar 2024 in Kraft getreten").
const AUXILIARY = /(?<![\p{L}])(ist|sind|hat|haben)(?![\p{L}])/u;
const PARTICIPLE =
  /(?<![\p{L}])((?:ab|an|auf|aus|bei|ein|fest|fort|mit|nach|vor|zu|zurück|um)?ge(?!lt|gen|nau|samt|recht|mein)\p{Ll}{2,}(?:t|en)|beschlossen|verabschiedet|veröffentlicht|erlassen|verkündet|beantragt|erreicht|verschoben|erfolgt|erschienen)(?![\p{L}])/u;

/**
 * Date checks of one document against today: a deadline document whose deadline (see below) has passed,
 * a sentence that speaks of a passed date in the present or future tense, and an `as_of` older than 9 months. All are
 * warnings with the file's line.
 */
export function dateFindings(
  meta: DocMeta,
  file: string,
  body: { text: string; line: number } | undefined,
  asOfLine: number,
  now: Date,
): Finding[] {
  const findings: Finding[] = [];
  if (meta.asOf) {
    const end = asOfEnd(meta.asOf);
    const limit = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + AS_OF_MAX_MONTHS, end.getUTCDate());
    if (limit < now.getTime())
      findings.push({
        severity: "warning",
        file,
        line: asOfLine,
        message: `Stand (as_of) ${meta.asOf} ist älter als ${AS_OF_MAX_MONTHS} Monate: Rechtslage bzw. Sachstand bitte prüfen, den Text anpassen und as_of neu setzen.`,
      });
  }
  if (!body) return findings;
  const lineOf = (index: number) => body.line + (body.text.slice(0, index).match(/\n/g)?.length ?? 0);
  if (meta.type === "deadline") {
    const deadline = firstSectionDeadline(body.text);
    if (deadline && hasPassed(deadline, now))
      findings.push({
        severity: "warning",
        file,
        line: lineOf(deadline.index),
        message: `Frist-Dokument: die Frist im ersten Abschnitt (${deadline.text}) ist verstrichen. Bitte den nächsten Termin zuerst nennen oder, wenn die Frist nicht wiederkehrt, in der Vergangenheit formulieren, sagen, was jetzt gilt, und type: guidance setzen.`,
      });
  }
  for (const f of futureTenseOfPast(body.text, now))
    findings.push({
      severity: "warning",
      file,
      line: lineOf(f.index),
      message: `„${f.phrase}“: der ${f.date} liegt in der Vergangenheit, der Satz spricht davon aber in Gegenwart oder Zukunft. Bitte in der Vergangenheit formulieren und sagen, was jetzt gilt.`,
    });
  return findings;
}

/**
 * The deadline a deadline document names first, with its offset in `text`: written answer-first, the first section's
 * first date that follows "bis", "spätestens", "zum" …; "31. März" without a year recurs and is none, nor is "im
 * September 2025" (a report that appeared).
 */
export function firstSectionDeadline(text: string): NamedDate | undefined {
  const first = firstSection(text);
  const deadline = namedDates(first.text).find((d) => AHEAD_BEFORE_DATE.test(first.text.slice(Math.max(0, d.index - 40), d.index)));
  return deadline && { ...deadline, index: first.index + deadline.index };
}

/** The text from the first `##` heading to the next heading of level 1 or 2 (the whole body without one). */
export function firstSection(text: string): { text: string; index: number } {
  const start = text.search(/^##\s/m);
  if (start < 0) return { text, index: 0 };
  const rest = text.slice(start + 2);
  const next = rest.search(/^#{1,2}\s/m);
  return { text: next < 0 ? text.slice(start) : text.slice(start, start + 2 + next), index: start };
}

/** Passed dates that a sentence still looks ahead to ("muss bis 30. Juni 2026 vorliegen"), with their offsets. */
export function futureTenseOfPast(text: string, now: Date): { index: number; date: string; phrase: string }[] {
  const dates = namedDates(text);
  // Dates contain full stops ("30. Juni"): masked, so they do not end a sentence.
  let masked = text;
  for (const d of dates) masked = masked.slice(0, d.index) + "0".repeat(d.text.length) + masked.slice(d.index + d.text.length);
  const found: { index: number; date: string; phrase: string }[] = [];
  const seen = new Set<string>();
  for (const d of dates) {
    if (!hasPassed(d, now)) continue;
    const end = d.index + d.text.length;
    const sentenceStart = lastBoundary(masked.slice(0, d.index), /[.!?;:](?=\s)|\n/g);
    const sentenceEnd = nextBoundary(masked, end, /[.!?;:](?=\s|$)|\n/g);
    const clauseStart = Math.max(sentenceStart, lastBoundary(masked.slice(0, d.index), /,(?=\s)|[–—]/g));
    const clauseEnd = Math.min(sentenceEnd, nextBoundary(masked, end, /,(?=\s)|[–—]/g));
    const lead = AHEAD_BEFORE_DATE.exec(text.slice(clauseStart, d.index));
    if (!lead?.[1] || !AHEAD_VERB.test(masked.slice(clauseStart, clauseEnd))) continue;
    const sentence = masked.slice(sentenceStart, sentenceEnd);
    if (PAST_VERB.test(sentence) || (AUXILIARY.test(sentence) && PARTICIPLE.test(sentence))) continue;
    // "bis 30. Juni 2026 (30.06.2026)": one finding for one date.
    const key = `${sentenceStart}:${d.end.getTime()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ index: d.index, date: d.text, phrase: `${lead[1]} ${d.text}` });
  }
  return found;
}

/** Offset just after the last match of `boundary` in `text` (0 without one). */
function lastBoundary(text: string, boundary: RegExp): number {
  let at = 0;
  for (const m of text.matchAll(boundary)) at = m.index + m[0].length;
  return at;
}

/** Offset of the first match of `boundary` in `text` from `from` on (the text's length without one). */
function nextBoundary(text: string, from: number, boundary: RegExp): number {
  boundary.lastIndex = from;
  const m = boundary.exec(text);
  return m ? m.index : text.length;
}

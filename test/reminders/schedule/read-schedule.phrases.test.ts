import { describe, expect, it } from "vitest";
import { nextOccurrences } from "../../../src/reminders/schedule/occurrences.ts";
import { readSchedule } from "../../../src/reminders/schedule/read-schedule.ts";
import { berlinIso, dtstartLine } from "./iso.ts";
import { NOW, PHRASES } from "./phrases.ts";

const now = new Date(NOW);

describe("readSchedule: the German phrase table", () => {
  it("has at least 45 phrases", () => {
    expect(PHRASES.length).toBeGreaterThanOrEqual(45);
  });

  it.each(PHRASES)("$phrase → $rrule", ({ phrase, rrule, next }) => {
    const r = readSchedule(phrase, now);
    if (!r.ok) throw new Error(`refused: ${r.message}`);
    const [dtstart, rule] = r.rrule.split("\n");
    expect(rule).toBe(rrule);
    expect(dtstart).toBe(dtstartLine(next[0] ?? ""));
    expect(r.timezone).toBe("Europe/Berlin");
    expect(berlinIso(r.first)).toBe(next[0]);
    expect(r.once).toBe(rrule === "RRULE:FREQ=DAILY;COUNT=1");
    expect(r.rest).toBeUndefined();
    expect(nextOccurrences(r.rrule, now, 3, { inclusive: true }).map(berlinIso)).toEqual(next);
    expect(r.reading.length).toBeGreaterThan(0);
  });
});

describe("readSchedule: readings in German words", () => {
  it.each([
    ["jeden ersten Montag im Monat", "jeden ersten Montag im Monat um 9:00 Uhr"],
    ["morgen um 14 Uhr", "einmalig am Donnerstag, 3. Dezember 2026, 14:00 Uhr"],
    [
      "am letzten Werktag im Monat",
      "am letzten Werktag im Monat um 9:00 Uhr (Montag bis Freitag; Feiertage werden nicht berücksichtigt)",
    ],
    ["am 31. jeden Monats", "jeden Monat am 31. um 9:00 Uhr (Monate ohne 31. Tag werden übersprungen)"],
    ["alle zwei Wochen dienstags", "alle zwei Wochen am Dienstag um 9:00 Uhr"],
    ["werktags um 9", "werktags (Montag bis Freitag) um 9:00 Uhr"],
    ["jährlich am 30.9.", "jedes Jahr am 30. September um 9:00 Uhr"],
    ["montags und donnerstags um 10 Uhr", "jeden Montag und Donnerstag um 10:00 Uhr"],
  ])("%s → %s", (phrase, reading) => {
    const r = readSchedule(phrase, now);
    expect(r.ok && r.reading).toBe(reading);
  });
});

import { describe, expect, it } from "vitest";
import { nextOccurrences } from "../../../src/reminders/schedule/occurrences.ts";
import { readSchedule } from "../../../src/reminders/schedule/read-schedule.ts";
import { berlinIso } from "./iso.ts";
import { NOW } from "./phrases.ts";

const now = new Date(NOW);

describe("cron expressions", () => {
  it.each([
    [
      "cron: 0 9 * * 1-5",
      "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0",
      ["2026-12-03T09:00:00+01:00", "2026-12-04T09:00:00+01:00", "2026-12-07T09:00:00+01:00"],
      "werktags (Montag bis Freitag) um 9:00 Uhr",
    ],
    [
      "cron: 0 9 1,15 * *",
      "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=9;BYMINUTE=0",
      ["2026-12-15T09:00:00+01:00", "2027-01-01T09:00:00+01:00", "2027-01-15T09:00:00+01:00"],
      "jeden Monat am 1. und 15. um 9:00 Uhr",
    ],
    [
      "cron: 30 8 * 1,7 mon",
      "RRULE:FREQ=WEEKLY;BYMONTH=1,7;BYDAY=MO;BYHOUR=8;BYMINUTE=30",
      ["2027-01-04T08:30:00+01:00", "2027-01-11T08:30:00+01:00", "2027-01-18T08:30:00+01:00"],
      "jeden Montag im Januar und Juli um 8:30 Uhr",
    ],
    [
      "cron: 0 */6 * * *",
      "RRULE:FREQ=DAILY;BYHOUR=0,6,12,18;BYMINUTE=0",
      ["2026-12-02T12:00:00+01:00", "2026-12-02T18:00:00+01:00", "2026-12-03T00:00:00+01:00"],
      "täglich um 0:00, 6:00, 12:00 und 18:00 Uhr",
    ],
    [
      "cron: 15 7-9 * * 0,6",
      "RRULE:FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=7,8,9;BYMINUTE=15",
      ["2026-12-05T07:15:00+01:00", "2026-12-05T08:15:00+01:00", "2026-12-05T09:15:00+01:00"],
      "jeden Samstag und Sonntag um 7:15, 8:15 und 9:15 Uhr",
    ],
    [
      "CRON: 0 10 1 */3 *",
      "RRULE:FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1;BYHOUR=10;BYMINUTE=0",
      ["2027-01-01T10:00:00+01:00", "2027-04-01T10:00:00+02:00", "2027-07-01T10:00:00+02:00"],
      "jeden Monat am 1. im Januar, April, Juli und Oktober um 10:00 Uhr",
    ],
  ])("%s → %s", (input, rrule, next, reading) => {
    const r = readSchedule(input, now);
    if (!r.ok) throw new Error(r.message);
    expect(r.rrule.split("\n")[1]).toBe(rrule);
    expect(r.once).toBe(false);
    expect(nextOccurrences(r.rrule, now, 3, { inclusive: true }).map(berlinIso)).toEqual(next);
    expect(berlinIso(r.first)).toBe(next[0]);
    expect(r.reading).toBe(reading);
  });

  it("carries the text after the five fields as the reminder text", () => {
    const r = readSchedule("cron: 0 9 * * 1-5: Stand melden", now);
    expect(r.ok && r.rest).toBe("Stand melden");
    const plain = readSchedule("cron: 0 9 * * 1 Wochenplanung", now);
    expect(plain.ok && plain.rest).toBe("Wochenplanung");
  });

  it.each([
    ["cron: * 9 * * *", "öfter als einmal pro Stunde"],
    ["cron: */15 9 * * *", "öfter als einmal pro Stunde"],
    ["cron: 0,30 9 * * *", "öfter als einmal pro Stunde"],
    ["cron: 0 9 1 * 1", "entweder – oder"],
    ["cron: 0 9 31 2 *", "gibt es in den genannten Monaten nicht"],
    ["cron: 0 9 * *", "fünf Felder"],
    ["cron: 0 24 * * *", "Stunde"],
    ["cron: 0 9 * * 8", "Wochentag"],
    ["cron: 0 9 * 13 *", "Monat"],
    ["cron: 0 9 x * *", "kein gültiger Wert"],
  ])("refuses %s", (input, reason) => {
    const r = readSchedule(input, now);
    if (r.ok) throw new Error(`accepted as ${r.rrule}`);
    expect(r.message).toContain(reason);
    expect(r.message).toContain("So verstehe ich es zum Beispiel:");
  });
});

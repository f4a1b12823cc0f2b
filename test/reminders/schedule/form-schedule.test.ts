import { describe, expect, it } from "vitest";
import {
  REPEAT_CHOICES,
  type Repeat,
  scheduleFromForm,
} from "../../../src/reminders/schedule/form-schedule.ts";
import { nextOccurrences } from "../../../src/reminders/schedule/occurrences.ts";
import { berlinIso } from "./iso.ts";
import { NOW } from "./phrases.ts";

const now = new Date(NOW);

describe("scheduleFromForm", () => {
  it.each<[{ date?: string; time?: string; repeat?: Repeat }, string, string[], string]>([
    [
      { date: "2026-12-07", time: "08:30", repeat: "once" },
      "DTSTART;TZID=Europe/Berlin:20261207T083000\nRRULE:FREQ=DAILY;COUNT=1",
      ["2026-12-07T08:30:00+01:00"],
      "einmalig am Montag, 7. Dezember 2026, 8:30 Uhr",
    ],
    [
      { date: "2026-12-07", time: "08:30" },
      "DTSTART;TZID=Europe/Berlin:20261207T083000\nRRULE:FREQ=DAILY;COUNT=1",
      ["2026-12-07T08:30:00+01:00"],
      "einmalig am Montag, 7. Dezember 2026, 8:30 Uhr",
    ],
    [
      { date: "2026-12-07", time: "08:30", repeat: "daily" },
      "DTSTART;TZID=Europe/Berlin:20261207T083000\nRRULE:FREQ=DAILY",
      ["2026-12-07T08:30:00+01:00", "2026-12-08T08:30:00+01:00", "2026-12-09T08:30:00+01:00"],
      "täglich um 8:30 Uhr",
    ],
    [
      { date: "2026-12-04", time: "08:30", repeat: "weekdays" },
      "DTSTART;TZID=Europe/Berlin:20261204T083000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
      ["2026-12-04T08:30:00+01:00", "2026-12-07T08:30:00+01:00", "2026-12-08T08:30:00+01:00"],
      "werktags (Montag bis Freitag) um 8:30 Uhr",
    ],
    [
      { date: "2026-12-07", time: "08:30", repeat: "weekly" },
      "DTSTART;TZID=Europe/Berlin:20261207T083000\nRRULE:FREQ=WEEKLY;BYDAY=MO",
      ["2026-12-07T08:30:00+01:00", "2026-12-14T08:30:00+01:00", "2026-12-21T08:30:00+01:00"],
      "jeden Montag um 8:30 Uhr",
    ],
    [
      // A past date fixes the phase: 30 November, 14 December, 28 December …
      { date: "2026-11-30", time: "08:30", repeat: "biweekly" },
      "DTSTART;TZID=Europe/Berlin:20261214T083000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
      ["2026-12-14T08:30:00+01:00", "2026-12-28T08:30:00+01:00", "2027-01-11T08:30:00+01:00"],
      "alle zwei Wochen am Montag um 8:30 Uhr",
    ],
    [
      { date: "2026-12-31", repeat: "monthly" },
      "DTSTART;TZID=Europe/Berlin:20261231T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=31",
      ["2026-12-31T09:00:00+01:00", "2027-01-31T09:00:00+01:00", "2027-03-31T09:00:00+02:00"],
      "jeden Monat am 31. um 9:00 Uhr (Monate ohne 31. Tag werden übersprungen)",
    ],
    [
      { date: "2026-12-07", repeat: "monthly-weekday" },
      "DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO",
      ["2026-12-07T09:00:00+01:00", "2027-01-04T09:00:00+01:00", "2027-02-01T09:00:00+01:00"],
      "jeden ersten Montag im Monat um 9:00 Uhr",
    ],
    [
      // The 29th is a fifth Tuesday, which most months lack: it means the last Tuesday.
      { date: "2026-12-29", repeat: "monthly-weekday" },
      "DTSTART;TZID=Europe/Berlin:20261229T090000\nRRULE:FREQ=MONTHLY;BYDAY=-1TU",
      ["2026-12-29T09:00:00+01:00", "2027-01-26T09:00:00+01:00", "2027-02-23T09:00:00+01:00"],
      "jeden letzten Dienstag im Monat um 9:00 Uhr",
    ],
    [
      { date: "2027-03-31", time: "10:00", repeat: "yearly" },
      "DTSTART;TZID=Europe/Berlin:20270331T100000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
      ["2027-03-31T10:00:00+02:00", "2028-03-31T10:00:00+02:00", "2029-03-31T10:00:00+02:00"],
      "jedes Jahr am 31. März um 10:00 Uhr",
    ],
    [
      { date: "2020-03-16", time: "09:00", repeat: "yearly" },
      "DTSTART;TZID=Europe/Berlin:20270316T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=16",
      ["2027-03-16T09:00:00+01:00", "2028-03-16T09:00:00+01:00", "2029-03-16T09:00:00+01:00"],
      "jedes Jahr am 16. März um 9:00 Uhr",
    ],
    [
      { time: "08:30", repeat: "daily" },
      "DTSTART;TZID=Europe/Berlin:20261203T083000\nRRULE:FREQ=DAILY",
      ["2026-12-03T08:30:00+01:00", "2026-12-04T08:30:00+01:00", "2026-12-05T08:30:00+01:00"],
      "täglich um 8:30 Uhr",
    ],
  ])("%j", (fields, rrule, next, reading) => {
    const r = scheduleFromForm(fields, now);
    if (!r.ok) throw new Error(r.message);
    expect(r.rrule).toBe(rrule);
    expect(r.once).toBe(rrule.endsWith("COUNT=1"));
    expect(berlinIso(r.first)).toBe(next[0]);
    expect(nextOccurrences(r.rrule, now, 3, { inclusive: true }).map(berlinIso)).toEqual(next);
    expect(r.reading).toBe(reading);
  });

  it("covers every repeat choice", () => {
    for (const { value } of REPEAT_CHOICES)
      expect(scheduleFromForm({ date: "2027-01-04", repeat: value }, now).ok).toBe(true);
  });

  it.each<[{ date?: string; time?: string; repeat?: Repeat }, string]>([
    [{ repeat: "once" }, "Welchem Tag"],
    [{ date: "2026-12-01", repeat: "once" }, "Vergangenheit"],
    [{ date: "2026-12-02", time: "09:59" }, "Vergangenheit"],
    [{ date: "2027-02-30" }, "gibt es nicht"],
    [{ date: "2027-01-04", time: "25:00" }, "Uhrzeit gibt es nicht"],
    [{ date: "04.01.2027" }, "nicht sicher lesen"],
  ])("refuses %j", (fields, reason) => {
    const r = scheduleFromForm(fields, now);
    if (r.ok) throw new Error(`accepted as ${r.rrule}`);
    expect(r.message.toLowerCase()).toContain(reason.toLowerCase());
    expect(r.message).toContain("So verstehe ich es zum Beispiel:");
  });
});

describe("REPEAT_CHOICES", () => {
  it("lists each repeat once, in display order, with a German label", () => {
    expect(REPEAT_CHOICES.map((c) => c.value)).toEqual([
      "once",
      "daily",
      "weekdays",
      "weekly",
      "biweekly",
      "monthly",
      "monthly-weekday",
      "yearly",
    ]);
    expect(REPEAT_CHOICES[0]?.label).toBe("Einmalig");
    for (const c of REPEAT_CHOICES) expect(c.label).toMatch(/^[A-ZÄÖÜ]/);
  });
});

import { describe, expect, it } from "vitest";
import { readSchedule } from "../../../src/reminders/schedule/read-schedule.ts";
import { NOW } from "./phrases.ts";

const now = new Date(NOW);

describe("the reminder text a phrase carries", () => {
  it.each([
    [
      "jeden ersten Montag im Monat um 9 Uhr: Indikatoren melden",
      "RRULE:FREQ=MONTHLY;BYDAY=1MO",
      "Indikatoren melden",
    ],
    ["jeden Freitag um 9:30: Wochenbericht", "RRULE:FREQ=WEEKLY;BYDAY=FR", "Wochenbericht"],
    ["morgen um 14 Uhr Bericht abgeben", "RRULE:FREQ=DAILY;COUNT=1", "Bericht abgeben"],
    ["erinnere mich jeden Freitag um 9.30 Uhr an die Abgabe", "RRULE:FREQ=WEEKLY;BYDAY=FR", "an die Abgabe"],
    [
      "Erinnere uns am 31.3. um 10 Uhr: Indikatoren für den Nachhaltigkeitsbericht melden",
      "RRULE:FREQ=DAILY;COUNT=1",
      "Indikatoren für den Nachhaltigkeitsbericht melden",
    ],
    [
      "Erinnerung: jährlich am 30.9. Produktblätter einreichen",
      "RRULE:FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=30",
      "Produktblätter einreichen",
    ],
    ["Indikatoren melden: jeden Freitag", "RRULE:FREQ=WEEKLY;BYDAY=FR", "Indikatoren melden"],
    [
      "in 3 Tagen – Beschaffungsrichtlinie prüfen",
      "RRULE:FREQ=DAILY;COUNT=1",
      "Beschaffungsrichtlinie prüfen",
    ],
    [
      "am letzten Werktag im Monat: Stand der Ziele (siehe Wiki: Ziele)",
      "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
      "Stand der Ziele (siehe Wiki: Ziele)",
    ],
  ])("%s", (input, rrule, rest) => {
    const r = readSchedule(input, now);
    if (!r.ok) throw new Error(r.message);
    expect(r.rrule.split("\n")[1]).toBe(rrule);
    expect(r.rest).toBe(rest);
  });

  it.each([
    "jeden Tag um 9 Uhr:",
    "jeden Freitag , um 9 Uhr !",
    "erinnere mich morgen um 14 Uhr",
    "montags und donnerstags um 10 Uhr.",
  ])("has no text when the phrase is only a schedule: %s", (input) => {
    const r = readSchedule(input, now);
    if (!r.ok) throw new Error(r.message);
    expect(r.rest).toBeUndefined();
  });

  it("does not take a 9:30 for the separator", () => {
    const r = readSchedule("täglich um 9:30", now);
    expect(r.ok && r.rrule).toBe("DTSTART;TZID=Europe/Berlin:20261203T093000\nRRULE:FREQ=DAILY");
  });

  it("refuses a schedule word it cannot place instead of making it the text", () => {
    expect(readSchedule("jeden Freitag ab Januar: Bericht", now).ok).toBe(false);
    expect(readSchedule("jeden Freitag außer im August", now).ok).toBe(false);
  });
});

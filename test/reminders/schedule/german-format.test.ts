import { describe, expect, it } from "vitest";
import {
  describeRrule,
  formatDate,
  formatOccurrence,
} from "../../../src/reminders/schedule/german-format.ts";

describe("German formatting", () => {
  it("formats an occurrence in Berlin time, winter and summer", () => {
    expect(formatOccurrence(new Date("2027-01-04T09:00:00+01:00"))).toBe("Montag, 4. Januar 2027, 9:00 Uhr");
    expect(formatOccurrence(new Date("2027-06-30T12:05:00Z"))).toBe("Mittwoch, 30. Juni 2027, 14:05 Uhr");
    expect(formatOccurrence(new Date("2026-12-31T23:30:00Z"))).toBe("Freitag, 1. Januar 2027, 0:30 Uhr");
  });

  it("formats a date", () => {
    expect(formatDate(new Date("2027-01-04T09:00:00+01:00"))).toBe("4. Januar 2027");
    expect(formatDate(new Date("2027-03-01T08:00:00+01:00"))).toBe("1. März 2027");
  });

  it.each([
    [
      "DTSTART;TZID=Europe/Berlin:20261203T140000\nRRULE:FREQ=DAILY;COUNT=1",
      "einmalig am Donnerstag, 3. Dezember 2026, 14:00 Uhr",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO",
      "jeden ersten Montag im Monat um 9:00 Uhr",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO",
      "alle drei Monate am ersten Montag um 9:00 Uhr",
    ],
    ["DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=WEEKLY", "jeden Montag um 9:00 Uhr"],
    ["DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=DAILY;INTERVAL=3", "alle drei Tage um 9:00 Uhr"],
    ["DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=DAILY;COUNT=10", "täglich um 9:00 Uhr (10-mal)"],
    [
      "DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR",
      "alle zwei Wochen werktags (Montag bis Freitag) um 9:00 Uhr",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20261230T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=30",
      "jeden Monat am 30. um 9:00 Uhr (der Februar wird übersprungen)",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20270930T090000\nRRULE:FREQ=YEARLY",
      "jedes Jahr am 30. September um 9:00 Uhr",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20270226T090000\nRRULE:FREQ=YEARLY;BYMONTH=2;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
      "jedes Jahr am letzten Werktag im Februar um 9:00 Uhr (Montag bis Freitag; Feiertage werden nicht berücksichtigt)",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20261202T130000\nRRULE:FREQ=HOURLY;INTERVAL=4;BYMINUTE=0",
      "alle vier Stunden zur vollen Stunde",
    ],
  ])("describes %j", (rrule, text) => {
    expect(describeRrule(rrule)).toBe(text);
  });

  it("falls back to the rule itself for text not in Lotse's shape", () => {
    expect(describeRrule("RRULE:FREQ=SECONDLY")).toBe("nach der Regel RRULE:FREQ=SECONDLY");
  });
});

import { describe, expect, it } from "vitest";
import { readSchedule } from "../../../src/reminders/schedule/read-schedule.ts";
import { berlinIso } from "./iso.ts";
import { NOW, PHRASES } from "./phrases.ts";

const now = new Date(NOW);

describe("RFC 5545 rules as input", () => {
  it.each(PHRASES)("round-trips the rule read from %j", ({ phrase }) => {
    const first = readSchedule(phrase, now);
    if (!first.ok) throw new Error(first.message);
    const again = readSchedule(first.rrule, now);
    if (!again.ok) throw new Error(again.message);
    expect(again.rrule).toBe(first.rrule);
    expect(again.first.getTime()).toBe(first.first.getTime());
    expect(again.once).toBe(first.once);
    expect(again.reading).toBe(first.reading);
  });

  it.each([
    ["RRULE:FREQ=WEEKLY;BYDAY=FR", "DTSTART;TZID=Europe/Berlin:20261204T090000\nRRULE:FREQ=WEEKLY;BYDAY=FR"],
    ["rrule:freq=weekly;byday=mo", "DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO"],
    [
      "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8;BYMINUTE=30",
      "DTSTART;TZID=Europe/Berlin:20270101T083000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=8;BYMINUTE=30",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20261210T090000 RRULE:FREQ=DAILY;COUNT=1",
      "DTSTART;TZID=Europe/Berlin:20261210T090000\nRRULE:FREQ=DAILY;COUNT=1",
    ],
    [
      "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3",
      "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=3",
    ],
    [
      "RRULE:FREQ=DAILY;UNTIL=20270101T000000Z",
      "DTSTART;TZID=Europe/Berlin:20261203T090000\nRRULE:FREQ=DAILY;UNTIL=20270101T000000Z",
    ],
  ])("reads %j without or with a future DTSTART", (input, rrule) => {
    const r = readSchedule(input, now);
    expect(r.ok && r.rrule).toBe(rrule);
  });

  it("moves an old DTSTART to the next occurrence and keeps the INTERVAL phase", () => {
    // 6 January 2020 was a Monday; 14 December 2026 is 362 weeks later (even), 7 December 361 (odd).
    const r = readSchedule(
      "DTSTART;TZID=Europe/Berlin:20200106T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
      now,
    );
    expect(r.ok && r.rrule).toBe(
      "DTSTART;TZID=Europe/Berlin:20261214T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    );
  });

  it("keeps only the occurrences still ahead when it moves DTSTART of a COUNT rule", () => {
    const r = readSchedule("DTSTART;TZID=Europe/Berlin:20261130T090000\nRRULE:FREQ=DAILY;COUNT=5", now);
    if (!r.ok) throw new Error(r.message);
    expect(r.rrule).toBe("DTSTART;TZID=Europe/Berlin:20261203T090000\nRRULE:FREQ=DAILY;COUNT=2");
    expect(berlinIso(r.first)).toBe("2026-12-03T09:00:00+01:00");
    expect(r.once).toBe(false);
  });

  it.each([
    ["DTSTART;TZID=America/New_York:20270104T090000\nRRULE:FREQ=DAILY", "Europe/Berlin"],
    ["DTSTART:20270104T090000Z\nRRULE:FREQ=DAILY", "Europe/Berlin"],
    ["RRULE:FREQ=MINUTELY", "einmal pro Stunde"],
    ["RRULE:FREQ=HOURLY;BYMINUTE=0,30", "einmal pro Stunde"],
    ["RRULE:FOO=1", "nicht lesen"],
    ["RRULE:FREQ=DAILY;BYDAY=XX", "nicht lesen"],
    ["DTSTART;TZID=Europe/Berlin:20201301T090000\nRRULE:FREQ=DAILY", "nicht lesen"],
    ["DTSTART;TZID=Europe/Berlin:20200101T090000\nRRULE:FREQ=DAILY;COUNT=3", "keinen Termin mehr"],
  ])("refuses %j", (input, reason) => {
    const r = readSchedule(input, now);
    if (r.ok) throw new Error(`accepted as ${r.rrule}`);
    expect(r.message).toContain(reason);
    expect(r.message).toContain("So verstehe ich es zum Beispiel:");
  });
});

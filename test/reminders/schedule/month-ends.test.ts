import { describe, expect, it } from "vitest";
import { occurrencesBetween } from "../../../src/reminders/schedule/occurrences.ts";
import { readSchedule } from "../../../src/reminders/schedule/read-schedule.ts";
import { berlinIso } from "./iso.ts";

const from = new Date("2027-01-01T00:00:00+01:00");
const to = new Date("2028-12-31T23:59:00+01:00");
const days = (rrule: string) => occurrencesBetween(rrule, from, to).map((d) => berlinIso(d).slice(0, 10));

describe("month ends", () => {
  it("BYMONTHDAY=31 skips the months without a 31st, and the reading says so", () => {
    const r = readSchedule("jeden Monat am 31.", new Date("2026-12-02T10:00:00+01:00"));
    if (!r.ok) throw new Error(r.message);
    expect(days(r.rrule).slice(0, 8)).toEqual([
      "2027-01-31",
      "2027-03-31",
      "2027-05-31",
      "2027-07-31",
      "2027-08-31",
      "2027-10-31",
      "2027-12-31",
      "2028-01-31",
    ]);
    expect(r.reading).toContain("Monate ohne 31. Tag werden übersprungen");
  });

  it("BYMONTHDAY=30 skips February", () => {
    const list = days("DTSTART;TZID=Europe/Berlin:20270130T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=30");
    expect(list.slice(0, 3)).toEqual(["2027-01-30", "2027-03-30", "2027-04-30"]);
  });

  it("the last day of the month is 28 February in 2027 and 29 February in 2028", () => {
    const r = readSchedule("am letzten Tag im Monat", new Date("2026-12-02T10:00:00+01:00"));
    if (!r.ok) throw new Error(r.message);
    const list = days(r.rrule);
    expect(list).toContain("2027-02-28");
    expect(list).toContain("2028-02-29");
    expect(list).toHaveLength(24);
    expect(list.slice(0, 4)).toEqual(["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]);
  });

  it("the last workday falls back to Friday when a month ends on a weekend (holidays not considered)", () => {
    const r = readSchedule("am letzten Werktag im Monat", new Date("2026-12-02T10:00:00+01:00"));
    if (!r.ok) throw new Error(r.message);
    const list = days(r.rrule);
    expect(list).toContain("2027-01-29"); // 31 January 2027 is a Sunday
    expect(list).toContain("2027-02-26"); // 28 February 2027 is a Sunday
    expect(list).toContain("2027-07-30"); // 31 July 2027 is a Saturday
    expect(list).toContain("2027-10-29"); // 31 October 2027 is a Sunday
    expect(list).toContain("2027-12-31"); // a Friday, Silvester, still counts
    expect(r.reading).toContain("Montag bis Freitag");
  });

  it("a yearly 29 February occurs only in leap years", () => {
    expect(
      days("DTSTART;TZID=Europe/Berlin:20280229T090000\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
    ).toEqual(["2028-02-29"]);
  });
});

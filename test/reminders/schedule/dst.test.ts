import { describe, expect, it } from "vitest";
import { nextOccurrences, occurrencesBetween } from "../../../src/reminders/schedule/occurrences.ts";
import { readSchedule } from "../../../src/reminders/schedule/read-schedule.ts";
import { berlinIso } from "./iso.ts";

// 2027: summer time starts Sunday 28 March (02:00 → 03:00) and ends Sunday 31 October (03:00 → 02:00).
function read(phrase: string, now: string) {
  const r = readSchedule(phrase, new Date(now));
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe("daylight-saving changes in Europe/Berlin", () => {
  it("keeps a weekly 9:00 at 9:00 local across the spring change (+01:00 → +02:00)", () => {
    const r = read("jeden Freitag um 9 Uhr", "2027-03-15T10:00:00+01:00");
    expect(
      nextOccurrences(r.rrule, new Date("2027-03-15T10:00:00+01:00"), 3, { inclusive: true }).map(berlinIso),
    ).toEqual(["2027-03-19T09:00:00+01:00", "2027-03-26T09:00:00+01:00", "2027-04-02T09:00:00+02:00"]);
  });

  it("keeps a weekly 9:00 at 9:00 local across the autumn change (+02:00 → +01:00)", () => {
    const r = read("jeden Freitag um 9 Uhr", "2027-10-18T10:00:00+02:00");
    expect(
      nextOccurrences(r.rrule, new Date("2027-10-18T10:00:00+02:00"), 3, { inclusive: true }).map(berlinIso),
    ).toEqual(["2027-10-22T09:00:00+02:00", "2027-10-29T09:00:00+02:00", "2027-11-05T09:00:00+01:00"]);
  });

  it("a daily 02:30 has no occurrence on the last Sunday of March (RFC 5545 3.3.10: a nonexistent local time is ignored)", () => {
    const r = read("täglich um 2:30", "2027-03-26T10:00:00+01:00");
    expect(r.rrule).toBe("DTSTART;TZID=Europe/Berlin:20270327T023000\nRRULE:FREQ=DAILY");
    expect(nextOccurrences(r.rrule, new Date("2027-03-26T10:00:00+01:00"), 3).map(berlinIso)).toEqual([
      "2027-03-27T02:30:00+01:00",
      "2027-03-29T02:30:00+02:00",
      "2027-03-30T02:30:00+02:00",
    ]);
    expect(
      occurrencesBetween(
        r.rrule,
        new Date("2027-03-28T00:00:00+01:00"),
        new Date("2027-03-28T23:59:00+02:00"),
      ),
    ).toEqual([]);
  });

  it("a one-off at 02:30 on the last Sunday of March is at 03:30 CEST (RFC 5545 3.3.5: the offset before the gap)", () => {
    const r = read("am 28.3.2027 um 2:30", "2027-03-26T10:00:00+01:00");
    expect(r.rrule).toBe("DTSTART;TZID=Europe/Berlin:20270328T023000\nRRULE:FREQ=DAILY;COUNT=1");
    expect(berlinIso(r.first)).toBe("2027-03-28T03:30:00+02:00");
    expect(nextOccurrences(r.rrule, new Date("2027-03-26T10:00:00+01:00"), 3).map(berlinIso)).toEqual([
      "2027-03-28T03:30:00+02:00",
    ]);
    expect(r.reading).toBe("einmalig am Sonntag, 28. März 2027, 3:30 Uhr");
  });

  it("a daily 02:30 occurs once on the last Sunday of October, at the first 02:30 (CEST)", () => {
    const r = read("täglich um 2:30", "2027-10-29T10:00:00+02:00");
    expect(nextOccurrences(r.rrule, new Date("2027-10-29T10:00:00+02:00"), 3).map(berlinIso)).toEqual([
      "2027-10-30T02:30:00+02:00",
      "2027-10-31T02:30:00+02:00",
      "2027-11-01T02:30:00+01:00",
    ]);
    const onTheDay = occurrencesBetween(
      r.rrule,
      new Date("2027-10-31T00:00:00+02:00"),
      new Date("2027-10-31T23:59:00+01:00"),
    );
    expect(onTheDay.map(berlinIso)).toEqual(["2027-10-31T02:30:00+02:00"]);
  });

  it("a one-off at 02:30 on the last Sunday of October is the first 02:30 (CEST)", () => {
    const r = read("am 31.10. um 2:30", "2027-10-29T10:00:00+02:00");
    expect(berlinIso(r.first)).toBe("2027-10-31T02:30:00+02:00");
  });

  it("a weekly Sunday 02:30 skips the spring-change Sunday and keeps 02:30 afterwards", () => {
    const r = read("jeden Sonntag um 2:30", "2027-03-22T10:00:00+01:00");
    expect(
      nextOccurrences(r.rrule, new Date("2027-03-22T10:00:00+01:00"), 2, { inclusive: true }).map(berlinIso),
    ).toEqual(["2027-04-04T02:30:00+02:00", "2027-04-11T02:30:00+02:00"]);
  });
});

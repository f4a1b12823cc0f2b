import { describe, expect, it } from "vitest";
import { LotseError } from "../../../src/errors.ts";
import { nextOccurrences, occurrencesBetween } from "../../../src/reminders/schedule/occurrences.ts";
import { berlinIso } from "./iso.ts";

const DAILY_2020 = "DTSTART;TZID=Europe/Berlin:20200101T090000\nRRULE:FREQ=DAILY";

describe("nextOccurrences", () => {
  it("finds the next occurrences of a rule that started years ago", () => {
    expect(nextOccurrences(DAILY_2020, new Date("2030-06-01T00:00:00Z"), 3).map(berlinIso)).toEqual([
      "2030-06-01T09:00:00+02:00",
      "2030-06-02T09:00:00+02:00",
      "2030-06-03T09:00:00+02:00",
    ]);
  });

  it("is strictly after `after` unless inclusive", () => {
    const at = new Date("2030-06-01T09:00:00+02:00");
    expect(nextOccurrences(DAILY_2020, at, 1).map(berlinIso)).toEqual(["2030-06-02T09:00:00+02:00"]);
    expect(nextOccurrences(DAILY_2020, at, 1, { inclusive: true }).map(berlinIso)).toEqual([
      "2030-06-01T09:00:00+02:00",
    ]);
  });

  it("returns fewer when the rule ends", () => {
    const rule = "DTSTART;TZID=Europe/Berlin:20261203T140000\nRRULE:FREQ=DAILY;COUNT=1";
    expect(nextOccurrences(rule, new Date("2026-12-01T00:00:00Z"), 3)).toHaveLength(1);
    expect(nextOccurrences(rule, new Date("2026-12-04T00:00:00Z"), 3)).toEqual([]);
  });

  it("throws a REQUEST_INVALID LotseError for a broken rule", () => {
    expect(() =>
      nextOccurrences("DTSTART;TZID=Europe/Berlin:20261203T140000\nRRULE:FREQ=NEVER", new Date(), 1),
    ).toThrow(LotseError);
  });
});

describe("occurrencesBetween", () => {
  it("includes both ends and respects the limit", () => {
    const from = new Date("2030-06-01T09:00:00+02:00");
    const to = new Date("2030-06-05T09:00:00+02:00");
    expect(occurrencesBetween(DAILY_2020, from, to)).toHaveLength(5);
    expect(occurrencesBetween(DAILY_2020, from, to, 2).map(berlinIso)).toEqual([
      "2030-06-01T09:00:00+02:00",
      "2030-06-02T09:00:00+02:00",
    ]);
    expect(occurrencesBetween(DAILY_2020, to, from)).toEqual([]);
  });
});

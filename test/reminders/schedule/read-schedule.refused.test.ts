import { describe, expect, it } from "vitest";
import { readSchedule } from "../../../src/reminders/schedule/read-schedule.ts";
import { SCHEDULE_EXAMPLES } from "../../../src/reminders/schedule/schedule-help.ts";
import { NOW } from "./phrases.ts";

const now = new Date(NOW);

// Each phrase with a word the refusal must contain, so a refusal for the wrong reason fails too.
const REFUSED: [string, string][] = [
  ["bald", "ungenau"],
  ["irgendwann", "ungenau"],
  ["später", "ungenau"],
  ["demnächst", "ungenau"],
  ["nächste Woche", "ungenau"],
  ["nächsten Monat", "ungenau"],
  ["gestern", "Vergangenheit"],
  ["vorgestern", "Vergangenheit"],
  ["am 1.1.2020", "Vergangenheit"],
  ["am 31.03.2026", "Vergangenheit"],
  ["heute um 8 Uhr", "Vergangenheit"],
  ["am 31.2.", "gibt es nicht"],
  ["am 30.2.2027", "gibt es nicht"],
  ["am 31.13.", "gibt es nicht"],
  ["um 25 Uhr", "Uhrzeit gibt es nicht"],
  ["jeden zweiten Montag", "alle zwei Wochen montags"],
  ["wöchentlich", "Wochentag"],
  ["jede Woche", "Wochentag"],
  ["monatlich", "Welchem Tag"],
  ["am 15.", "Welchem Tag"],
  ["am letzten Tag", "Welchem Tag"],
  ["um 17 Uhr", "Welchem Tag"],
  ["jeden Freitag bis Juni", "nicht sicher lesen"],
  ["Bericht abgeben", "nicht sicher lesen"],
  ["xyz morgen", "nicht sicher lesen"],
  ["", "wann ich erinnern soll"],
];

describe("readSchedule refuses instead of guessing", () => {
  it("has at least 12 refused phrases", () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(12);
  });

  it.each(REFUSED)("%j is refused (%s)", (phrase, reason) => {
    const r = readSchedule(phrase, now);
    if (r.ok) throw new Error(`accepted as ${r.rrule}`);
    expect(r.message.toLowerCase()).toContain(reason.toLowerCase());
    expect(r.message).toContain("So verstehe ich es zum Beispiel:");
    for (const example of SCHEDULE_EXAMPLES) expect(r.message).toContain(`„${example}“`);
  });

  it("lists between four and six examples, each of which it reads itself", () => {
    expect(SCHEDULE_EXAMPLES.length).toBeGreaterThanOrEqual(4);
    expect(SCHEDULE_EXAMPLES.length).toBeLessThanOrEqual(6);
    for (const example of SCHEDULE_EXAMPLES) expect(readSchedule(example, now).ok).toBe(true);
  });
});

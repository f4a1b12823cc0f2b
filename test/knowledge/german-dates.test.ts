import { describe, expect, it } from "vitest";
import { hasPassed, namedDates } from "../../src/knowledge/german-dates.ts";

const NOW = new Date("2026-12-01T09:00:00Z");

describe("namedDates", () => {
  it("reads the German date forms with a year, each once", () => {
    const dates = namedDates("Frist: 30. Juni 2026 (30.06.2026), danach 1.7.2026, zuletzt im März 2027 und Jänner 2025.");
    expect(dates.map((d) => [d.text, d.end.toISOString().slice(0, 10)])).toEqual([
      ["30. Juni 2026", "2026-06-30"],
      ["30.06.2026", "2026-06-30"],
      ["1.7.2026", "2026-07-01"],
      ["März 2027", "2027-03-31"],
      ["Jänner 2025", "2025-01-31"],
    ]);
  });

  it("ignores dates without a year, impossible days, years alone and paragraph numbers", () => {
    expect(namedDates("jedes Jahr bis 31. März (31.03.), bis 2030, am 31.02.2026, § 4.1.8 und 10.000 Einwohner")).toEqual([]);
  });
});

describe("hasPassed", () => {
  it("counts a month as passed only after its last day, a day after that day", () => {
    const [nov, today, yesterday] = namedDates("November 2026, 1.12.2026, 30.11.2026");
    expect([nov, today, yesterday].map((d) => d && hasPassed(d, NOW))).toEqual([true, false, true]);
    expect(hasPassed(namedDates("Dezember 2026")[0]!, NOW)).toBe(false);
  });
});

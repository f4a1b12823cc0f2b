import { describe, expect, it } from "vitest";
import { deadlineSummary } from "../../../src/reminders/deadlines/summary.ts";

describe("deadlineSummary", () => {
  it("is the first paragraph without footnote markers when it is short", () => {
    expect(deadlineSummary("Bis 31. März melden.[^1] Dann prüfen.\n\nZweiter Absatz.")).toBe(
      "Bis 31. März melden. Dann prüfen.",
    );
  });

  it("ends at the last sentence that fits into about 300 characters", () => {
    const first = `In Musterstadt melden alle Fachbereiche ihre Indikatoren jedes Jahr bis 31. März an die Koordination.`;
    const body = `${first} ${"Gemeldet werden die Werte des Vorjahres, z. B. der Papierverbrauch. ".repeat(5)}`;
    const s = deadlineSummary(body);
    expect(s.length).toBeLessThanOrEqual(300);
    expect(s.startsWith(first)).toBe(true);
    expect(s.endsWith("Papierverbrauch.")).toBe(true);
  });

  it("cuts a single overlong sentence at a word and marks it", () => {
    const s = deadlineSummary(`Die Frist gilt für ${"sehr viele Fachbereiche und ".repeat(20)}alle Ämter.`);
    expect(s.length).toBeLessThanOrEqual(300);
    expect(s).toMatch(/[a-zäöüß]…$/);
  });
});

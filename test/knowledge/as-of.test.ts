import { describe, expect, it } from "vitest";
import { AS_OF_PATTERN, asOfEnd, asOfLabel } from "../../src/knowledge/as-of.ts";

describe("as_of", () => {
  it("accepts a day or a month, nothing else", () => {
    expect(["2026-03-15", "2026-03"].map((v) => AS_OF_PATTERN.test(v))).toEqual([true, true]);
    expect(["2026-13", "2026-3", "März 2026", "2026-03-32", "2026"].map((v) => AS_OF_PATTERN.test(v))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("ends a month on its last day", () => {
    expect(asOfEnd("2026-02").toISOString().slice(0, 10)).toBe("2026-02-28");
    expect(asOfEnd("2026-03-15").toISOString().slice(0, 10)).toBe("2026-03-15");
  });

  it("is shown as 'Stand: <Monat> <Jahr>'", () => {
    expect(asOfLabel("2026-03")).toBe("Stand: März 2026");
    expect(asOfLabel("2025-12-04")).toBe("Stand: Dezember 2025");
  });
});

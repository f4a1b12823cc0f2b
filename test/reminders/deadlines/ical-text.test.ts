import { describe, expect, it } from "vitest";
import { escapeText, foldLine, icalDocument } from "../../../src/reminders/deadlines/ical-text.ts";

const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "");

describe("iCalendar text", () => {
  it("escapes backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)", () => {
    expect(escapeText("a\\b; c, d\ne\r\nf")).toBe("a\\\\b\\; c\\, d\\ne\\nf");
  });

  it("folds a long German line at 75 octets without splitting a character, and unfolding restores it", () => {
    const line = `DESCRIPTION:${"Die Fachbereiche übermitteln Maßnahmen für Wärme, Strom und Kraftstoffe – äöüß€ 😀 ".repeat(6)}`;
    const folded = foldLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(6);
    for (const p of parts) {
      expect(Buffer.byteLength(p, "utf8")).toBeLessThanOrEqual(75);
      // A cut inside a multi-byte sequence would leave a replacement character after a round trip through bytes.
      expect(Buffer.from(p, "utf8").toString("utf8")).toBe(p);
      expect(p).not.toMatch(/[\uD800-\uDBFF]$|^ ?[\uDC00-\uDFFF]/);
    }
    expect(parts.slice(1).every((p) => p.startsWith(" "))).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it("leaves a line of exactly 75 octets whole and folds one of 76", () => {
    expect(foldLine("X".repeat(75))).toBe("X".repeat(75));
    expect(foldLine("X".repeat(76))).toBe(`${"X".repeat(75)}\r\n X`);
    // "ä" is two octets: 74 + 2 would be 76, so it moves to the next line.
    expect(foldLine(`${"X".repeat(74)}ä`)).toBe(`${"X".repeat(74)}\r\n ä`);
  });

  it("joins content lines with CRLF and ends with one", () => {
    expect(icalDocument(["BEGIN:VCALENDAR", "END:VCALENDAR"])).toBe("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  });
});

import { describe, expect, it } from "vitest";
import { parseFrontMatter } from "../../src/knowledge/front-matter.ts";

const good = `---
id: vergabe-energieeffizienz
title: Energieeffizienz in der Vergabe
type: guidance
tenant: shared
sources:
  - title: VgV § 67
    url: https://gesetze.legal/bund/vgv/67
contacts: [vergabestelle]
next_steps:
  - link: nachhaltigkeitscheck
  - label: Kompass
    url: https://www.kompass-nachhaltigkeit.de/
reviewed: 2026-11-20
tags: [beschaffung]
---
# Energieeffizienz in der Vergabe
Text.
`;

describe("parseFrontMatter", () => {
  it("reads every field and where the body starts", () => {
    const r = parseFrontMatter(good, "shared/a.md");
    expect(r.findings).toEqual([]);
    expect(r.meta).toMatchObject({
      id: "vergabe-energieeffizienz",
      tenant: null,
      contacts: ["vergabestelle"],
      reviewed: "2026-11-20",
      nextSteps: [
        { kind: "link", link: "nachhaltigkeitscheck" },
        { kind: "url", label: "Kompass", url: "https://www.kompass-nachhaltigkeit.de/" },
      ],
    });
    expect(r.bodyLine).toBe(17);
    expect(r.keyLines.get("contacts")).toBe(9);
  });

  it("reports a missing front matter on line 1", () => {
    const r = parseFrontMatter("# Nur Text\n", "x.md");
    expect(r.meta).toBeUndefined();
    expect(r.findings[0]).toMatchObject({ severity: "error", line: 1 });
  });

  it("reports broken YAML with its line", () => {
    const r = parseFrontMatter("---\nid: a\ntitle: [kaputt\ntype: guidance\n---\n", "x.md");
    expect(r.meta).toBeUndefined();
    expect(r.findings[0]?.message).toMatch(/kein gültiges YAML/);
    expect(r.findings[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it("reports a malformed URL and a bad type at their own lines", () => {
    const src = good.replace("https://gesetze.legal/bund/vgv/67", "gesetze.legal/vgv").replace("type: guidance", "type: leitfaden");
    const r = parseFrontMatter(src, "x.md");
    const lines = r.findings.map((f) => [f.line, f.message]);
    expect(lines).toContainEqual([4, expect.stringContaining("type")]);
    // The url line inside the sources list, not the line of "sources:".
    expect(lines).toContainEqual([8, expect.stringContaining("http(s)-URL")]);
  });

  it("names a missing required field", () => {
    const r = parseFrontMatter(good.replace("title: Energieeffizienz in der Vergabe\n", ""), "x.md");
    expect(r.findings.map((f) => f.message)).toContainEqual(expect.stringContaining('Pflichtfeld "title"'));
  });
});

describe("as_of in front matter", () => {
  const withAsOf = (value: string) => good.replace("reviewed: 2026-11-20", `reviewed: 2026-11-20\nas_of: ${value}`);

  it("reads a day or a month as written", () => {
    expect(parseFrontMatter(withAsOf("2026-03-15"), "shared/a.md").meta?.asOf).toBe("2026-03-15");
    expect(parseFrontMatter(withAsOf("2026-03"), "shared/a.md").meta?.asOf).toBe("2026-03");
    expect(parseFrontMatter(good, "shared/a.md").meta?.asOf).toBeUndefined();
  });

  it("rejects another form with the line and the format to use", () => {
    const r = parseFrontMatter(withAsOf("März 2026"), "shared/a.md");
    expect(r.meta).toBeUndefined();
    expect(r.findings).toMatchObject([
      { severity: "error", line: 15, message: expect.stringContaining("JJJJ-MM-TT oder ein Monat im Format JJJJ-MM") },
    ]);
  });
});

describe("due in front matter", () => {
  const withDue = (value: string) => good.replace("type: guidance", `type: deadline\ndue: ${value}`);

  it("reads the deadline's recurrence as written, trimmed, with its line", () => {
    const r = parseFrontMatter(withDue('"  jährlich am 31.3. "'), "musterstadt/frist.md");
    expect(r.findings).toEqual([]);
    expect(r.meta?.due).toBe("jährlich am 31.3.");
    expect(r.keyLines.get("due")).toBe(5);
    expect(parseFrontMatter(good, "shared/a.md").meta?.due).toBeUndefined();
  });

  it("rejects a due that is not a text, with its line", () => {
    const r = parseFrontMatter(withDue("[jährlich, 31.3.]"), "musterstadt/frist.md");
    expect(r.meta).toBeUndefined();
    expect(r.findings).toMatchObject([{ severity: "error", line: 5, message: expect.stringContaining('Feld "due"') }]);
    expect(parseFrontMatter(withDue('""'), "musterstadt/frist.md").findings).toMatchObject([
      { severity: "error", line: 5, message: expect.stringContaining("leer") },
    ]);
  });
});

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { formatFindings, validateKnowledge } from "../../src/knowledge/validate.ts";
import { ROOT } from "../helpers.ts";

describe("the bundled knowledge base", () => {
  it("validates without errors, and every shared document names a source", async () => {
    const set = await loadKnowledge(path.join(ROOT, "knowledge"));
    const findings = validateKnowledge(set, new Date("2026-11-25T00:00:00Z"));
    expect(formatFindings(findings.filter((f) => f.severity === "error"))).toBe("");
    expect(set.docs.filter((d) => d.meta.tenant === null && d.meta.sources.length === 0).map((d) => d.path)).toEqual([]);
    expect(set.tenants.get("musterstadt")?.contacts.get("nachhaltigkeit")).toBeDefined();
  });
});

describe("the example PDF (Dienstanweisung Nachhaltige Beschaffung)", () => {
  it("is exactly what scripts/build-dienstanweisung-pdf.ts generates, and ingests with page numbers", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-pdf-"));
    try {
      const fresh = path.join(dir, "da.pdf");
      await promisify(execFile)(process.execPath, [path.join(ROOT, "scripts/build-dienstanweisung-pdf.ts"), fresh]);
      const committed = path.join(ROOT, "knowledge/musterstadt/dienstanweisung-nachhaltige-beschaffung.pdf");
      expect(Buffer.compare(await readFile(fresh), await readFile(committed))).toBe(0);
      const set = await loadKnowledge(path.join(ROOT, "knowledge"));
      const pdf = set.docs.find((d) => d.path.endsWith("dienstanweisung-nachhaltige-beschaffung.pdf"));
      expect(pdf?.sections.map((s) => s.page)).toEqual([1, 2, 3]);
      expect(pdf?.sections.some((s) => s.text.includes("25.000 Euro"))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

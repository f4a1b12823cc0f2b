import path from "node:path";
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

import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { formatFindings, hasErrors, validateKnowledge } from "../../src/knowledge/validate.ts";
import { FIXTURE_KNOWLEDGE } from "../helpers.ts";

const NOW = new Date("2026-11-25T10:00:00Z");

async function copyFixtures(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lotse-kb-"));
  await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
  return dir;
}

describe("loadKnowledge", () => {
  it("loads Markdown, PDF pages and DOCX headings with their metadata", async () => {
    const set = await loadKnowledge(FIXTURE_KNOWLEDGE);
    expect(validateKnowledge(set, NOW).filter((f) => f.severity === "error")).toEqual([]);
    const pdf = set.docs.find((d) => d.meta.id === "musterstadt-leitfaden-beschaffung");
    expect(pdf?.sections.map((s) => s.page)).toEqual([1, 2]);
    expect(pdf?.sections[1]?.text).toContain("Streusalz mit Umweltzeichen");
    const docx = set.docs.find((d) => d.meta.id === "musterstadt-veranstaltungen");
    expect(docx?.sections.map((s) => s.headings.join(" > "))).toEqual([
      "Mehrweggeschirr",
      "Catering",
    ]);
    expect(set.tenants.get("musterstadt")?.contacts.get("vergabestelle")?.label).toBe("Vergabestelle");
    expect(set.tenants.get("musterstadt")?.links.get("nachhaltigkeitscheck")?.url).toMatch(/^https:/);
  });

  it("skips re-reading files whose hash is known", async () => {
    const first = await loadKnowledge(FIXTURE_KNOWLEDGE);
    const known = new Map(first.docs.map((d) => [d.path, d.hash]));
    const second = await loadKnowledge(FIXTURE_KNOWLEDGE, { knownHashes: known });
    expect(second.docs).toEqual([]);
    expect(second.unchanged.length).toBe(first.docs.length);
  });
});

describe("validateKnowledge", () => {
  it("reports unknown roles, duplicate ids, unknown links, wrong folder and stale reviews with file and line", async () => {
    const dir = await copyFixtures();
    const file = path.join(dir, "shared/waermeplanung.md");
    const src = await readFile(file, "utf8");
    await writeFile(file, src.replace("contacts: [nachhaltigkeit]", "contacts: [klimaschutz]").replace("reviewed: 2026-11-20", "reviewed: 2024-01-10"));
    await writeFile(
      path.join(dir, "shared/doppelt.md"),
      "---\nid: waermeplanung\ntitle: Doppelt\ntype: guidance\ntenant: musterstadt\nsources:\n  - title: X\n    url: https://example.org/x\nnext_steps:\n  - link: gibt-es-nicht\nreviewed: 2026-11-01\n---\n# Doppelt\nText.\n",
    );
    const findings = validateKnowledge(await loadKnowledge(dir), NOW);
    const text = formatFindings(findings);
    expect(hasErrors(findings)).toBe(true);
    expect(text).toContain('shared/waermeplanung.md:9: Fehler: Unbekannte Kontaktrolle "klimaschutz"');
    expect(text).toContain("shared/waermeplanung.md:10: Warnung: Zuletzt geprüft am 2024-01-10");
    expect(text).toMatch(/shared\/(doppelt|waermeplanung)\.md:2: Fehler: Kennung "waermeplanung" ist doppelt/);
    expect(text).toContain("shared/doppelt.md:5: Fehler: tenant ist \"musterstadt\"");
    expect(text).toContain('Link "gibt-es-nicht" fehlt');
  });

  it("reports an unknown role in contacts.yaml", async () => {
    const dir = await copyFixtures();
    await writeFile(path.join(dir, "musterstadt/contacts.yaml"), "nachhaltigkeit:\n  name: A\nhausmeister:\n  name: B\n");
    const text = formatFindings(validateKnowledge(await loadKnowledge(dir), NOW));
    expect(text).toContain('musterstadt/contacts.yaml:3: Fehler: Unbekannte Kontaktrolle "hausmeister"');
  });
});

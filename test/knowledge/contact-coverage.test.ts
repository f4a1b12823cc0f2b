import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { formatFindings, hasErrors, validateKnowledge } from "../../src/knowledge/validate.ts";
import { FIXTURE_KNOWLEDGE, ROOT } from "../helpers.ts";

const NOW = new Date("2026-11-25T10:00:00Z");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function copyFixtures(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lotse-cov-"));
  dirs.push(dir);
  await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
  return dir;
}

describe("contact coverage warnings", () => {
  it("warns about a tenant that maps only some of the roles its documents name", async () => {
    // otherstadt maps only nachhaltigkeit; two shared documents name vergabestelle.
    const findings = validateKnowledge(await loadKnowledge(FIXTURE_KNOWLEDGE), NOW);
    expect(hasErrors(findings)).toBe(false);
    expect(formatFindings(findings)).toContain(
      'otherstadt/contacts.yaml:1: Warnung: Kein gültiger Kontakt für die Rolle "vergabestelle" (2 Dokumente, z. B. shared/beschaffungskriterien.md): Antworten, die diese Rollen nennen, zeigen dann keine Ansprechperson.',
    );
    expect(formatFindings(findings)).not.toContain("musterstadt/contacts.yaml");
  });

  it("warns when a tenant lacks the default contact role, naming LOTSE_DEFAULT_CONTACT_ROLE", async () => {
    const dir = await copyFixtures();
    await writeFile(path.join(dir, "musterstadt/contacts.yaml"), "vergabestelle:\n  name: Zentrale Vergabestelle\nfuhrpark:\n  name: Jonas Rad\n");
    const text = formatFindings(validateKnowledge(await loadKnowledge(dir), NOW));
    expect(text).toMatch(/musterstadt\/contacts\.yaml:1: Warnung: Kein gültiger Kontakt für die Rollen? "nachhaltigkeit"/);
    const custom = formatFindings(validateKnowledge(await loadKnowledge(dir), NOW, { defaultContactRole: "fuhrpark" }));
    expect(custom).toContain('otherstadt/contacts.yaml:1: Warnung: Kein gültiger Kontakt für die Rollen "fuhrpark" (LOTSE_DEFAULT_CONTACT_ROLE');
  });

  it("warns when no tenant folder is left to name the default contact", async () => {
    const dir = await copyFixtures();
    await rm(path.join(dir, "musterstadt"), { recursive: true });
    await rm(path.join(dir, "otherstadt"), { recursive: true });
    const text = formatFindings(validateKnowledge(await loadKnowledge(dir), NOW, { defaultTenant: "musterstadt" }));
    expect(text).toContain(
      'musterstadt/contacts.yaml:1: Warnung: Keine Kommune hat einen Kontakt für die Rolle "nachhaltigkeit" (LOTSE_DEFAULT_CONTACT_ROLE)',
    );
    expect(text).toContain('LOTSE_DEFAULT_TENANT ist "musterstadt", aber den Ordner musterstadt/ gibt es nicht');
  });

  it("warns about a default contact role that roles.yaml does not define, and mapped tenants without a folder", async () => {
    const text = formatFindings(
      validateKnowledge(await loadKnowledge(FIXTURE_KNOWLEDGE), NOW, {
        defaultContactRole: "klimaschutz",
        mappedTenants: ["musterstadt", "neustadt", "neustadt"],
      }),
    );
    expect(text).toContain('roles.yaml:1: Warnung: LOTSE_DEFAULT_CONTACT_ROLE ist "klimaschutz", diese Rolle fehlt in roles.yaml');
    expect(text.match(/LOTSE_TENANT_MAP nennt "neustadt"/g)).toHaveLength(1);
    expect(text).not.toContain('LOTSE_TENANT_MAP nennt "musterstadt"');
  });

  it("finds nothing to warn about in the bundled knowledge base with its default settings", async () => {
    const set = await loadKnowledge(path.join(ROOT, "knowledge"));
    const findings = validateKnowledge(set, NOW, { defaultTenant: "musterstadt", defaultContactRole: "nachhaltigkeit" });
    expect(findings.filter((f) => f.file.endsWith("contacts.yaml") || f.file === "roles.yaml")).toEqual([]);
  });
});

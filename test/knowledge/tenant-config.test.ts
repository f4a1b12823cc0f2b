import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LotseError } from "../../src/errors.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { formatFindings, hasErrors, validateKnowledge } from "../../src/knowledge/validate.ts";
import { ROOT } from "../helpers.ts";

const NOW = new Date("2026-11-25T10:00:00Z");
/** roles.yaml, one shared document and tenant "neustadt" with the mistakes operators make in their first YAML. */
const INVALID = path.join(ROOT, "test/fixtures/invalid-tenant-config");

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function validate(dir: string): Promise<string> {
  return formatFindings(validateKnowledge(await loadKnowledge(dir), NOW));
}

describe("tenant configuration findings", () => {
  it("names the line of the offending value in contacts.yaml, in German", async () => {
    const text = await validate(INVALID);
    expect(text).toContain(
      'neustadt/contacts.yaml:6: Fehler: Kontakt für Rolle "nachhaltigkeit": E-Mail muss ein Text sein, gefunden: Zahl',
    );
    expect(text).toContain(
      'neustadt/contacts.yaml:7: Fehler: Kontakt für Rolle "nachhaltigkeit": Telefon muss ein Text sein, gefunden: Zahl (als Text in Anführungszeichen schreiben: "0555123410")',
    );
    expect(text).toContain('neustadt/contacts.yaml:11: Warnung: Kontakt für Rolle "vergabestelle": unbekanntes Feld "telefon"');
  });

  it("flags an unknown role in contacts.yaml with the known role ids, even beside a schema error", async () => {
    const text = await validate(INVALID);
    expect(text).toContain(
      'neustadt/contacts.yaml:12: Fehler: Unbekannte Kontaktrolle "hausmeister" (bekannt: nachhaltigkeit, vergabestelle)',
    );
  });

  it("reports roles.yaml and links.yaml entries at their lines, and keeps their valid entries", async () => {
    const set = await loadKnowledge(INVALID);
    const text = formatFindings(validateKnowledge(set, NOW));
    expect(text).toContain('roles.yaml:6: Fehler: Rolle "klimaschutz": Bezeichnung (label) fehlt.');
    expect(text).toContain('roles.yaml:7: Warnung: Rolle "klimaschutz": unbekanntes Feld "lable"');
    expect(text).toContain('neustadt/links.yaml:3: Fehler: Link "vergabeportal": URL ist keine vollständige http(s)-URL');
    // One bad entry does not drop the good ones: the document's catalogue link still resolves, its role still exists.
    expect(set.tenants.get("neustadt")?.links.has("beschaffungsrichtlinie")).toBe(true);
    expect(set.tenants.get("neustadt")?.contacts.get("vergabestelle")?.name).toBe("Zentrale Vergabestelle");
    expect(text).not.toContain("regel-vergabe.md");
  });

  it("reports the findings of every file together: broken YAML beside front matter errors of documents", async () => {
    const text = await validate(INVALID);
    expect(text).toContain('shared/klimaanpassung.md:3: Fehler: Feld "title": muss ein Text sein, gefunden: Zahl');
    expect(text).toContain("neustadt/contacts.yaml:6:");
    expect(text).toContain("roles.yaml:6:");
    // zod's English wording never reaches the maintainer.
    expect(text).not.toMatch(/Invalid input|expected|received/);
  });

  it("points at the line inside a front matter list", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-fm-"));
    dirs.push(dir);
    await writeFile(path.join(dir, "roles.yaml"), "nachhaltigkeit:\n  label: Nachhaltigkeitskoordination\n");
    await writeFile(
      path.join(dir, "leitfaden.md"),
      "---\nid: leitfaden\ntitle: Leitfaden\ntype: guidance\ntenant: shared\nsources:\n  - title: Quelle\n    url: https://example.org/a\n  - title: Zweite Quelle\n    url: example.org/b\nnext_steps:\n  - label: Formular\nreviewed: 2026\n---\n# Leitfaden\nText.\n",
    );
    const text = await validate(dir);
    expect(text).toContain('leitfaden.md:10: Fehler: Feld "sources.1.url": ist keine vollständige http(s)-URL');
    expect(text).toContain('leitfaden.md:12: Fehler: Feld "next_steps.0": braucht entweder "link: <kennung>" oder "label" und "url"');
    expect(text).toContain('leitfaden.md:13: Fehler: Feld "reviewed": muss ein Datum im Format JJJJ-MM-TT sein');
  });

  it("says once that contacts cannot be checked when roles.yaml is broken", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-roles-"));
    dirs.push(dir);
    await writeFile(path.join(dir, "roles.yaml"), "nachhaltigkeit: [offen\n");
    await mkdir(path.join(dir, "neustadt"));
    await writeFile(path.join(dir, "neustadt/contacts.yaml"), "nachhaltigkeit:\n  name: Petra Lange\n");
    const findings = validateKnowledge(await loadKnowledge(dir), NOW);
    expect(hasErrors(findings)).toBe(true);
    expect(findings.filter((f) => f.file === "roles.yaml").length).toBeGreaterThan(0);
    expect(formatFindings(findings)).not.toContain("Unbekannte Kontaktrolle");
  });
});

describe("role topics (roles.yaml topics)", () => {
  it("gives each contact the topics of its role, and only roles that declare topics have any", async () => {
    const set = await loadKnowledge(path.join(ROOT, "test/assistant/fixtures/knowledge/topics"));
    const contacts = set.tenants.get("musterstadt")?.contacts;
    expect(contacts?.get("personalabteilung")?.topics).toEqual(["Urlaub", "Krankmeldung", "krank", "Elternzeit", "Gehalt", "Überstunden"]);
    expect(contacts?.get("it")?.topics).toEqual(["Passwort", "VPN"]);
    // No empty list: a contact without topics stays exactly what ingest stored before (its fingerprint is unchanged).
    expect(contacts?.get("nachhaltigkeit")).not.toHaveProperty("topics");
    expect(formatFindings(validateKnowledge(set, NOW))).not.toContain("unbekanntes Feld");
  });

  it("reports topics that are not a list of words at their line, in German", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-topics-"));
    dirs.push(dir);
    await writeFile(
      path.join(dir, "roles.yaml"),
      "personalabteilung:\n  label: Personalabteilung\n  topics: Urlaub, Krankmeldung\nit:\n  label: IT-Service\n  topics: [VPN, x]\n",
    );
    const text = await validate(dir);
    expect(text).toContain('roles.yaml:3: Fehler: Rolle "personalabteilung": Themen (topics) muss eine Liste sein, gefunden: Text.');
    expect(text).toContain('roles.yaml:6: Fehler: Rolle "it": Themen (topics) ist zu kurz: ein Thema braucht mindestens zwei Zeichen.');
  });
});

describe("a missing knowledge directory", () => {
  it("throws KNOWLEDGE_INVALID with a German message, not ENOENT", async () => {
    const missing = path.join(tmpdir(), "lotse-gibt-es-nicht", "knowledge");
    const err = await loadKnowledge(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LotseError);
    expect((err as LotseError).code).toBe("KNOWLEDGE_INVALID");
    expect((err as LotseError).message).toContain(`Der Wissensordner ${missing} existiert nicht`);
    expect((err as LotseError).message).toContain("LOTSE_KNOWLEDGE_DIR");
  });

  it("throws KNOWLEDGE_INVALID for a file given as the directory", async () => {
    const err = await loadKnowledge(path.join(INVALID, "roles.yaml")).catch((e: unknown) => e);
    expect((err as LotseError).code).toBe("KNOWLEDGE_INVALID");
    expect((err as LotseError).message).toContain("kein Ordner");
  });
});

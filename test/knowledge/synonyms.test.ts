import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { groupsFor, parseSynonyms, synonymsFingerprint } from "../../src/knowledge/synonyms.ts";
import type { Finding } from "../../src/knowledge/types.ts";
import { formatFindings, validateKnowledge } from "../../src/knowledge/validate.ts";
import { ROOT } from "../helpers.ts";

const BROKEN = path.join(ROOT, "test/fixtures/synonyms/broken.yaml");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("synonyms.yaml", () => {
  it("reads groups of equal words and document terms with the staff's words for them", () => {
    const findings: Finding[] = [];
    const groups = parseSynonyms(
      "- [Dienstwagen, Dienstfahrzeug, Pkw]\n- Einweggeschirr: [Plastikgeschirr, Wegwerfgeschirr]\n- E-Auto: Elektroauto\n",
      "synonyms.yaml",
      findings,
    );
    expect(findings).toEqual([]);
    expect(groups.map(({ words, terms, line }) => ({ words, terms, line }))).toEqual([
      { words: ["Dienstwagen", "Dienstfahrzeug", "Pkw"], terms: ["Dienstwagen", "Dienstfahrzeug", "Pkw"], line: 1 },
      { words: ["Plastikgeschirr", "Wegwerfgeschirr"], terms: ["Einweggeschirr"], line: 2 },
      { words: ["Elektroauto"], terms: ["E-Auto"], line: 3 },
    ]);
  });

  it("names file and line of each mistake in German, and keeps the good entries", async () => {
    const findings: Finding[] = [];
    const groups = parseSynonyms(await readFile(BROKEN, "utf8"), "synonyms.yaml", findings);
    const text = formatFindings(findings);
    expect(text).toContain("synonyms.yaml:4: Fehler: Eine Gruppe gleichbedeutender Wörter braucht mindestens zwei Wörter.");
    expect(text).toContain('synonyms.yaml:5: Fehler: "Sicherheits schuhe" ist eine Wortgruppe');
    expect(text).toContain('synonyms.yaml:6: Fehler: Jedes Element muss ein Wort sein, gefunden: Zahl (als Text in Anführungszeichen schreiben: "112")');
    expect(text).toContain("synonyms.yaml:8: Warnung: Dieser Eintrag steht schon in Zeile 3.");
    expect(text).toContain('synonyms.yaml:9: Fehler: Ein Eintrag ist "- [Wort, Wort]" oder "- Begriff: [Wort, Wort]".');
    expect(text).toContain('synonyms.yaml:10: Fehler: Je Eintrag genau ein Begriff: "- Begriff: [Wort, Wort]"');
    expect(text).toContain('synonyms.yaml:11: Fehler: "pkw" steht zweimal in diesem Eintrag.');
    // a single word after the colon is one word, not a mistake
    expect(groups.map((g) => g.line)).toEqual([2, 3, 7]);
    expect(groups.find((g) => g.line === 7)?.words).toEqual(["Kennzahlen"]);
  });

  it("reports a YAML syntax error and a file that is not a list", () => {
    const findings: Finding[] = [];
    parseSynonyms("- [Dienstwagen, Pkw\n", "a.yaml", findings);
    parseSynonyms("Bauhof: [Betriebshof]\n", "b.yaml", findings);
    expect(findings[0]?.file).toBe("a.yaml");
    expect(findings[0]?.message).toMatch(/^Kein gültiges YAML/);
    expect(findings.filter((f) => f.file === "b.yaml").map((f) => `${f.line}: ${f.message.slice(0, 30)}`)).toEqual([
      "1: Die Datei muss eine Liste sein",
    ]);
  });

  it("is loaded with the knowledge set (shared and per tenant) and checked by validate", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-syn-"));
    dirs.push(dir);
    await writeFile(path.join(dir, "roles.yaml"), "nachhaltigkeit:\n  label: Nachhaltigkeitskoordination\n");
    await mkdir(path.join(dir, "shared"));
    await mkdir(path.join(dir, "neustadt"));
    await writeFile(path.join(dir, "synonyms.yaml"), "- [Dienstwagen, Pkw]\n");
    await writeFile(path.join(dir, "neustadt/synonyms.yaml"), "- Bauhof: [Betriebshof]\n- [Kita]\n");
    const set = await loadKnowledge(dir);
    expect(groupsFor(set.synonyms, "neustadt").map((g) => g.terms)).toEqual([["Dienstwagen", "Pkw"], ["Bauhof"]]);
    expect(groupsFor(set.synonyms, "otherstadt").map((g) => g.terms)).toEqual([["Dienstwagen", "Pkw"]]);
    expect(formatFindings(validateKnowledge(set, new Date("2026-11-25")))).toContain(
      "neustadt/synonyms.yaml:2: Fehler: Eine Gruppe gleichbedeutender Wörter braucht mindestens zwei Wörter.",
    );
  });

  it("has a fingerprint that ignores the key order jsonb gives back", async () => {
    const groups = parseSynonyms("- [Dienstwagen, Pkw]\n", "synonyms.yaml", []);
    const set = { shared: groups, tenants: { neustadt: groups, altstadt: [] } };
    const reordered = { tenants: { altstadt: [], neustadt: groups }, shared: JSON.parse(JSON.stringify(groups)) };
    expect(synonymsFingerprint(reordered)).toBe(synonymsFingerprint(set));
    expect(synonymsFingerprint({ ...set, shared: [] })).not.toBe(synonymsFingerprint(set));
  });

  it("the bundled synonym files are valid", async () => {
    const set = await loadKnowledge(path.join(ROOT, "knowledge"));
    expect(set.findings.filter((f) => f.file.endsWith("synonyms.yaml"))).toEqual([]);
    expect(set.synonyms.shared.length).toBeGreaterThan(5);
    expect(set.synonyms.tenants.musterstadt?.length).toBeGreaterThan(0);
  });
});

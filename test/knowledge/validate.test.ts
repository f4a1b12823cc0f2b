import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import type { Finding } from "../../src/knowledge/types.ts";
import { validateKnowledge } from "../../src/knowledge/validate.ts";
import { FIXTURE_KNOWLEDGE, ROOT } from "../helpers.ts";

const NOW = new Date("2026-12-01T08:00:00Z");

/** An onboarding module of Musterstadt with the given tags and Kontrollfrage section (front matter: lines 1–9). */
const module = (id: string, tags: string, check: string) => `---
id: ${id}
title: "Onboarding Modul 7: Abfall und Mehrweg"
type: onboarding
tenant: musterstadt
sources: []
contacts: [nachhaltigkeit]
reviewed: 2026-11-25
tags: [onboarding, ${tags}]
---

# Onboarding Modul 7: Abfall und Mehrweg

## Was gilt bei Veranstaltungen?

Bei städtischen Veranstaltungen gilt das Mehrweggebot: Einweggeschirr ist nicht erlaubt.
${check}`;

const GOOD = `
## Kontrollfrage

Was gilt für Geschirr bei städtischen Veranstaltungen? Wählen Sie eine Antwort:

- A) Einweggeschirr aus Pappe ist erlaubt.
- B) Es gilt das Mehrweggebot.

Richtige Antwort: B

Die Stadt hat für ihre Veranstaltungen ein Mehrweggebot beschlossen.
`;

describe("validate: the check question of onboarding modules", () => {
  let dir: string;
  let findings: Finding[];
  const of = (file: string) =>
    findings
      .filter((f) => f.file === file)
      .map(({ severity, line, message }) => ({ severity, line, message }));
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lotse-check-"));
    await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
    const write = (name: string, text: string) => writeFile(path.join(dir, "musterstadt", name), text);
    await write("onboarding-07-gut.md", module("musterstadt-onboarding-07-gut", "modul-7", GOOD));
    await write("onboarding-07-ohne.md", module("musterstadt-onboarding-07-ohne", "modul-7", ""));
    await write(
      "onboarding-07-falsch.md",
      module(
        "musterstadt-onboarding-07-falsch",
        "rolle-veranstaltungen",
        "\n## Kontrollfrage\n\nWas gilt?\n\n- A) Mehrweg.\n\nRichtige Antwort: C\n",
      ),
    );
    await write("onboarding-info.md", module("musterstadt-onboarding-info", "zustaendigkeit", ""));
    findings = validateKnowledge(await loadKnowledge(dir), NOW);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("accepts a well-formed check question", () => {
    expect(of("musterstadt/onboarding-07-gut.md").filter((f) => f.severity === "error")).toEqual([]);
  });

  it("refuses a module without a Kontrollfrage section", () => {
    expect(of("musterstadt/onboarding-07-ohne.md")).toContainEqual({
      severity: "error",
      line: 1,
      message: expect.stringMatching(/^Onboarding-Modul ohne Abschnitt „## Kontrollfrage“/),
    });
  });

  it("names each problem of a malformed check question at its heading's line", () => {
    const errors = of("musterstadt/onboarding-07-falsch.md").filter((f) => f.severity === "error");
    expect(errors.map((f) => f.line)).toEqual([18, 18, 18]);
    expect(errors.map((f) => f.message)).toEqual([
      "Kontrollfrage: Die Kontrollfrage braucht mindestens zwei Antwortmöglichkeiten in der Form „- A) …“.",
      "Kontrollfrage: „Richtige Antwort: C“ ist keine der Antwortmöglichkeiten (A).",
      "Kontrollfrage: Nach „Richtige Antwort: C“ fehlt die Erklärung, warum die Antwort richtig ist.",
    ]);
  });

  it("asks nothing of an onboarding document outside the paths (no modul-N, no rolle-…)", () => {
    expect(of("musterstadt/onboarding-info.md").filter((f) => f.severity === "error")).toEqual([]);
  });

  it("finds no check question errors in the bundled knowledge base", async () => {
    const bundled = validateKnowledge(await loadKnowledge(path.join(ROOT, "knowledge")), NOW);
    expect(bundled.filter((f) => /Kontrollfrage/.test(f.message))).toEqual([]);
  });
});

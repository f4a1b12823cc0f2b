import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dateFindings, futureTenseOfPast } from "../../src/knowledge/date-checks.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { formatFindings, validateKnowledge } from "../../src/knowledge/validate.ts";
import type { DocMeta } from "../../src/knowledge/types.ts";

const NOW = new Date("2026-12-01T09:00:00Z");
const phrases = (text: string) => futureTenseOfPast(text, NOW).map((f) => f.phrase);

describe("a passed date in the future tense", () => {
  it("is found in the sentences a stale document keeps", () => {
    expect(phrases("Der Wärmeplan muss bis 30. Juni 2026 vorliegen.")).toEqual(["bis 30. Juni 2026"]);
    expect(phrases("Die Unterlagen sind bis spätestens 30.06.2026 bei der Kämmerei einzureichen.")).toEqual([
      "bis spätestens 30.06.2026",
    ]);
    expect(phrases("Ab 1.7.2026 gilt die neue Quote für alle Aufträge.")).toEqual(["Ab 1.7.2026"]);
    expect(phrases("Ab Juli 2026 müssen alle Fachbereiche den Meldebogen nutzen.")).toEqual(["Ab Juli 2026"]);
    expect(phrases("Der Rat wird am 15. Oktober 2026 über die Strategie entscheiden.")).toEqual(["am 15. Oktober 2026"]);
    expect(phrases("Das Modellprojekt läuft bis 30.11.2026; danach übernimmt das Land.")).toEqual(["bis 30.11.2026"]);
  });

  it("reports a date written twice in one sentence once, at the first", () => {
    const found = futureTenseOfPast("Intro.\nDer Plan muss bis 30. Juni 2026 (30.06.2026) vorliegen.", NOW);
    expect(found).toEqual([{ index: 25, date: "30. Juni 2026", phrase: "bis 30. Juni 2026" }]);
  });

  it("stays quiet where the text already speaks of the past, of a date ahead, or not of a deadline", () => {
    for (const text of [
      "Seit 1. Januar 2026 gilt die neue Quote.",
      "Der Wärmeplan musste bis 30. Juni 2026 vorliegen; diese Frist ist abgelaufen.",
      "Bis 30. Juni 2026 mussten Großstädte ihren Wärmeplan vorlegen.",
      "Bis Mitte Januar 2026 war das Gesetz noch nicht verabschiedet; frühestens hätte es am 1. April 2026 in Kraft treten können.",
      "Eine Stadt, die ihren Wärmeplan zum 30. Juni 2026 vorgelegt hat, muss ihn also spätestens 2031 aktualisieren.",
      "Das Gesetz ist am 1. Januar 2024 in Kraft getreten und gilt für alle Gemeinden.",
      "Der Bundestag hat das Gesetz am 26.2.2026 beschlossen.",
      "Eine Gemeinde mit 30.000 Einwohnern hat noch bis 30. Juni 2028 Zeit und muss bis dahin planen.",
      "Die Länder müssen ihre Strategien bis 31.1.2027 vorlegen.",
      "Stand: März 2026 – ob daraus inzwischen ein Gesetz geworden ist, ist offen.",
      "Nach einem Bericht vom 3. März 2026 soll die Wärmeplanung vereinfacht werden.",
      "Die Quote gilt für den Referenzzeitraum vom 1. Januar 2026 bis 31. Dezember 2030.",
      "Die Fachbereiche melden jedes Jahr bis 31. März (31.03.) ihre Werte.",
    ])
      expect(phrases(text), text).toEqual([]);
  });
});

const meta = (over: Partial<DocMeta>): DocMeta => ({
  id: "x",
  title: "X",
  type: "guidance",
  tenant: "musterstadt",
  sources: [],
  contacts: [],
  nextSteps: [],
  reviewed: "2026-11-20",
  tags: [],
  ...over,
});

describe("dateFindings", () => {
  it("warns when a deadline document's first date in its first section has passed, not for a yearly one", () => {
    const stale =
      "# Frist\n\n## Bis wann muss Musterstadt den Wärmeplan haben?\n\nMusterstadt musste ihren Wärmeplan bis 30. Juni 2026 fertigstellen. Kleinere Gemeinden haben bis 30. Juni 2028 Zeit.\n\n## Später\n\nAb 1.1.2031 …\n";
    const [f, ...more] = dateFindings(meta({ type: "deadline" }), "musterstadt/frist.md", { text: stale, line: 12 }, 1, NOW);
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: "warning", line: 16 });
    expect(f?.message).toBe(
      "Frist-Dokument: die Frist im ersten Abschnitt (30. Juni 2026) ist verstrichen. Bitte den nächsten Termin zuerst nennen oder, wenn die Frist nicht wiederkehrt, in der Vergangenheit formulieren, sagen, was jetzt gilt, und type: guidance setzen.",
    );
    const yearly = "## Bis wann?\n\nJedes Jahr bis 31. März, also bis 31. März 2027 die Werte für 2026.\n";
    expect(dateFindings(meta({ type: "deadline" }), "f.md", { text: yearly, line: 1 }, 1, NOW)).toEqual([]);
    expect(dateFindings(meta({ type: "guidance" }), "f.md", { text: stale, line: 1 }, 1, NOW)).toEqual([]);
    const report = "## Wie oft?\n\nDer erste Bericht erschien im September 2025; der nächste erscheint im September 2027.\n";
    expect(dateFindings(meta({ type: "deadline" }), "f.md", { text: report, line: 1 }, 1, NOW)).toEqual([]);
  });

  it("warns when as_of is older than 9 months, counting a month to its end", () => {
    const at = (asOf: string) => dateFindings(meta({ asOf }), "f.md", undefined, 7, NOW).map((f) => f.message);
    expect(at("2026-02")).toEqual([
      "Stand (as_of) 2026-02 ist älter als 9 Monate: Rechtslage bzw. Sachstand bitte prüfen, den Text anpassen und as_of neu setzen.",
    ]);
    expect(at("2026-02-28")).toHaveLength(1);
    expect(at("2026-03")).toEqual([]);
    expect(at("2026-03-02")).toEqual([]);
  });
});

describe("lotse validate with the date checks", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("prints each warning with the file's line", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-dates-"));
    dirs.push(dir);
    await mkdir(path.join(dir, "shared"));
    await writeFile(path.join(dir, "roles.yaml"), "nachhaltigkeit: Nachhaltigkeitskoordination\n");
    await writeFile(
      path.join(dir, "shared/waermeplanung.md"),
      [
        "---",
        "id: waermeplanung",
        "title: Kommunale Wärmeplanung",
        "type: guidance",
        "tenant: shared",
        "sources:",
        "  - title: WPG § 4",
        "    url: https://www.gesetze-im-internet.de/wpg/__4.html",
        "reviewed: 2026-11-20",
        "as_of: 2026-01",
        "---",
        "# Kommunale Wärmeplanung",
        "",
        "## Bis wann brauchen Großstädte einen Wärmeplan?",
        "",
        "Der Wärmeplan muss bis 30. Juni 2026 vorliegen. Kleinere Gemeinden haben bis 30. Juni 2028 Zeit.",
        "",
      ].join("\n"),
    );
    const text = formatFindings(validateKnowledge(await loadKnowledge(dir), NOW));
    expect(text).toContain("shared/waermeplanung.md:10: Warnung: Stand (as_of) 2026-01 ist älter als 9 Monate");
    expect(text).toContain(
      "shared/waermeplanung.md:16: Warnung: „bis 30. Juni 2026“: der 30. Juni 2026 liegt in der Vergangenheit, der Satz spricht davon aber in Gegenwart oder Zukunft. Bitte in der Vergangenheit formulieren und sagen, was jetzt gilt.",
    );
    expect(text).not.toContain("2028");
  });
});

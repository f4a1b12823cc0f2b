import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_PER_PERSON_DISABLED } from "../../../adapters/cli/report-onboarding.ts";
import type { Config } from "../../../src/config.ts";
import { silentLogger } from "../../../src/log.ts";
import { createRuntime } from "../../../src/runtime.ts";
import { freshSchemaUrl, ROOT, testConfig } from "../../helpers.ts";
import { insertProgress, insertStats, M, PEOPLE, REMOVED } from "../../onboarding/report-fixture.ts";
import { type Run, runLotse } from "./run-lotse.ts";

let db: Awaited<ReturnType<typeof freshSchemaUrl>>;
let off: Config;
let on: Config;
const env = (perPerson: boolean) => ({
  DATABASE_URL: db.url,
  // The bundled knowledge: Musterstadt's onboarding modules with their tags and check questions.
  LOTSE_KNOWLEDGE_DIR: path.join(ROOT, "knowledge"),
  LOTSE_TENANT_SETTINGS: JSON.stringify({ musterstadt: { onboarding: { per_person_report: perPerson } } }),
});

beforeAll(async () => {
  db = await freshSchemaUrl();
  off = testConfig(env(false));
  on = testConfig(env(true));
  const rt = await createRuntime(off, silentLogger, { autoIngest: false });
  try {
    await rt.ingest();
    await insertStats(rt.db);
    await insertProgress(rt.db);
  } finally {
    await rt.close();
  }
}, 180_000);
afterAll(async () => {
  await db.drop();
});

/** `lotse report onboarding …` as bin/lotse runs it (runCli: the real program, its exit codes). */
async function lotse(argv: string[], config: Config = off): Promise<Run> {
  return runLotse(argv, { config, now: new Date("2026-12-02T09:00:00Z") });
}

describe("lotse report onboarding", () => {
  it("prints the aggregate report for a terminal, small counts hidden", async () => {
    const r = await lotse(["report", "onboarding", "--tenant", "musterstadt"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Onboarding-Bericht musterstadt, Stand 2.12.2026");
    expect(r.stdout).toContain("Zahlen unter 5 erscheinen als „< 5“");
    expect(lines).toContain(
      `  ${"Gemeinsamer Pfad für alle".padEnd(38)}${"14".padStart(8)}${"6".padStart(15)}${"43 %".padStart(7)}`,
    );
    expect(lines).toContain(
      `  ${"Zusatz Beschaffende".padEnd(38)}${"< 5".padStart(8)}${"< 5".padStart(15)}${"—".padStart(7)}`,
    );
    // Modules in path order: modul-1 … modul-6, then the add-ons, then what is gone from the knowledge base.
    const at = (s: string) => r.stdout.indexOf(s);
    expect(at("Onboarding Modul 1:")).toBeLessThan(at("Onboarding Modul 2:"));
    expect(at("Onboarding Modul 6:")).toBeLessThan(at("Zusatzmodul für Beschaffende"));
    expect(at("Zusatzmodul für Gebäude und Technik")).toBeLessThan(at(REMOVED));
    expect(r.stdout).toContain("nicht mehr in der Wissensbasis");
    expect(r.stdout).toContain(
      "Häufig falsch beantwortet (ab 30 % falsch bei mindestens 3 Antworten; angezeigt ab 5 Antworten):",
    );
    expect(r.stdout).toContain(
      "Onboarding Modul 4: Dienstreise und Mobilität: 44 % von 9 Antworten falsch, meist gewählt: A („Mit dem Flugzeug.“) (< 5×)",
    );
    expect(r.stdout).not.toMatch(/67 %/);
    expect(r.stdout).not.toContain("Erika");
  });

  it("prints stable JSON with exact counts and says that they are masked in text", async () => {
    const r = await lotse(["report", "onboarding", "--tenant", "musterstadt", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual([
      "tenant",
      "generatedAt",
      "masked",
      "perPersonEnabled",
      "thresholds",
      "paths",
      "modules",
      "oftenWrong",
    ]);
    expect(j).toMatchObject({
      tenant: "musterstadt",
      generatedAt: "2026-12-02T10:00:00+01:00",
      masked: true,
      perPersonEnabled: false,
      thresholds: { oftenWrongMinShare: 0.3, oftenWrongMinAnswers: 3, smallCount: 5 },
    });
    expect(j.paths[1]).toEqual({
      path: "rolle-beschaffende",
      name: "Beschaffende",
      started: 4,
      completed: 2,
      completionRate: 0.5,
    });
    const strategie = j.modules.find((m: { docId: string }) => m.docId === M.strategie);
    expect(Object.keys(strategie)).toEqual([
      "docId",
      "title",
      "path",
      "order",
      "started",
      "completed",
      "answered",
      "wrong",
      "wrongShare",
      "topWrong",
      "question",
      "removed",
    ]);
    expect(strategie).toMatchObject({
      order: 2,
      answered: 11,
      wrong: 4,
      topWrong: { choice: "A", count: 3 },
      removed: false,
    });
    expect(j.oftenWrong.map((m: { docId: string }) => m.docId)).toEqual([
      M.beschaffende,
      M.dienstreise,
      M.strategie,
      M.beschaffung,
      M.energie,
    ]);
    expect(j.persons).toBeUndefined();
  });

  it("refuses --per-person unless switched on: exit code 3 and the reason in German", async () => {
    const r = await lotse(["report", "onboarding", "--tenant", "musterstadt", "--per-person"]);
    expect(r.code).toBe(EXIT_PER_PERSON_DISABLED);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^Fehler \[REPORT_PER_PERSON_DISABLED\]: Eine Auswertung pro Person ist für „musterstadt“ ausgeschaltet\./,
    );
    expect(r.stderr).toContain("§ 80 Abs. 1 Nr. 21 BPersVG");
    expect(r.stderr).toContain("onboarding.per_person_report: true");
    const j = await lotse(["report", "onboarding", "--tenant", "musterstadt", "--per-person", "--json"]);
    expect(j.code).toBe(EXIT_PER_PERSON_DISABLED);
    expect(JSON.parse(j.stdout)).toEqual({
      error: { code: "REPORT_PER_PERSON_DISABLED", message: expect.stringContaining("Personalrat") },
    });
    expect(j.stdout).not.toContain("Erika");
  });

  it("lists persons where switched on, exact counts, --since limiting them", async () => {
    const r = await lotse(["report", "onboarding", "--tenant", "musterstadt", "--per-person"], on);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("„< 5“");
    expect(r.stdout).toContain("Pro Person: 3");
    expect(r.stdout).toContain(
      "  Erika Mustermann (Beschaffende): 7 von 7 Modulen, abgeschlossen am 18.9.2026",
    );
    expect(r.stdout).toContain("  Person c0ffee01 (Führungskräfte): 1 von 7 Modulen, in Bearbeitung");
    expect(r.stdout).toContain(
      "Onboarding Zusatzmodul für Beschaffende: nachhaltig einkaufen in Musterstadt: 67 % von 3 Antworten falsch",
    );
    const j = JSON.parse(
      (await lotse(["report", "onboarding", "--per-person", "--since", "2026-10-20", "--json"], on)).stdout,
    );
    expect(j.masked).toBe(false);
    expect(j.persons).toEqual([
      {
        name: "Jonas Weber",
        pseudonym: PEOPLE[1].person,
        role: null,
        completed: [M.warum, M.strategie],
        total: 6,
        status: "paused",
        startedAt: "2026-10-20T10:00:00+02:00",
        completedAt: null,
      },
      expect.objectContaining({ name: null, pseudonym: PEOPLE[2].person, status: "active" }),
    ]);
  });

  it("refuses an unknown tenant and an unreadable date as wrong input (exit 2)", async () => {
    const t = await lotse(["report", "onboarding", "--tenant", "neustadt"]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("Die Kommune „neustadt“ ist nicht bekannt");
    const d = await lotse(["report", "onboarding", "--per-person", "--since", "2026-02-30"], on);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain("JJJJ-MM-TT");
    // A day without --per-person would be silently ignored: the totals have no dates.
    const s = await lotse(["report", "onboarding", "--since", "2026-10-20"], on);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("--since gilt nur mit --per-person");
  });

  it("explains itself in German with the JSON keys and exit codes", async () => {
    const r = await lotse(["report", "onboarding", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--per-person");
    expect(r.stdout).toContain("oftenWrong[]");
    expect(r.stdout).toContain("Exit-Code: 0 Bericht ausgegeben");
    expect(r.stdout).toContain("lotse report onboarding --tenant musterstadt --json");
  });
});

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";
import {
  OFTEN_WRONG_MIN_ANSWERS,
  OFTEN_WRONG_MIN_SHARE,
  OnboardingReport,
  SMALL_COUNT,
} from "../../src/onboarding/report-onboarding.ts";
import { ROOT } from "../helpers.ts";
import { insertModules, insertProgress, insertStats, M, PATHS, PEOPLE, REMOVED } from "./report-fixture.ts";

const NOW = new Date("2026-12-02T08:00:00Z");
const off = TenantSettings.parse(JSON.stringify({ musterstadt: {} }), [14, 2]);
const on = TenantSettings.parse(
  JSON.stringify({ musterstadt: { onboarding: { per_person_report: true } } }),
  [14, 2],
);

let db: Database;
let templates: Templates;
const reporter = (tenantSettings: TenantSettings) =>
  new OnboardingReport({ db, tenantSettings, templates, paths: PATHS, clock: () => NOW });

beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
  await insertModules(db);
  await insertStats(db);
  await insertProgress(db);
});
afterAll(() => db.close());

describe("OnboardingReport", () => {
  it("documents its thresholds", () => {
    expect([OFTEN_WRONG_MIN_SHARE, OFTEN_WRONG_MIN_ANSWERS, SMALL_COUNT]).toEqual([0.3, 3, 5]);
  });

  it("counts each path: the common one first, then the role add-ons, with their completion rate", async () => {
    const r = await reporter(off).build("musterstadt");
    expect(r.paths).toEqual([
      { path: "alle", name: "Gemeinsamer Pfad für alle", started: 14, completed: 6, completionRate: 6 / 14 },
      { path: "rolle-beschaffende", name: "Beschaffende", started: 4, completed: 2, completionRate: 0.5 },
      { path: "rolle-fuehrungskraefte", name: "Führungskräfte", started: 2, completed: 0, completionRate: 0 },
      {
        path: "rolle-gebaeude-technik",
        name: "Gebäude und Technik",
        started: 0,
        completed: 0,
        completionRate: null,
      },
    ]);
    expect(r.masked).toBe(true);
    expect(r.perPersonEnabled).toBe(false);
    expect(r.persons).toBeUndefined();
  });

  it("lists the modules in path order (modul-N, then add-ons, then removed ones) with their answers", async () => {
    const r = await reporter(off).build("musterstadt");
    expect(r.modules.map((m) => m.docId)).toEqual([
      M.warum,
      M.strategie,
      M.beschaffung,
      M.dienstreise,
      M.energie,
      M.werHilft,
      M.beschaffende,
      M.fuehrung,
      M.gebaeude,
      REMOVED,
    ]);
    const strategie = r.modules[1];
    expect(strategie).toMatchObject({
      title: "Onboarding Modul 2: Strategie und Ziele der Stadt Musterstadt",
      path: "alle",
      order: 2,
      started: 13,
      completed: 11,
      answered: 11,
      wrong: 4,
      topWrong: { choice: "A", count: 3, text: "bis 2030" },
      question: "Bis wann will die Stadtverwaltung klimaneutral sein?",
    });
    expect(strategie?.wrongShare).toBeCloseTo(4 / 11);
    // A tie between two wrong options names the earlier letter.
    expect(r.modules[3]?.topWrong).toEqual({ choice: "A", count: 2 });
    expect(r.modules[6]).toMatchObject({ path: "rolle-beschaffende", order: null, answered: 3, wrong: 2 });
    expect(r.modules[8]).toMatchObject({ started: 0, answered: 0, wrongShare: null, topWrong: null });
    expect(r.modules[9]).toMatchObject({ docId: REMOVED, title: REMOVED, removed: true, started: 3 });
    expect(r.modules.map((m) => m.docId)).not.toContain("musterstadt-wer-ist-zustaendig");
    const warum = r.modules[0];
    expect(warum?.question).toBeUndefined(); // not in the paths given: named by its title alone
    expect(warum?.wrongShare).toBeCloseTo(1 / 13);
  });

  it("names check questions with at least 30 % wrong and at least 3 answers, most wrong first", async () => {
    const r = await reporter(off).build("musterstadt");
    expect(r.oftenWrong.map((m) => [m.docId, m.answered, m.wrong])).toEqual([
      [M.beschaffende, 3, 2], // 67 %, exactly the minimum of answers
      [M.dienstreise, 9, 4], // 44 %
      [M.strategie, 11, 4], // 36 %
      [M.beschaffung, 9, 3], // 33 %
      [M.energie, 10, 3], // exactly 30 %
    ]);
    // Führungskräfte: 2 of 2 wrong, too few answers; Modul 6: 14 %; Modul 1: 8 %.
    expect(r.oftenWrong.map((m) => m.docId)).not.toContain(M.fuehrung);
  });

  it("keeps other municipalities out", async () => {
    const r = await reporter(off).build("otherstadt");
    expect(r.paths).toEqual([
      { path: "alle", name: "Gemeinsamer Pfad für alle", started: 99, completed: 0, completionRate: 0 },
    ]);
    expect(r.modules).toEqual([]);
  });

  it("refuses the per-person list unless the tenant switched it on, saying why and how", async () => {
    const err = await reporter(off)
      .build("musterstadt", { perPerson: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LotseError);
    expect((err as LotseError).code).toBe("REPORT_PER_PERSON_DISABLED");
    const msg = (err as LotseError).message;
    expect(msg).toContain("Personalrat");
    expect(msg).toContain("§ 80 Abs. 1 Nr. 21 BPersVG");
    expect(msg).toContain("Personalvertretungsgesetzen der Länder");
    expect(msg).toContain("LOTSE_TENANT_SETTINGS");
    expect(msg).toContain("onboarding.per_person_report: true");
    expect(msg).toContain("„musterstadt“");
  });

  it("lists each person where switched on: name or pseudonym, role, modules done of the path's, completion", async () => {
    const r = await reporter(on).build("musterstadt", { perPerson: true });
    expect(r.masked).toBe(false);
    expect(r.persons).toEqual([
      {
        name: "Erika Mustermann",
        pseudonym: PEOPLE[0].person,
        role: "rolle-beschaffende",
        completed: [...PEOPLE[0].completed],
        total: 7,
        status: "completed",
        startedAt: new Date("2026-09-14T07:30:00Z"),
        completedAt: new Date("2026-09-18T12:05:00Z"),
      },
      expect.objectContaining({
        name: "Jonas Weber",
        role: null,
        total: 6,
        status: "paused",
        completedAt: null,
      }),
      expect.objectContaining({
        name: null,
        pseudonym: PEOPLE[2].person,
        role: "rolle-fuehrungskraefte",
        total: 7,
      }),
    ]);
  });

  it("limits the per-person list to those who started since a day", async () => {
    const r = await reporter(on).build("musterstadt", {
      perPerson: true,
      since: new Date("2026-10-20T00:00:00+02:00"),
    });
    expect(r.persons?.map((p) => p.name)).toEqual(["Jonas Weber", null]);
  });

  it("reports an empty tenant as nothing started", async () => {
    const r = await reporter(off).build("neustadt");
    expect(r.paths).toEqual([
      { path: "alle", name: "Gemeinsamer Pfad für alle", started: 0, completed: 0, completionRate: null },
    ]);
    expect(r.oftenWrong).toEqual([]);
  });
});

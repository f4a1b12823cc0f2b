import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import type { Card } from "../../src/core/replies.ts";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { OnboardingReport } from "../../src/onboarding/report-onboarding.ts";
import { personsCard, reportCard, shownCount } from "../../src/onboarding/report-views.ts";
import { ROOT } from "../helpers.ts";
import { insertModules, insertProgress, insertStats, PATHS } from "./report-fixture.ts";

const NOW = new Date("2026-12-02T08:00:00Z");
const off = TenantSettings.parse(JSON.stringify({ musterstadt: {} }), [14, 2]);
const on = TenantSettings.parse(
  JSON.stringify({ musterstadt: { onboarding: { per_person_report: true } } }),
  [14, 2],
);

let db: Database;
let templates: Templates;
const build = (s: TenantSettings, perPerson = false) =>
  new OnboardingReport({ db, tenantSettings: s, templates, paths: PATHS, clock: () => NOW }).build(
    "musterstadt",
    {
      perPerson,
    },
  );
const section = (card: Card, heading: string) => card.sections.find((s) => s.heading === heading);

beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
  await insertModules(db);
  await insertStats(db);
  await insertProgress(db);
});
afterAll(() => db.close());

describe("shownCount", () => {
  const masked = {
    masked: true,
    thresholds: { smallCount: 5, oftenWrongMinAnswers: 3, oftenWrongMinShare: 0.3 },
  };
  it("hides 1 to 4 when masked, shows 0 and 5 and everything when not", () => {
    expect([0, 1, 4, 5, 12].map((n) => shownCount(n, masked))).toEqual(["0", "< 5", "< 5", "5", "12"]);
    expect([1, 4].map((n) => shownCount(n, { ...masked, masked: false }))).toEqual(["1", "4"]);
  });
});

describe("reportCard, per-person reporting off (masked)", () => {
  it("shows small counts as „< 5“ and no rate over fewer than 5 who started", async () => {
    const card = reportCard(templates, await build(off));
    expect(card.title).toBe("Onboarding-Bericht musterstadt");
    expect(card.sections[0]?.text).toContain("Stand 2.12.2026");
    expect(card.sections[0]?.text).toContain("„< 5“");
    expect(section(card, "Pfade")?.facts).toEqual([
      { label: "Gemeinsamer Pfad für alle", value: "14 begonnen, 6 abgeschlossen (43 % abgeschlossen)" },
      { label: "Zusatz Beschaffende", value: "< 5 begonnen, < 5 abgeschlossen (Quote erst ab 5 Begonnenen)" },
      { label: "Zusatz Führungskräfte", value: "< 5 begonnen, 0 abgeschlossen (Quote erst ab 5 Begonnenen)" },
      { label: "Zusatz Gebäude und Technik", value: "0 begonnen, 0 abgeschlossen (noch keine Quote)" },
    ]);
  });

  it("gives the wrong share and option only over 5 answers or more", async () => {
    const items = section(reportCard(templates, await build(off)), "Module")?.items ?? [];
    expect(items[1]).toBe(
      "Onboarding Modul 2: Strategie und Ziele der Stadt Musterstadt: 13 begonnen, 11 abgeschlossen, 11 Antworten; 36 % falsch, am häufigsten falsch: A (< 5×)",
    );
    expect(items[6]).toBe(
      "Onboarding Zusatzmodul für Beschaffende: nachhaltig einkaufen in Musterstadt: < 5 begonnen, < 5 abgeschlossen, < 5 Antworten; Anteil falsch erst ab 5 Antworten",
    );
    expect(items[8]).toBe(
      "Onboarding Zusatzmodul für Gebäude und Technik: Energie in städtischen Gebäuden: 0 begonnen, 0 abgeschlossen, 0 Antworten",
    );
    expect(items.join("\n")).not.toMatch(/67 %|100 %/);
  });

  it("lists often wrong questions only from 5 answers, with the question's wording", async () => {
    const often = section(reportCard(templates, await build(off)), "Häufig falsch beantwortet");
    expect(often?.text).toContain("ab 30 % falschen Antworten bei mindestens 3 Antworten");
    expect(often?.text).toContain("erst ab 5 Antworten");
    expect(often?.items).toHaveLength(4);
    expect(often?.items?.[1]).toBe(
      "Onboarding Modul 2: Strategie und Ziele der Stadt Musterstadt – „Bis wann will die Stadtverwaltung klimaneutral sein?“: 36 % von 11 Antworten falsch, meist gewählt: A („bis 2030“) (< 5×)",
    );
    expect(often?.items?.join("\n")).not.toContain("Beschaffende");
    expect(JSON.stringify(reportCard(templates, await build(off)))).not.toContain(
      "onboarding bericht personen",
    );
  });
});

describe("reportCard, per-person reporting on", () => {
  it("shows exact counts and every often wrong question, and points to the per-person list", async () => {
    const card = reportCard(templates, await build(on));
    expect(card.sections[0]?.text).not.toContain("„< 5“");
    expect(section(card, "Pfade")?.facts?.[1]?.value).toBe(
      "4 begonnen, 2 abgeschlossen (50 % abgeschlossen)",
    );
    const often = section(card, "Häufig falsch beantwortet")?.items ?? [];
    expect(often[0]).toBe(
      "Onboarding Zusatzmodul für Beschaffende: nachhaltig einkaufen in Musterstadt – „Ab welchem Auftragswert ist der Nachhaltigkeitscheck Pflicht?“: 67 % von 3 Antworten falsch, meist gewählt: A („ab 500 Euro“) (2×)",
    );
    expect(card.sections.at(-1)?.text).toContain("„onboarding bericht personen“");
  });

  it("lists persons with name or pseudonym, role, modules done and status", async () => {
    const card = personsCard(templates, await build(on, true));
    expect(card.title).toBe("Onboarding pro Person – musterstadt");
    expect(card.sections[1]?.items).toEqual([
      "Erika Mustermann (Beschaffende): 7 von 7 Modulen, abgeschlossen am 18.9.2026",
      "Jonas Weber (ohne Zusatzmodul): 2 von 6 Modulen, pausiert",
      "Person c0ffee01 (Führungskräfte): 1 von 7 Modulen, in Bearbeitung",
    ]);
  });
});

describe("reportCard without any activity", () => {
  it("says nobody has started", async () => {
    const data = await new OnboardingReport({ db, tenantSettings: off, templates, clock: () => NOW }).build(
      "neustadt",
    );
    const card = reportCard(templates, data);
    expect(card.sections.map((s) => s.text)).toContain("Noch hat niemand das Onboarding begonnen.");
  });
});

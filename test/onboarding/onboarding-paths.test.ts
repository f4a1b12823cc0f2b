import { describe, expect, it } from "vitest";
import { modulesOf, OnboardingPaths, shortTitle } from "../../src/onboarding/onboarding-paths.ts";
import { realKnowledge, TENANT } from "./onboarding-fixture.ts";

describe("OnboardingPaths on the real knowledge base", () => {
  it("builds Musterstadt's common path in modul-N order and its three role add-ons with labels from the titles", async () => {
    const paths = new OnboardingPaths(realKnowledge);
    const path = await paths.of(TENANT);
    expect(path.common.map((m) => m.id)).toEqual([
      "musterstadt-onboarding-01-warum",
      "musterstadt-onboarding-02-strategie-ziele",
      "musterstadt-onboarding-03-beschaffung",
      "musterstadt-onboarding-04-dienstreise-mobilitaet",
      "musterstadt-onboarding-05-energie-ressourcen",
      "musterstadt-onboarding-06-wer-hilft",
    ]);
    expect(path.roles.map((r) => [r.role, r.label, r.modules.map((m) => m.id)])).toEqual([
      ["rolle-beschaffende", "Beschaffende", ["musterstadt-onboarding-rolle-beschaffende"]],
      ["rolle-fuehrungskraefte", "Führungskräfte", ["musterstadt-onboarding-rolle-fuehrungskraefte"]],
      ["rolle-gebaeude-technik", "Gebäude und Technik", ["musterstadt-onboarding-rolle-gebaeude-technik"]],
    ]);
    // "Wer ist zuständig" is an onboarding document outside the paths (no modul-N, no rolle-…).
    expect(modulesOf(path, "rolle-beschaffende")).toHaveLength(7);
    expect(modulesOf(path, null)).toHaveLength(6);
  });

  it("reads each module's text without the check question, its links from the catalogue, sources, contacts and question", async () => {
    const path = await new OnboardingPaths(realKnowledge).of(TENANT);
    const m1 = path.common[0];
    expect(m1?.shortTitle).toBe("Warum Nachhaltigkeit in Musterstadt zählt");
    expect(m1?.sections.map((s) => s.heading)).toEqual([
      "Warum zählt Nachhaltigkeit in Ihrer täglichen Arbeit?",
      "Wie ist der Lernpfad für neue Beschäftigte aufgebaut?",
    ]);
    expect(m1?.sections.map((s) => s.text).join(" ")).not.toMatch(/Richtige Antwort|A\) Sie sind/);
    expect(
      m1?.links.map((l) => l.url).every((u) => u.startsWith("https://intranet.musterstadt.example/")),
    ).toBe(true);
    expect(m1?.links).toHaveLength(2);
    expect(m1?.contacts).toEqual(["nachhaltigkeit", "personal"]);
    expect(m1?.sources[0]?.title).toContain("Drucksache 2024/0187");
    expect(m1?.check).toMatchObject({
      correct: "B",
      options: [
        { letter: "A", text: "Sie sind unverbindliche Tipps." },
        { letter: "B", text: "Sie setzen Beschlüsse des Rates um." },
        { letter: "C", text: "Sie betreffen nur die Stabsstelle Nachhaltigkeit." },
      ],
    });
    expect(m1?.check.explanation).toContain("klimaneutralen Verwaltung bis 2035");
    // The role add-on mixes catalogue ids and a direct link.
    const procurement = path.roles[0]?.modules[0];
    expect(procurement?.links.at(-1)).toEqual({
      label: "Kompass Nachhaltigkeit: Siegelfinder",
      url: "https://www.kompass-nachhaltigkeit.de/",
    });
    expect(procurement?.links).toHaveLength(4);
  });

  it("gives a tenant without onboarding documents an empty path, and reads again only after refresh()", async () => {
    let loads = 0;
    const paths = new OnboardingPaths(async () => {
      loads++;
      return realKnowledge();
    });
    expect(await paths.of("otherstadt")).toEqual({ common: [], roles: [] });
    await paths.of(TENANT);
    expect(loads).toBe(1);
    paths.refresh();
    await paths.of(TENANT);
    expect(loads).toBe(2);
  });

  it("shortens titles of modules and add-ons", () => {
    expect(shortTitle("Onboarding Modul 3: Beschaffung im Arbeitsalltag")).toBe(
      "Beschaffung im Arbeitsalltag",
    );
    expect(shortTitle("Onboarding Zusatzmodul für Beschaffende: nachhaltig einkaufen in Musterstadt")).toBe(
      "nachhaltig einkaufen in Musterstadt",
    );
    expect(shortTitle("Einführung")).toBe("Einführung");
  });
});

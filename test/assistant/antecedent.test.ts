import { describe, expect, it } from "vitest";
import { needsAntecedent, referent } from "../../src/assistant/antecedent.ts";

describe("needsAntecedent", () => {
  it("flags sentences whose subject points back to the one before", () => {
    for (const s of [
      "Sie gilt für alle Dienststellen der Stadtverwaltung.",
      "Er betrifft sogenannte subzentrale öffentliche Auftraggeber, also auch Städte, Gemeinden und Kreise.",
      "Es gilt ab einem Auftragswert von 25.000 Euro netto.",
      "Das regelt § 6 des Energieeffizienzgesetzes (EnEfG).",
      "Diese Quote gilt für den Referenzzeitraum vom 1. Januar 2026 bis 31. Dezember 2030.",
      "Dort sind für jede Gemeinde ab 5.000 Einwohnerinnen und Einwohnern fertige Werte hinterlegt.",
      "Dazu gehören: Heizung absenken; stoßlüften; Licht ausschalten.",
      "In diesen Strategien regeln sie auch, welche Kommunen Klimaanpassungskonzepte brauchen.",
      "Zweitens § 121 Abs. 2 GWB: Ist eine Leistung für Menschen bestimmt, muss die Leistungsbeschreibung die Barrierefreiheit berücksichtigen.",
      "Sie dürfen sie in der Leistungsbeschreibung, bei den Zuschlagskriterien oder bei den Ausführungsbedingungen einsetzen.",
      "Ein solches System erfasst regelmäßig, wo wie viel Energie verbraucht wird.",
      // An object "es" right after the verb, a pointing adverb inside the first clause, a sentence opening with "Dann".
      "Sie bestellen es über den Materialkatalog im Intranet; dort ist nur freigegebenes Papier gelistet.",
      "Das Umweltbundesamt bietet dafür Ausschreibungsempfehlungen an.",
      "Das Klimaschutzmanagement Ihrer Kommune kann dabei helfen, passende Regeln auszuwählen.",
      "Dann zitiert Lotse direkt aus dem Bericht, mit Angabe der Seite.",
      // A dative pronoun: the body named in the sentence before.
      "Ihr gehören der Verwaltungsvorstand, Vertreterinnen und Vertreter der Ratsfraktionen und der Stadtgesellschaft an.",
    ])
      expect(needsAntecedent(s), s).toBe(true);
  });

  it("names the noun of a definite back-reference, so that the antecedent must name it", () => {
    expect(
      referent("Das Gesetz betrifft Aufträge des Bundes, nicht unmittelbar die Aufträge von Kommunen."),
    ).toBe("Gesetz");
    expect(referent("Die Regel gilt unabhängig vom Betrag.")).toBe("Regel");
    expect(referent("Sie gilt für Kopierpapier.")).toBe("");
  });

  it("leaves sentences alone that say what they mean", () => {
    for (const s of [
      "Sie müssen immer auch gleichwertige Gütezeichen akzeptieren.",
      "Sie finden die Vorlage im Intranet.",
      "Es gibt jedoch wichtige Ausnahmen, bei denen Nachhaltigkeit Pflicht ist.",
      "Das Gesetz zur Wärmeplanung verpflichtet die Länder.",
      "Die Frist für die kommunale Wärmeplanung hängt von der Einwohnerzahl ab.",
      "Das Saubere-Fahrzeuge-Beschaffungs-Gesetz gilt für Aufträge oberhalb der EU-Schwellenwerte.",
      "Musterstadt musste ihren kommunalen Wärmeplan bis 30. Juni 2026 fertigstellen.",
      "Das geplante Bundestariftreuegesetz soll Tariftreue bei öffentlichen Aufträgen des Bundes ab 50.000 Euro vorschreiben.",
      "Die Allgemeine Verwaltungsvorschrift zur Beschaffung klimafreundlicher Leistungen (AVV Klima) ist seit 1. Januar 2022 in Kraft.",
      // An expletive "es", and adverbs that point forward to what follows.
      "Für Kommunen gibt es vor allem zwei freiwillige Berichtsformen.",
      "Die Kämmerei sorgt dafür, dass die Kennzahlen in den Produktblättern gepflegt werden.",
      "Denken Sie daran: Wer ein Siegel verlangt, muss gleichwertige Siegel akzeptieren.",
      // The polite possessive "Ihr" before a noun or an adjective.
      "Ihr Fachbereich meldet die Kennzahlen bis 31. März.",
      "Ihr neuer Dienstwagen sollte emissionsfrei sein.",
    ])
      expect(needsAntecedent(s), s).toBe(false);
  });
});

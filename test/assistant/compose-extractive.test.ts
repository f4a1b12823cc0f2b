import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planAnswer } from "../../src/assistant/answer-plan.ts";
import type { Unit } from "../../src/assistant/answer-units.ts";
import { supportingSource } from "../../src/assistant/cite.ts";
import { queryTerms } from "../../src/assistant/sentence-score.ts";
import { chunkDocument } from "../../src/knowledge/chunk.ts";
import { parseFrontMatter } from "../../src/knowledge/front-matter.ts";
import { markdownSections } from "../../src/knowledge/markdown-sections.ts";
import type { Passage } from "../../src/retrieval/retriever.ts";
import { ROOT } from "../helpers.ts";
import { composeInput, composer, retrievalFixture } from "./compose-fixtures.ts";

/**
 * The extractive composer on retrieval results captured from the bundled knowledge (test/assistant/fixtures): each
 * test holds one composition rule of issue 10.
 */
describe("extractive composition", () => {
  it("leads with the opening of the section that answers, not with a sentence from its middle", async () => {
    // "Wie ist der BNK aufgebaut?" answers the question; its best single sentence is a list item further down.
    const a = await (await composer()).compose(await composeInput("retrieval-bnk-aufbau"));
    const lead = a.text.split("\n")[0] ?? "";
    expect(lead).toMatch(
      /^Der BNK ist in zwei Teile gegliedert: Die Kriterien 01 bis 09 beschreiben die Steuerung, die Kriterien 10 bis 18 die Handlungsfelder\. /,
    );
    // The list after it elaborates the opening, with its labels.
    expect(lead).toContain("Steuerung (01–09): Hier beschreibt die Kommune");
    expect(lead).toContain("Handlungsfelder (10–18): Hier berichtet die Kommune");
    expect(a.citations[0]?.section).toBe("Wie ist der BNK aufgebaut?");
  });

  it("leads with the sentence that carries the question's key word where the section's opening does not", async () => {
    // "Wie warm darf es im Büro sein?" opens with the 20 °C rule; "Heizlüfter" stands in its sixth sentence.
    const a = await (await composer()).compose(
      await composeInput("retrieval-heizluefter", (ps) =>
        ps.filter((p) => p.section === "Wie warm darf es im Büro sein?"),
      ),
    );
    expect(a.text.split("\n")[0]).toBe(
      "Private Heizlüfter und Klimageräte sind in städtischen Gebäuden nicht erlaubt.",
    );
  });

  it("says the yes/no a question asks for in the lead", async () => {
    const input = await composeInput("retrieval-nachhaltigkeitscheck-section");
    const question =
      "Muss ich bei einer Bestellung ab einem bestimmten Betrag den Nachhaltigkeitscheck ausfüllen?";
    const a = await (await composer()).compose({ ...input, question });
    const [lead] = a.text.split("\n");
    expect(lead).toMatch(/^Den Nachhaltigkeitscheck füllen Sie vor der Bestellung aus/);
    expect(lead).toContain("Pflicht ist der Nachhaltigkeitscheck");
  });

  it("adds the figure the question asks for to the lead when the opening lacks it", async () => {
    // "Ab welchem Betrag …": the opening explains the check, the amount stands two sentences further on.
    const a = await (await composer()).compose(await composeInput("retrieval-nachhaltigkeitscheck-section"));
    const [lead] = a.text.split("\n");
    expect(lead).toMatch(/^Den Nachhaltigkeitscheck füllen Sie vor der Bestellung aus/);
    expect(lead).toContain("ab einem Betrag von 10.000 Euro netto");
  });

  it("marks a sentence from another document with it and its citation number", async () => {
    const a = await (await composer()).compose(await composeInput("retrieval-laptops"));
    const bullet = a.text.split("\n").find((l) => l.includes("ausschließlich der IT-Service"));
    const n = a.citations.findIndex((c) => c.docId === "musterstadt-it-beschaffung") + 1;
    expect(n).toBeGreaterThan(1);
    expect(bullet).toMatch(
      new RegExp(`^- Aus „Regel Musterstadt: Nachhaltige IT-Beschaffung“ \\[${n}\\]: In Musterstadt`),
    );
    // Sentences of the lead's own document carry no marker.
    expect(a.text.split("\n")[0]).toMatch(/^Bei der Beschaffung von IT-Hardware/);
  });

  it("quotes another document only where it answers another part of the question", async () => {
    // The Wärmeplanung passage shares only "Einwohnerzahl" with a question about the Gleichstellungsbeauftragte.
    const a = await (await composer()).compose(await composeInput("retrieval-gleichstellung"));
    expect(a.text).toContain("Gemeinden mit mehr als 10.000 Einwohnerinnen und Einwohnern");
    expect(a.text).not.toContain("Wärmeplanung");
    expect(a.citations.map((c) => c.docId)).toEqual(["rollen-zustaendigkeiten"]);
  });

  it("keeps the labels of a list and its figures in the text", async () => {
    const a = await (await composer()).compose(await composeInput("retrieval-schulsanierung"));
    expect(a.text).toContain("5.404.000 Euro");
    const list = (await composer()).compose(
      await composeInput("retrieval-schulsanierung", (ps) =>
        ps.filter((p) => p.section.startsWith("Welche EU-Schwellenwerte")),
      ),
    );
    const text = (await list).text;
    expect(text).toContain("216.000 Euro: Liefer- und Dienstleistungsaufträge subzentraler Auftraggeber");
    expect(text).toContain("5.404.000 Euro: Bauaufträge und Konzessionen.");
    expect(text).not.toContain("…");
  });

  it("quotes a sentence that leans on the one before only with it", async () => {
    const { question, retrieval } = await retrievalFixture("retrieval-dienstwagen-quote");
    // One section, and room for every sentence of it: each one that leans back must come with its antecedent.
    const section = retrieval.passages.filter(
      (p) => p.section === "Welche Quote gilt beim Kauf neuer Dienstwagen?",
    );
    const plan = planAnswer(question, section, queryTerms(retrieval), 10);
    const quotes = [...plan.lead, ...plan.bullets].map((q) => q.units.map((u) => u.text));
    const all = quotes.flat();
    expect(all).toContain(
      "Diese Quote gilt für den Referenzzeitraum vom 1. Januar 2026 bis 31. Dezember 2030.",
    );
    for (const q of quotes)
      q.forEach((text, i) => {
        // "Das Gesetz gilt für Aufträge …" follows "Plug-in-Hybride reichen …", which names no Gesetz.
        if (text.startsWith("Das Gesetz"))
          expect(
            q.slice(0, i).some((t) => /gesetz/i.test(t)),
            text,
          ).toBe(true);
        if (/^(Diese|Sie gilt|Es gilt|Das regelt)/.test(text)) expect(i, text).toBeGreaterThan(0);
      });
    // Nor does it join a bullet that ends with the sentence before it, when that names no Gesetz.
    const [passage] = section;
    const shorter = {
      ...(passage as Passage),
      body: (passage as Passage).body.replace(
        /Das Gesetz gilt für Aufträge [^.]*\./,
        "Das Gesetz gilt für Aufträge oberhalb der EU-Schwellenwerte.",
      ),
    };
    const again = planAnswer(question, [shorter], queryTerms(retrieval), 10);
    const texts = [...again.lead, ...again.bullets].map((q) => q.units.map((u) => u.text).join(" "));
    expect(texts).toContain("Plug-in-Hybride reichen für die Quote nicht mehr aus.");
    expect(texts.join("\n")).not.toContain("Das Gesetz gilt");
  });

  it("shows goals only on the answer's topic", async () => {
    const laptops = await (await composer()).compose(await composeInput("retrieval-laptops"));
    expect(laptops.goals.map((g) => g.docId)).not.toContain("musterstadt-ziel-recyclingpapier");
    const cars = await (await composer()).compose(await composeInput("retrieval-dienstwagen-quote"));
    expect(cars.goals.map((g) => g.docId)).toEqual(["musterstadt-ziel-fuhrpark-emissionsfrei"]);
    // "Büro" is in the question and in the recycled-paper goal, but the answer is about the Heizlüfter.
    const heater = await (await composer()).compose(await composeInput("retrieval-heizluefter"));
    expect(heater.goals).toEqual([]);
  });

  it("answers from the sentences under a PDF page's heading, never with the heading itself", async () => {
    // Page 1 of the Dienstanweisung (a PDF): "§ 3 Wertgrenzen im Überblick." and the thresholds below it.
    const a = await (await composer()).compose(await composeInput("retrieval-wertgrenzen-pdf"));
    expect(a.text).not.toContain("§ 3 Wertgrenzen im Überblick");
    expect(a.text).not.toContain(" · ");
    expect(a.text.split("\n")[0]).toMatch(/^Unter 1\.000 Euro netto kaufen Sie als Direktkauf selbst ein/);
    expect(a.text).toContain(
      "Ab 10.000 Euro netto füllen Sie für jede Bestellung das Formular Nachhaltigkeitscheck aus",
    );
    expect(a.citations[0]?.page).toBe(1);
  });

  it("quotes a scale of thresholds whole, not its first three steps", async () => {
    // "Welche Wertgrenzen …": the page lists four amounts in four sentences; the answer used to stop at 10.000 Euro.
    const a = await (await composer()).compose(await composeInput("retrieval-wertgrenzen-pdf"));
    const lead = a.text.split("\n")[0] ?? "";
    for (const amount of ["Unter 1.000 Euro", "Ab 1.000 Euro", "Ab 10.000 Euro", "Ab 25.000 Euro"])
      expect(lead).toContain(amount);
  });

  it("leads with the opening together with the list it introduces", async () => {
    // "Wer steht alles hinter den SDG-Indikatoren?": two sentences, then "Beteiligt sind außerdem:" and seven bodies.
    const a = await (await composer()).compose(await composeInput("retrieval-sdg-indikatoren-traeger"));
    const lead = a.text.split("\n")[0] ?? "";
    expect(lead).toMatch(/^Die SDG-Indikatoren für Kommunen sind ein gemeinsames Projekt/);
    expect(lead).toContain("Beteiligt sind außerdem: das Deutsche Institut für Urbanistik (Difu)");
    expect(lead).toContain("die Bertelsmann Stiftung.");
  });

  it("answers an overview question from the other sections of the best document, not from unrelated ones", async () => {
    // "Welche Energiesparregeln gelten im Büro?": heating is one section of the Dienstanweisung Energie, airing, light
    // and devices another; a climate goal and the paper rule merely mention "Büro" and "Regel".
    const a = await (await composer()).compose(await composeInput("retrieval-energiesparregeln-buero"));
    expect(a.citations.map((c) => c.section).slice(0, 2)).toEqual([
      "Wie warm darf es im Büro sein?",
      "Lüften, Licht und Geräte: was gilt in Musterstadt?",
    ]);
    expect(a.text).toContain("Licht: Beim Verlassen des Raums das Licht ausschalten");
    expect(a.text).not.toContain("Recyclingpapier");
  });

  it("answers each part of a question from the section of the same document that answers it", async () => {
    // "Wie viel müssen wir laut EnEfG jährlich einsparen und wie viel bringt das Verhalten der Beschäftigten?": the
    // best section answers the second part (15 %), the section on the duty the first (2 % a year).
    const a = await (await composer()).compose(await composeInput("retrieval-enefg-und-verhalten"));
    expect(a.text).toContain("bis zu 15 % Energie einsparen");
    expect(a.text).toContain("jährlich um 2 % senken");
    expect(a.citations[1]?.section).toBe("Wie viel Energie müssen öffentliche Stellen jährlich einsparen?");
  });

  it("gives each part of a two-part question its own date, not one date that is about the other part", async () => {
    // The lead's "bis 30. September … Produktblätter" answers the second part; the first part's date (31. März)
    // stands in the Produktblätter document ("Grundlage sind die Indikatoren, die … bis 31. März gemeldet haben").
    const a = await (await composer()).compose(
      await composeInput("retrieval-indikatoren-und-produktblaetter"),
    );
    expect(a.text).toContain("bis 30. September");
    expect(a.text).toContain(
      "Grundlage sind die Indikatoren, die die Fachbereiche bis 31. März gemeldet haben.",
    );
    // No sentence of a document that only shares "kommen" with the question.
    expect(a.citations.map((c) => c.docId)).not.toContain("einfuehrung-nachhaltigkeitsmanagement");
  });

  it("answers a yes/no question from the rest of the lead's paragraph before another document", async () => {
    // "Gilt § 45 KrWG direkt für uns als Stadt?": the answer for Kommunen is the paragraph's last sentence; the
    // municipality's page on who coordinates sustainability shares only "direkt" and "Stadt" with the question.
    const a = await (await composer()).compose(await composeInput("retrieval-krwg-fuer-uns"));
    expect(a.text).toContain("Für Kommunen gelten ähnliche Pflichten aus den Abfallgesetzen der Länder");
    expect(a.text).not.toContain("Oberbürgermeister");
    expect(a.citations.map((c) => c.docId)).toEqual(["kreislaufwirtschaft-krwg-45"]);
  });

  it("quotes no sentence of another document that shares words but not the question's key concept", async () => {
    // "Müssen wir als Kommune das Bundestariftreuegesetz anwenden?": "In Nordrhein-Westfalen sollen die Kommunen die
    // UVgO anwenden …" shares "Kommune" and "anwenden" and reads as if it qualified the answer.
    const a = await (await composer()).compose(await composeInput("retrieval-bundestariftreue-kommune"));
    expect(a.text.split("\n")[0]).toMatch(/^Das geplante Bundestariftreuegesetz soll Tariftreue/);
    expect(a.text).not.toContain("UVgO");
  });

  it("quotes a sentence whose object points back only after the sentence it points to", async () => {
    // "Sie bestellen es über den Materialkatalog": "es" is the Recyclingpapier of the sentence before.
    const a = await (await composer()).compose(await composeInput("retrieval-papier-was-und-wo"));
    const line = a.text.split("\n").find((l) => l.includes("Sie bestellen es über den Materialkatalog"));
    expect(line).toMatch(
      /^- Recyclingpapier schont Ressourcen .*\. Sie bestellen es über den Materialkatalog/,
    );
  });

  it('puts the municipality\'s own rule first when the question asks about "uns"', async () => {
    const a = await (await composer()).compose(await composeInput("retrieval-recyclingpapier-bei-uns"));
    expect(a.citations[0]?.docId).toBe("musterstadt-ziel-recyclingpapier");
    expect(a.text).toContain("Das Büropapier der Stadtverwaltung Musterstadt ist zu 100 % Recyclingpapier");
  });
});

describe("citations", () => {
  /** The footnoted fixture document, chunked, as passages of a retrieval for "Seit wann gilt …". */
  async function footnotedPassages(): Promise<Passage[]> {
    const file = path.join(ROOT, "test/assistant/fixtures/knowledge/topics/shared/eu-schwellenwerte.md");
    const fm = parseFrontMatter(await readFile(file, "utf8"), "shared/eu-schwellenwerte.md");
    if (!fm.meta) throw new Error("fixture has no front matter");
    const meta = fm.meta;
    const chunks = chunkDocument({
      meta,
      path: "shared/eu-schwellenwerte.md",
      hash: "h",
      sections: markdownSections(fm.body, meta.title),
    });
    const { retrieval } = await retrievalFixture("retrieval-schwellenwert-seit-wann");
    const lexemes = retrieval.concepts.flatMap((c) => c.alternatives.flatMap((a) => a.lexemes));
    return chunks.map((c, i) => ({
      ...(retrieval.passages[0] as Passage),
      chunkId: i,
      docId: meta.id,
      title: meta.title,
      section: c.section,
      body: c.body,
      sources: meta.sources,
      matched: lexemes.filter((l) => c.indexText.toLowerCase().includes(l)),
    }));
  }

  it("cites the footnote's source for a quoted sentence and shows no markers", async () => {
    const input = await composeInput("retrieval-schwellenwert-seit-wann");
    const passages = await footnotedPassages();
    const a = await (await composer()).compose({ ...input, retrieval: { ...input.retrieval, passages } });
    expect(a.text).toContain("Dieser EU-Schwellenwert gilt seit 1. Januar 2026");
    expect(a.text).not.toContain("[^");
    for (const c of a.citations) expect(c.excerpt).not.toContain("[^");
    // The lead starts with the sentence footnoted [^glossar], the front matter's first source.
    expect(a.citations[0]?.url).toBe("https://subreport.de/wiki/glossar/eu-schwellenwert");
  });

  it("links the source that supports the quoted sentence, not the document's first source", async () => {
    const passages = await footnotedPassages();
    const first = passages[0] as Passage;
    const unit = (text: string, sources: number[]): Unit => ({
      text,
      sources,
      block: 0,
      i: 1,
      list: false,
      heading: false,
    });
    // By footnote: [^bik] is the Bundesingenieurkammer, the second source.
    expect(supportingSource(first, [unit("Dieser EU-Schwellenwert gilt seit 1. Januar 2026.", [1])])).toBe(1);
    // By footnote to a URL that was no front matter source: it became the third.
    expect(
      first.sources[supportingSource(first, [unit("Unterhalb gilt Landesrecht.", [2])]) ?? -1]?.url,
    ).toBe("https://weka.de/architekten-ingenieure/uvgo-in-den-bundeslaendern");
    // Without footnotes, by the words of the source's title and address.
    const plain = {
      ...first,
      sources: (await retrievalFixture("retrieval-schulsanierung")).retrieval.passages[0]?.sources ?? [],
    };
    expect(plain.sources.map((s) => s.title)).toEqual([
      "subreport: Glossar EU-Schwellenwert",
      "Bundesingenieurkammer: Neue EU-Schwellenwerte seit 1. Januar 2026",
      "Vergabeverordnung § 67",
      "Saubere-Fahrzeuge-Beschaffungs-Gesetz § 6",
    ]);
    const vgv = unit(
      "Ab 216.000 Euro netto greift das EU-Vergaberecht, darunter auch § 67 VgV zur Energieeffizienz.",
      [],
    );
    expect(supportingSource(plain, [vgv])).toBe(2);
    const since = unit("Dieser EU-Schwellenwert gilt seit 1. Januar 2026 für die Jahre 2026 und 2027.", []);
    expect(supportingSource(plain, [since])).toBe(1);
  });
});

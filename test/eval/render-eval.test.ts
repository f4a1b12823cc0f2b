import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderEvalCase, renderEvalTable } from "../../adapters/cli/render-eval.ts";
import type { Answer } from "../../src/assistant/answer.ts";
import type { EvalCase } from "../../src/eval/eval-cases.ts";
import { judge } from "../../src/eval/eval-judge.ts";
import { summarize, topPassages } from "../../src/eval/eval-summary.ts";
import type { EvalResult } from "../../src/eval/run-eval.ts";
import { runEvalCase } from "../../src/eval/run-eval.ts";
import type { Passage } from "../../src/retrieval/retriever.ts";

const fixture = async (name: string) =>
  JSON.parse(await readFile(path.join(import.meta.dirname, "fixtures", name), "utf8")) as Answer;

const CASES: EvalCase[] = [
  {
    id: "hom-monitore",
    q: "Kauf von neuen Monitoren",
    category: "homonym",
    expect: ["67 VgV", "Lebenszykluskosten"],
    reject: ["Monitor Nachhaltige Kommune"],
    abstain: false,
    doc: "it-hardware-beschaffung",
  },
  {
    id: "lf-monitor",
    q: "Wie viele Kernindikatoren hat der Monitor?",
    expect: ["37"],
    reject: [],
    abstain: false,
  },
  {
    id: "abs-urlaub",
    q: "Wie viele Urlaubstage?",
    category: "abstain",
    expect: [],
    reject: [],
    abstain: true,
  },
];

describe("renderEvalTable", () => {
  it("marks excerpt-only passes, lists pass rates per category and gives strict and lenient rates", async () => {
    const answers = [await fixture("answer-monitore.json"), await fixture("answer-monitore.json")];
    answers.push(await fixture("answer-urlaub-no-answer.json"));
    const results: EvalResult[] = CASES.map((c, i) => ({
      id: c.id,
      question: c.q,
      category: c.category ?? "general",
      ...judge(c, answers[i] as Answer),
      answer: answers[i] as Answer,
    }));
    const summary = summarize(CASES, results, topPassages([]));
    const out = renderEvalTable(results, summary).split("\n");
    expect(out.find((l) => l.startsWith("hom-monitore"))).toContain(
      "FEHLER    answer     0.70   Lebenszykluskosten (nur im Auszug); unerwünscht: Monitor Nachhaltige Kommune",
    );
    expect(out.find((l) => l.startsWith("lf-monitor"))).toMatch(/^lf-monitor\s+ok\s+answer/);
    const header = out.findIndex((l) => l.startsWith("Kategorie"));
    expect(out.slice(header + 1, header + 4).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ["homonym", "1", "0"],
      ["general", "1", "1"],
      ["abstain", "1", "1"],
    ]);
    expect(out).toContain(
      "Fälle: 3, bestanden: 2 (66.7 % streng, nur Antworttext; 66.7 % mit Quellenauszügen)",
    );
  });
});

describe("renderEvalCase", () => {
  it("shows where each expected fact was found and marks the expected document among the passages", async () => {
    const answer = await fixture("answer-monitore.json");
    const passages = [
      {
        docId: "ziele-indikatoren",
        title: "t",
        section: "Was ist der Monitor Nachhaltige Kommune?",
        body: "…",
      },
      {
        docId: "it-hardware-beschaffung",
        title: "t",
        section: "Welche Kriterien gelten?",
        body: "Lebenszykluskosten",
      },
    ] as Passage[];
    const report = await runEvalCase(CASES[0] as EvalCase, {
      answer: async () => answer,
      retrieve: async () => passages,
    });
    const out = renderEvalCase(report);
    expect(out).toContain("Fall hom-monitore (homonym): nicht bestanden");
    expect(out).toContain("Schlüsselwort: –   erwartetes Dokument: it-hardware-beschaffung");
    expect(out).toMatch(/Lebenszykluskosten\s+nein\s+ja\s+ja/);
    expect(out).toMatch(/67 VgV\s+ja\s+ja\s+nein/);
    expect(out).toContain("  2. it-hardware-beschaffung (erwartet) – Welche Kriterien gelten?");
  });
});

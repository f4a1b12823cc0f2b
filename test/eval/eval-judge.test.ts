import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Answer } from "../../src/assistant/answer.ts";
import { LotseError } from "../../src/errors.ts";
import { type EvalCase, found, selectCase } from "../../src/eval/eval-cases.ts";
import { hasContact, judge } from "../../src/eval/eval-judge.ts";
import { summarize, topPassages } from "../../src/eval/eval-summary.ts";
import { type EvalResult, runEvalCase } from "../../src/eval/run-eval.ts";
import type { Passage } from "../../src/retrieval/retriever.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
/** Lotse's answer to "Kauf von neuen Monitoren" (2026-12-01): the indicator set, not the devices. */
const monitore = async () =>
  JSON.parse(await readFile(path.join(FIXTURES, "answer-monitore.json"), "utf8")) as Answer;
/** Lotse's no_answer to a holiday question, naming the sustainability coordination. */
const noAnswer = async () =>
  JSON.parse(await readFile(path.join(FIXTURES, "answer-urlaub-no-answer.json"), "utf8")) as Answer;

const ROLES = new Map([
  ["nachhaltigkeit", "Nachhaltigkeitskoordination"],
  ["vergabestelle", "Vergabestelle"],
  ["personal", "Personalentwicklung"],
  ["it", "IT-Service"],
]);

const base = (over: Partial<EvalCase>): EvalCase => ({
  id: "x",
  q: "?",
  expect: [],
  reject: [],
  abstain: false,
  ...over,
});

describe("found", () => {
  it("finds alternatives case-insensitively, with any kind of space and with or without a space before % and °", () => {
    expect(found("67 VgV|Energieeffizienz", ["Die ENERGIEEFFIZIENZ zählt"])).toBe(true);
    expect(found("216.000|216 000", ["ab 216\u202f000 Euro"])).toBe(true);
    expect(found("80 %", ["80% der Pkw"])).toBe(true);
    expect(found("20°C", ["höchstens 20 °C"])).toBe(true);
    expect(found("Blauer Engel", ["EU Ecolabel"])).toBe(false);
  });
});

describe("judge (strict: the answer text only)", () => {
  it("does not count a fact that only an excerpt holds, and says so; the lenient verdict counts it", async () => {
    const c = base({ expect: ["Energieeffizienz", "Lebenszykluskosten"] });
    const v = judge(c, await monitore());
    expect(v).toEqual({ pass: false, pass_lenient: true, missing: ["Lebenszykluskosten (nur im Auszug)"] });
  });

  it("fails an answer whose text holds the wrong sense of a homonym (reject)", async () => {
    const c = base({ expect: ["67 VgV"], reject: ["Monitor Nachhaltige Kommune"] });
    const v = judge(c, await monitore());
    expect(v.pass).toBe(false);
    expect(v.pass_lenient).toBe(false);
    expect(v.missing).toEqual(["unerwünscht: Monitor Nachhaltige Kommune"]);
    expect(judge(base({ expect: ["67 VgV"] }), await monitore()).pass).toBe(true);
  });

  it("resolves a role id to its label instead of matching it as a substring", async () => {
    const a = await monitore(); // contacts: Nachhaltigkeitskoordination, Vergabestelle
    expect(hasContact(a, "it", ROLES)).toBe(false); // "it" is inside "Nachhaltigkeitskoordination"
    expect(hasContact(a, "nachhaltigkeit", ROLES)).toBe(true);
    expect(hasContact(a, "Vergabe", ROLES)).toBe(true);
    expect(judge(base({ expect: ["67 VgV"], contact: "it" }), a, { roles: ROLES }).missing).toEqual([
      "contact: it",
    ]);
  });

  it("requires no_answer and, where the case names one, that contact for an abstention", async () => {
    const a = await noAnswer();
    expect(judge(base({ abstain: true }), a).pass).toBe(true);
    expect(judge(base({ abstain: true, contact: "personal" }), a, { roles: ROLES })).toEqual({
      pass: false,
      pass_lenient: false,
      missing: ["contact: personal"],
    });
    expect(judge(base({ abstain: true }), await monitore()).missing).toEqual([
      "kind: no_answer (war answer)",
    ]);
  });
});

describe("summary per category", () => {
  it("gives strict and lenient pass rates and recall per category; cases without one count as general", async () => {
    const [m, n] = [await monitore(), await noAnswer()];
    const cases: EvalCase[] = [
      base({ id: "a", category: "homonym", expect: ["67 VgV"], doc: "it-hardware-beschaffung" }),
      base({ id: "b", category: "homonym", expect: ["Lebenszykluskosten"], doc: "ziele-indikatoren" }),
      base({ id: "c", category: "abstain", abstain: true }),
      base({ id: "d", expect: ["Kernindikatoren"] }),
    ];
    const answers = [m, m, n, m];
    const results: EvalResult[] = cases.map((c, i) => ({
      id: c.id,
      question: c.q,
      category: c.category ?? "general",
      ...judge(c, answers[i] as Answer),
      answer: answers[i] as Answer,
    }));
    const passage = (docId: string, body: string) => ({ docId, title: docId, section: "s", body }) as Passage;
    const top = topPassages([
      ["a", [passage("ziele-indikatoren", "Monitor"), passage("it-hardware-beschaffung", "§ 67 VgV")]],
      ["b", [passage("ziele-indikatoren", "nichts")]],
      ["d", [passage("ziele-indikatoren", "37 Kernindikatoren")]],
    ]);
    const s = summarize(cases, results, top);
    expect(Object.keys(s.categories)).toEqual(["homonym", "abstain", "general"]);
    expect(s.categories.homonym).toEqual({
      cases: 2,
      passed: 1,
      pass_rate: 0.5,
      pass_rate_lenient: 1,
      recall_at_3: 0.5,
      doc_recall_at_3: 1,
    });
    expect(s.categories.abstain).toMatchObject({
      cases: 1,
      passed: 1,
      recall_at_3: null,
      doc_recall_at_3: null,
    });
    expect(s).toMatchObject({
      cases: 4,
      passed: 3,
      pass_rate: 0.75,
      pass_rate_lenient: 1,
      abstain_accuracy: 1,
    });
  });
});

describe("one case by id (lotse eval FILE --explain ID)", () => {
  const cases = [
    base({
      id: "hom-monitore",
      q: "Kauf von neuen Monitoren",
      expect: ["Energieeffizienz", "Lebenszykluskosten", "Blauer Engel"],
    }),
  ];

  it("selects the case, or names close ids in a German EVAL_FILE_INVALID", () => {
    expect(selectCase(cases, "hom-monitore").q).toBe("Kauf von neuen Monitoren");
    try {
      selectCase(cases, "hom-monitor", "test/eval/paraphrases.yaml");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LotseError);
      expect((err as LotseError).code).toBe("EVAL_FILE_INVALID");
      expect((err as Error).message).toBe(
        "Die Evaluationsdatei test/eval/paraphrases.yaml enthält keinen Fall „hom-monitor“. Ähnliche Kennungen: hom-monitore.",
      );
    }
  });

  it("runs it and tells for each fact whether the text, an excerpt or the top passages hold it", async () => {
    const answer = await monitore();
    const passages = [
      {
        docId: "ziele-indikatoren",
        title: "t",
        section: "Was ist der Monitor Nachhaltige Kommune?",
        body: "37 Kernindikatoren",
      },
      { docId: "it-hardware-beschaffung", title: "t", section: "s", body: "Blauer Engel oder EU Ecolabel" },
    ] as Passage[];
    const asked: string[] = [];
    const report = await runEvalCase(selectCase(cases, "hom-monitore"), {
      answer: async (m) => {
        if (m.kind === "message") asked.push(m.text);
        return answer;
      },
      retrieve: async () => passages,
    });
    expect(asked).toEqual(["Kauf von neuen Monitoren"]);
    expect(report.passages).toEqual(passages);
    expect(report.result).toMatchObject({
      id: "hom-monitore",
      category: "general",
      pass: false,
      pass_lenient: false,
    });
    expect(report.facts).toEqual([
      { entry: "Energieeffizienz", text: true, excerpts: true, top3: false },
      { entry: "Lebenszykluskosten", text: false, excerpts: true, top3: false },
      { entry: "Blauer Engel", text: false, excerpts: false, top3: true },
    ]);
  });
});

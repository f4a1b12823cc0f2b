import type { Passage } from "../retrieval/retriever.ts";
import { categoryOf, type EvalCase, found } from "./eval-cases.ts";
import { hasContact } from "./eval-judge.ts";
import type { EvalResult } from "./run-eval.ts";

/** Pass rates of a group of cases, strict and lenient, and recall@3 of retrieval (null: no answerable case). */
export interface EvalFigures {
  cases: number;
  passed: number;
  /** Strict: every expected fact in the answer text. */
  pass_rate: number;
  /** The old measure: a fact in one of the first three excerpts counts too. */
  pass_rate_lenient: number;
  recall_at_3: number | null;
  /** Share of cases naming a `doc` whose document is among the top three passages (null: no such case). */
  doc_recall_at_3: number | null;
}

export interface EvalSummary extends EvalFigures {
  recall_at_3: number;
  abstain_accuracy: number;
  contact_accuracy: number;
  /** Per category (field `category`; cases without one count as "general"), in order of first appearance. */
  categories: Record<string, EvalFigures>;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Share of expected entries found in the text of the top three passages (answerable cases only; 0 if none). */
export function recallAt3(cases: EvalCase[], top: ReadonlyMap<string, string[]>): number {
  return recallOrNull(cases, top) ?? 0;
}

function recallOrNull(cases: EvalCase[], top: ReadonlyMap<string, string[]>): number | null {
  const answerable = cases.filter((c) => !c.abstain && c.expect.length > 0);
  if (answerable.length === 0) return null;
  let sum = 0;
  for (const c of answerable) {
    const texts = top.get(c.id) ?? [];
    sum += c.expect.filter((e) => found(e, texts)).length / c.expect.length;
  }
  return round(sum / answerable.length);
}

/** Share of answerable cases with a `doc` whose document is among their top three passages; null if none. */
export function docRecallAt3(cases: EvalCase[], topDocs: ReadonlyMap<string, string[]>): number | null {
  const named = cases.filter((c) => !c.abstain && c.doc);
  if (named.length === 0) return null;
  return round(
    named.filter((c) => (topDocs.get(c.id) ?? []).includes(c.doc as string)).length / named.length,
  );
}

/** Passage texts and document ids per case id, as the recall figures read them. */
export interface TopPassages {
  texts: ReadonlyMap<string, string[]>;
  docs: ReadonlyMap<string, string[]>;
}

/** The text of a passage in which recall@3 looks for the expected facts. */
export const passageText = (p: Passage): string => `${p.title}\n${p.section}\n${p.body}`;

/** Collects the top passages of each answerable case. */
export function topPassages(entries: Iterable<[string, Passage[]]>): TopPassages {
  const texts = new Map<string, string[]>();
  const docs = new Map<string, string[]>();
  for (const [id, ps] of entries) {
    texts.set(id, ps.map(passageText));
    docs.set(
      id,
      ps.map((p) => p.docId),
    );
  }
  return { texts, docs };
}

function figures(cases: EvalCase[], results: EvalResult[], top: TopPassages): EvalFigures {
  const passed = results.filter((r) => r.pass).length;
  const n = Math.max(cases.length, 1);
  return {
    cases: cases.length,
    passed,
    pass_rate: round(passed / n),
    pass_rate_lenient: round(results.filter((r) => r.pass_lenient).length / n),
    recall_at_3: recallOrNull(cases, top.texts),
    doc_recall_at_3: docRecallAt3(cases, top.docs),
  };
}

/** The summary figures of a run: overall, per category, abstention and contact accuracy. */
export function summarize(
  cases: EvalCase[],
  results: EvalResult[],
  top: TopPassages,
  roles?: ReadonlyMap<string, string>,
): EvalSummary {
  const pairs = cases.map((c, i) => ({ c, r: results[i] as EvalResult }));
  const groups = new Map<string, typeof pairs>();
  for (const p of pairs) groups.set(categoryOf(p.c), [...(groups.get(categoryOf(p.c)) ?? []), p]);
  const categories: Record<string, EvalFigures> = {};
  for (const [name, g] of groups)
    categories[name] = figures(
      g.map((p) => p.c),
      g.map((p) => p.r),
      top,
    );
  const abstain = pairs.filter((p) => p.c.abstain);
  const withContact = pairs.filter((p) => p.c.contact);
  return {
    ...figures(cases, results, top),
    recall_at_3: recallAt3(cases, top.texts),
    abstain_accuracy: round(
      abstain.filter((p) => p.r.answer.kind === "no_answer").length / Math.max(abstain.length, 1),
    ),
    contact_accuracy: round(
      withContact.filter((p) => hasContact(p.r.answer, p.c.contact as string, roles)).length /
        Math.max(withContact.length, 1),
    ),
    categories,
  };
}

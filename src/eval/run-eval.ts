import type { Answer } from "../assistant/answer.ts";
import type { Inbound } from "../core/inbound.ts";
import type { Passage } from "../retrieval/retriever.ts";
import { type EvalCase, found } from "./eval-cases.ts";

export interface EvalResult {
  id: string;
  question: string;
  pass: boolean;
  missing: string[];
  answer: Answer;
}

export interface EvalSummary {
  cases: number;
  passed: number;
  pass_rate: number;
  recall_at_3: number;
  abstain_accuracy: number;
  contact_accuracy: number;
}

export interface EvalDeps {
  answer(msg: Inbound): Promise<Answer>;
  /** Top passages for a question, for recall@3 of retrieval itself. */
  retrieve(question: string, tenant: string | undefined): Promise<Passage[]>;
}

/** Judges one answer against its case; missing lists what was not found. */
export function judge(c: EvalCase, answer: Answer): { pass: boolean; missing: string[] } {
  const missing: string[] = [];
  if (c.abstain) {
    if (answer.kind !== "no_answer") missing.push("kind: no_answer");
    if (answer.contacts.length === 0) missing.push("contact");
    return { pass: missing.length === 0, missing };
  }
  if (answer.kind !== "answer") missing.push(`kind: answer (war ${answer.kind})`);
  const texts = [answer.text, ...answer.citations.slice(0, 3).map((x) => x.excerpt)];
  for (const e of c.expect) if (!found(e, texts)) missing.push(e);
  if (c.contact && !hasContact(answer, c.contact)) missing.push(`contact: ${c.contact}`);
  return { pass: missing.length === 0, missing };
}

function hasContact(answer: Answer, role: string): boolean {
  const r = role.toLowerCase();
  return answer.contacts.some((x) => x.role.toLowerCase().includes(r));
}

/** Share of expected entries found in the text of the top three passages (answerable cases only). */
export function recallAt3(cases: EvalCase[], top: Map<string, string[]>): number {
  const answerable = cases.filter((c) => !c.abstain && c.expect.length > 0);
  if (answerable.length === 0) return 0;
  let sum = 0;
  for (const c of answerable) {
    const texts = top.get(c.id) ?? [];
    sum += c.expect.filter((e) => found(e, texts)).length / c.expect.length;
  }
  return round(sum / answerable.length);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Runs every case through the router (as the CLI platform) and computes the summary figures. */
export async function runEval(
  cases: EvalCase[],
  deps: EvalDeps,
  onCase?: (done: number, total: number) => void,
): Promise<{ results: EvalResult[]; summary: EvalSummary }> {
  const results: EvalResult[] = [];
  const top = new Map<string, string[]>();
  for (const c of cases) {
    const answer = await deps.answer({
      kind: "message",
      platform: "cli",
      ...(c.tenant ? { tenant: c.tenant } : {}),
      user: { id: "eval" },
      conversation: { id: `eval-${c.id}`, kind: "personal" },
      text: c.q,
      receivedAt: new Date(),
    });
    if (!c.abstain)
      top.set(
        c.id,
        (await deps.retrieve(c.q, c.tenant)).slice(0, 3).map((p) => `${p.title}\n${p.section}\n${p.body}`),
      );
    results.push({ id: c.id, question: c.q, ...judge(c, answer), answer });
    onCase?.(results.length, cases.length);
  }
  const abstain = results.filter((_, i) => cases[i]?.abstain);
  const withContact = cases.map((c, i) => ({ c, r: results[i] as EvalResult })).filter((x) => x.c.contact);
  const passed = results.filter((r) => r.pass).length;
  return {
    results,
    summary: {
      cases: cases.length,
      passed,
      pass_rate: round(passed / Math.max(cases.length, 1)),
      recall_at_3: recallAt3(cases, top),
      abstain_accuracy: round(
        abstain.filter((r) => r.answer.kind === "no_answer").length / Math.max(abstain.length, 1),
      ),
      contact_accuracy: round(
        withContact.filter((x) => hasContact(x.r.answer, x.c.contact as string)).length /
          Math.max(withContact.length, 1),
      ),
    },
  };
}

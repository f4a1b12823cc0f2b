import type { Answer } from "../assistant/answer.ts";
import { type EvalCase, found } from "./eval-cases.ts";

/** Strict verdict (facts in the answer text) beside the lenient one (text or the first three excerpts). */
export interface Judgement {
  pass: boolean;
  pass_lenient: boolean;
  /** What failed the strict verdict; a fact that only an excerpt holds is marked "(nur im Auszug)". */
  missing: string[];
}

export interface JudgeOptions {
  /** Role id → label (knowledge/roles.yaml), so that `contact: it` means the IT-Service and nothing else. */
  roles?: ReadonlyMap<string, string>;
}

/** Where one expected fact was found: in the answer text, in the first three excerpts, in the top three passages. */
export interface FactPlace {
  entry: string;
  text: boolean;
  excerpts: boolean;
  top3: boolean;
}

const EXCERPT_ONLY = " (nur im Auszug)";

/**
 * Judges one answer against its case. Strict: every expected fact in answer.text, no rejected text there, the
 * expected contact named. Lenient (the old measure, a secondary figure): the first three excerpts count too.
 */
export function judge(c: EvalCase, answer: Answer, options: JudgeOptions = {}): Judgement {
  const missing: string[] = [];
  if (c.abstain) {
    if (answer.kind !== "no_answer") missing.push(`kind: no_answer (war ${answer.kind})`);
    if (c.contact ? !hasContact(answer, c.contact, options.roles) : answer.contacts.length === 0)
      missing.push(`contact${c.contact ? `: ${c.contact}` : ""}`);
    return { pass: missing.length === 0, pass_lenient: missing.length === 0, missing };
  }
  let lenientFails = 0;
  if (answer.kind !== "answer") {
    missing.push(`kind: answer (war ${answer.kind})`);
    lenientFails++;
  }
  const excerpts = answer.citations.slice(0, 3).map((x) => x.excerpt);
  for (const e of c.expect) {
    if (found(e, [answer.text])) continue;
    const inExcerpt = found(e, excerpts);
    missing.push(inExcerpt ? `${e}${EXCERPT_ONLY}` : e);
    if (!inExcerpt) lenientFails++;
  }
  for (const r of c.reject)
    if (found(r, [answer.text])) {
      missing.push(`unerwünscht: ${r}`);
      lenientFails++;
    }
  if (c.contact && !hasContact(answer, c.contact, options.roles)) {
    missing.push(`contact: ${c.contact}`);
    lenientFails++;
  }
  return { pass: missing.length === 0, pass_lenient: lenientFails === 0, missing };
}

/**
 * Whether the answer names the contact: a role id of `roles` must match its label exactly; anything else matches
 * a contact's role label as a case-insensitive substring ("Vergabe" → "Vergabestelle").
 */
export function hasContact(answer: Answer, contact: string, roles?: ReadonlyMap<string, string>): boolean {
  const label = roles?.get(contact);
  if (label !== undefined) return answer.contacts.some((x) => x.role.toLowerCase() === label.toLowerCase());
  const r = contact.toLowerCase();
  return answer.contacts.some((x) => x.role.toLowerCase().includes(r));
}

/** For each expected fact, where it was found (what `--explain` shows first). */
export function factPlaces(c: EvalCase, answer: Answer, top3: string[]): FactPlace[] {
  const excerpts = answer.citations.slice(0, 3).map((x) => x.excerpt);
  return c.expect.map((entry) => ({
    entry,
    text: found(entry, [answer.text]),
    excerpts: found(entry, excerpts),
    top3: found(entry, top3),
  }));
}

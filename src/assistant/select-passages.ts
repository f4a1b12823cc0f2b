import type { Passage, RetrievalResult } from "../retrieval/retriever.ts";
import { answerUnits } from "./answer-units.ts";
import type { ComposeInput } from "./composer.ts";
import { coverage } from "./confidence.ts";
import { questionParts } from "./question-asks.ts";
import { carried, passageWeight, queryTerms, type Term } from "./sentence-score.ts";

/**
 * The passages an answer quotes from: the best one and others nearly as good (selectPassages), the municipality's
 * own first where the question is about "us" (ownRuleFirst).
 */
export function choosePassages(input: ComposeInput, terms: Term[], max: number): Passage[] {
  const options = { ownFirst: ABOUT_US.test(input.question), parts: questionParts(input.question).length };
  return ownRuleFirst(selectPassages(input.retrieval, max, options), input, terms);
}

/** Passages nearly as good as the best one: this share of its fused rank score and of its coverage. */
const NEARLY_AS_GOOD = 0.5;
/** A passage covers another part of the question where it adds this share of the question's weight. */
const PART_SHARE = 0.15;
/** The municipality's own document comes before other sections of general guidance from this share of its weight. */
const OWN_DOC_SHARE = 0.8;

/**
 * The best passage plus others nearly as good, one per section, chosen in this order: a passage that covers a part
 * of the question the chosen ones do not ("… und wie viel bringt das Verhalten?"); the municipality's own document
 * beside general guidance, where the question is about "us" or the document covers it nearly as well; another
 * section of the best passage's document (an overview question — "Welche Energiesparregeln gelten?" — is answered
 * by the sections on heating and on airing and light, not by a climate goal that mentions "Energiesparen"); then the
 * rest in retrieval order. Within each, sections of a document already chosen first.
 */
export function selectPassages(
  r: RetrievalResult,
  max: number,
  { ownFirst = false, parts = 1 }: { ownFirst?: boolean; parts?: number } = {},
): Passage[] {
  const [top, ...rest] = r.passages;
  if (!top) return [];
  const terms = queryTerms(r);
  const topCov = coverage(top, r);
  const topWeight = passageWeight(top, terms);
  const candidates = rest.filter(
    (p) => p.rrf >= top.rrf * NEARLY_AS_GOOD && coverage(p, r) >= topCov * NEARLY_AS_GOOD,
  );
  const out = [top];
  const covered = new Map(terms.map((t) => [t.key, termCredit(top, t)]));
  // A part of the question is named by a noun ("… und wie viel bringt das Verhalten?"); a verb the best passage
  // lacks ("kommen", "halten") is no part of its own.
  const gain = (p: Passage, among = terms) =>
    among
      .filter((t) => t.noun)
      .reduce((sum, t) => sum + t.weight * Math.max(0, termCredit(p, t) - (covered.get(t.key) ?? 0)), 0);
  // A question that asks one thing has no other part: there only the key concept the chosen passages lack counts.
  const topic = terms.filter((t) => t.topic);
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  const tier = (p: Passage) => {
    if (gain(p) >= PART_SHARE * total && (parts > 1 || gain(p, topic) > 0)) return 0;
    // The municipality's own document beside general guidance: where the question is about "us", or where it
    // covers the question nearly as well as the best passage.
    if (
      top.tenant === null &&
      p.tenant !== null &&
      (ownFirst || passageWeight(p, terms) >= OWN_DOC_SHARE * topWeight)
    )
      return 1;
    return p.docId === top.docId ? 2 : 3;
  };
  while (out.length < max) {
    let best: Passage | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    for (const p of candidates) {
      if (out.some((o) => o.docId === p.docId && o.section === p.section)) continue;
      // Within a tier, sections of a document already chosen first; then retrieval order.
      const rank = 2 * tier(p) + (out.some((o) => o.docId === p.docId) ? 0 : 1);
      if (rank < bestRank) {
        best = p;
        bestRank = rank;
      }
    }
    if (!best) break;
    out.push(best);
    for (const t of terms) covered.set(t.key, Math.max(covered.get(t.key) ?? 0, termCredit(best, t)));
  }
  return out;
}

/** The share of a term's weight a passage's index entry earns (its best alternative there). */
function termCredit(p: Pick<Passage, "matched">, t: Term): number {
  let best = 0;
  for (const [l, share] of t.lexemes) if (share > best && p.matched.includes(l)) best = share;
  return best;
}

/** A question about "us" ("bei uns", "unser Bericht"): the municipality's own documents answer it. */
const ABOUT_US = /\b(uns|unser\w*)\b/i;
/** …and carries the key concept with at least this share of its weight (synonyms.yaml 0.7 and closer). */
const OWN_KEY_SHARE = 0.7;
/** The municipality's own passage leads when it matches this share of the best passage's weight. */
const OWN_RULE_SHARE = 0.5;

/**
 * Staff who ask about their own municipality ("Ist Recyclingpapier bei uns Pflicht?") want its rule or goal first,
 * the general guidance after it: the tenant's best passage moves to the front when it covers the question nearly as
 * well as the best one.
 */
export function ownRuleFirst(selected: Passage[], input: ComposeInput, terms: Term[]): Passage[] {
  if (!ABOUT_US.test(input.question) || selected[0]?.tenant === input.tenant) return selected;
  const weights = selected.map((p) => passageWeight(p, terms));
  const best = Math.max(0, ...weights);
  // It must be about the question's key (else heaviest) concept ("Recyclingpapier") in its heading or opening, not mention it in
  // passing ("… und bei der gesetzlichen Einsparpflicht" at the end of a section on airing the office).
  const concepts = input.retrieval.concepts ?? [];
  const key = concepts.find((c) => c.key) ?? [...concepts].sort((a, b) => b.weight - a.weight)[0];
  const speaksOfKey = (p: Passage) => {
    if (!key) return true;
    const opening = answerUnits(p.body).filter((u, _, all) => u.block === all[0]?.block);
    const about = `${p.section} ${opening.map((u) => u.text).join(" ")}`;
    // In the user's word or a close alternative, not a loose sense ("Person" for "Nachhaltigkeitsmensch").
    return (carried(about, terms).get(key.word) ?? 0) >= OWN_KEY_SHARE * key.weight;
  };
  const own = selected.findIndex(
    (p, i) => p.tenant === input.tenant && (weights[i] ?? 0) >= OWN_RULE_SHARE * best && speaksOfKey(p),
  );
  if (own <= 0) return selected;
  return [selected[own] as Passage, ...selected.filter((_, i) => i !== own)];
}

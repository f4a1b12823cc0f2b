import type { Passage } from "../retrieval/retriever.ts";
import { words } from "../text/normalize.ts";
import { answerUnits, type Unit } from "./answer-units.ts";
import { names, unitReferent, withAntecedent } from "./antecedent.ts";
import { chooseLead, LEAD_MAX, type Scored, scoreUnits } from "./lead.ts";
import { asks, carriesAsked, partWeight, questionParts } from "./question-asks.ts";
import { passageWeight, type Term, weightOf } from "./sentence-score.ts";

/** Consecutive units of one passage, quoted together. */
export interface Quote {
  /** Index of the passage in the composer's selection. */
  passage: number;
  units: Unit[];
}

/** What the answer quotes: the lead paragraph and the bullets under it. */
export interface AnswerPlan {
  lead: Quote[];
  bullets: Quote[];
}

/** A bullet that gathers several sentences of another document's passage stays below this length. */
const MERGED_MAX = 560;
/** Longer sentences are not quoted as bullets (lists are, whole). */
const SENTENCE_MAX = 360;
/** Sentences from other sections of the best document count a little less. */
const OTHER_SECTION_WEIGHT = 0.8;
/**
 * A sentence from another document must bring this share of the question's weight that the answer lacks so far:
 * it answers another part of the question, rather than seeming to qualify the lead.
 */
const NEW_PART_SHARE = 0.15;
/** A passage that answers another part of the question matches at least this share of the question's weight. */
const PART_PASSAGE_SHARE = 0.35;
/** A sentence of another document that matches the question this well (against the best sentence) may be quoted. */
const AS_GOOD_SHARE = 0.8;
/** The sentence after the lead counts at least this share of the best sentence's weight. */
const FOLLOW_SHARE = 0.5;
/** The rest of the lead's paragraph counts this share: below another document's sentence that answers as well. */
const REST_SHARE = 0.3;
/** Sentences from other documents count less again. */
const OTHER_DOC_WEIGHT = 0.7;
/** A passage of another document matching this share of the best passage's weight answers the question, too. */
const STRONG_SHARE = 0.8;
/** A query word extended by at most this many letters counts as said ("Einwohner" → "Einwohnerzahl"). */
const FAMILY_TAIL = 4;
/**
 * Chooses what to quote. Knowledge is written answer-first, one `##` section per question: when the best section's
 * opening covers the question about as well as its best sentence, the opening is the lead; otherwise the best
 * sentence is. A figure, date or yes/no the question asks for is added from the same section (or document) when the
 * lead lacks it. Bullets follow by weight; a sentence from another document only where it covers words of the
 * question the answer does not yet cover. A sentence that leans on the one before brings it along, or stays out.
 */
export function planAnswer(question: string, passages: Passage[], terms: Term[], maxBullets = 3): AnswerPlan {
  const units: Scored[][] = passages.map((p) => scoreUnits(answerUnits(p.body), terms));
  const primary = passages[0];
  const first = units[0] ?? [];
  if (!primary || first.length === 0) return { lead: [], bullets: [] };
  const used = new Set<string>();
  const key = (p: number, u: Unit) => `${p}:${u.i}`;
  const covered = new Map<string, number>();
  const coveredWords = new Set<string>();
  const mark = (p: number, us: Scored[]) => {
    for (const u of us) {
      used.add(key(p, u));
      for (const [t, w] of u.lex) covered.set(t, Math.max(covered.get(t) ?? 0, w));
      for (const w of words(u.text)) coveredWords.add(w);
    }
  };
  const wordOf = new Map(terms.map((t) => [t.key, t.word]));
  const topics = new Set(terms.filter((t) => t.topic).map((t) => t.key));
  // "Einwohnerzahl" is as good as said where the answer speaks of "Einwohnerinnen und Einwohnern": a word of the
  // answer that the question's word extends by a few letters at most.
  const familyCovered = (t: string) => {
    const w = wordOf.get(t) ?? t;
    return (
      w.length >= 8 &&
      [...coveredWords].some((x) => commonPrefix(x, w) >= Math.max(6, w.length - FAMILY_TAIL))
    );
  };
  const topicGain = (u: Scored) =>
    weightOf(
      [...u.lex].map(([t, w]) =>
        topics.has(t) && !familyCovered(t) ? Math.max(0, w - (covered.get(t) ?? 0)) : 0,
      ),
    );
  const gainOf = (u: Scored) =>
    weightOf([...u.lex].map(([t, w]) => (familyCovered(t) ? 0 : Math.max(0, w - (covered.get(t) ?? 0)))));

  const leadUnits = chooseLead(primary, first, terms);
  const lead: Quote[] = [{ passage: 0, units: leadUnits }];
  mark(0, leadUnits);
  const bullets: Quote[] = [];
  const sameDoc = (p: number) => passages[p]?.docId === primary.docId;
  const leadLength = () => lead.flatMap((q) => q.units).reduce((n, u) => n + u.text.length + 1, 0);

  // The figure, date or yes/no the question asks for belongs in the text, not only in an excerpt.
  // Into the lead where it comes from the lead's document (from its own section only, with `ownSection`).
  const addAsked = (p: number, u: Scored, ownSection = false): boolean => {
    const chain = withAntecedent(units[p] as Scored[], u)?.filter((x) => !used.has(key(p, x)));
    if (!chain || chain.length === 0) return false;
    const length = chain.reduce((n, x) => n + x.text.length + 1, 0);
    if (ownSection ? p === 0 : sameDoc(p)) {
      if (leadLength() + length > LEAD_MAX) return false;
      appendQuote(lead, p, chain);
    } else {
      // Sentences of one passage of another document make one bullet, under one source marker.
      const host = bullets.find((b) => b.passage === p);
      const hostLength = host ? host.units.reduce((n, x) => n + x.text.length + 1, 0) : 0;
      if (host && hostLength + length <= MERGED_MAX) {
        host.units.push(...chain);
        host.units.sort((a, b) => a.i - b.i);
      } else bullets.push({ passage: p, units: chain });
    }
    mark(p, chain);
    return true;
  };
  const all = units.flatMap((us, p) => us.map((u) => ({ p, u })));
  const parts = questionParts(question);
  if (parts.length <= 1)
    for (const kind of asks(question)) {
      if (lead.some((q) => q.units.some((u) => carriesAsked(u.text, kind)))) continue;
      const candidates = all
        .filter(({ p, u }) => u.score > 0 && !u.heading && !used.has(key(p, u)) && carriesAsked(u.text, kind))
        .sort((a, b) => tier(a.p) - tier(b.p) || b.u.score - a.u.score || a.p - b.p || a.u.i - b.u.i);
      for (const { p, u } of candidates) if (addAsked(p, u)) break;
    }
  // A question that asks several things ("Bis wann melden wir die Indikatoren, und bis wann kommen die Ziele in die
  // Produktblätter?") gets each part's fact from the sentence most about that part: a sentence with a date that
  // is about the other part does not answer this one.
  else
    for (const [n, part] of parts.entries()) {
      const about = partWeight(terms, parts, n, passages, units);
      for (const kind of part.asks) {
        const candidates = all
          .filter(({ p, u }) => u.score > 0 && !u.heading && carriesAsked(u.text, kind) && about(p, u) > 0)
          .sort(
            (a, b) =>
              about(b.p, b.u) - about(a.p, a.u) ||
              tier(a.p) - tier(b.p) ||
              b.u.score - a.u.score ||
              a.p - b.p ||
              a.u.i - b.u.i,
          );
        const best = candidates[0];
        if (!best) continue;
        const answered = [...lead, ...bullets].some((q) =>
          q.units.some(
            (u) => carriesAsked(u.text, kind) && about(q.passage, u as Scored) >= about(best.p, best.u),
          ),
        );
        if (answered) continue;
        // Another section's answer to another part is a bullet of its own, not a continuation of the lead.
        for (const { p, u } of candidates) if (!used.has(key(p, u)) && addAsked(p, u, true)) break;
      }
    }

  // The sentence right after the lead usually qualifies it (legal basis, condition, who made it): keep it in play.
  const leadEnd = leadUnits.at(-1)?.i ?? -1;
  // …and so does the rest of the lead's paragraph, sentence by sentence: the opening paragraph is the answer.
  const leadBlock = leadUnits.at(-1)?.block;
  const follows = (p: number, u: Unit) =>
    p === 0 &&
    u.i > leadEnd &&
    (u.i === leadEnd + 1 ||
      (u.block === leadBlock && (first.slice(leadEnd + 1, u.i) ?? []).every((x) => used.has(key(0, x)))));
  const total = weightOf(terms.map((t) => t.weight));
  const bestScore = Math.max(0, ...first.map((u) => u.score));
  const coverage = passages.map((p) => passageWeight(p, terms));
  const strong = coverage.map((c) => c >= STRONG_SHARE * (coverage[0] ?? 0));
  while (bullets.length < maxBullets) {
    let best: { p: number; u: Scored; value: number } | undefined;
    units.forEach((us, p) => {
      for (const u of us) {
        if (
          (u.score <= 0 && !follows(p, u)) ||
          u.heading ||
          used.has(key(p, u)) ||
          (!u.list && u.text.length > SENTENCE_MAX)
        )
          continue;
        const gain = gainOf(u);
        // Another document speaks only where it answers another part of the question, or where it answers the
        // question about as well as the best passage (a municipality's own rule beside the general guidance).
        // A question that asks one thing has no other part: there the gain must bring its key concept.
        const otherPart =
          gain >= NEW_PART_SHARE * total &&
          (coverage[p] ?? 0) >= PART_PASSAGE_SHARE * total &&
          (parts.length > 1 || topicGain(u) > 0);
        // …and it adds something: a word of the question not yet covered, a list, the municipality's own rule
        // (retrieval returns only the asking tenant's documents besides shared guidance), or a second answer to
        // the whole question.
        const adds = gain > 0 || u.list || passages[p]?.tenant !== null || strong[p];
        const asGood =
          adds && (u.score >= AS_GOOD_SHARE * bestScore || (strong[p] && u.score >= 0.5 * bestScore));
        if (!sameDoc(p) && !otherPart && !asGood) continue;
        const floor = p === 0 && u.i === leadEnd + 1 ? FOLLOW_SHARE : REST_SHARE;
        const score = follows(p, u) ? Math.max(u.score, floor * bestScore) : u.score;
        const value =
          (0.5 * score + gain) * (p === 0 ? 1 : sameDoc(p) ? OTHER_SECTION_WEIGHT : OTHER_DOC_WEIGHT);
        if (!best || value > best.value) best = { p, u, value };
      }
    });
    if (!best) break;
    const { p, u } = best;
    used.add(key(p, u));
    if (
      bullets.some((b) => b.units.some((x) => x.text === u.text)) ||
      leadUnits.some((x) => x.text === u.text)
    )
      continue;
    const noun = unitReferent(u);
    if (noun !== undefined) {
      // Right after its antecedent in the answer, the sentence joins that paragraph or bullet ("das Gesetz" only
      // where that names a Gesetz).
      const host = [...lead, ...bullets].find(
        (q) =>
          q.passage === p &&
          q.units.at(-1)?.i === u.i - 1 &&
          (noun === "" || q.units.some((x) => names(x.text, noun))),
      );
      if (host) {
        host.units.push(u);
        mark(p, [u]);
        continue;
      }
    }
    const chain = withAntecedent(units[p] as Scored[], u);
    if (!chain || chain.some((x) => x !== u && used.has(key(p, x)))) continue;
    if (chain.reduce((n, x) => n + x.text.length + 1, 0) > SENTENCE_MAX + 120 && !u.list) continue;
    // Sentences of another document's passage make one bullet in their own order, under one source marker.
    const host = bullets.find((b) => b.passage === p && !sameDoc(p));
    const hostLength = host ? host.units.reduce((n, x) => n + x.text.length + 1, 0) : 0;
    if (host && hostLength + chain.reduce((n, x) => n + x.text.length + 1, 0) <= MERGED_MAX) {
      host.units.push(...chain);
      host.units.sort((a, b) => a.i - b.i);
    } else bullets.push({ passage: p, units: chain });
    mark(p, chain);
  }
  return { lead, bullets };

  function tier(p: number): number {
    return p === 0 ? 0 : sameDoc(p) ? 1 : 2;
  }
}

/** Adds units to the lead: to the quote of their passage when they follow it, else as a quote of their own. */
function appendQuote(lead: Quote[], p: number, units: Unit[]): void {
  const last = lead.at(-1);
  if (last && last.passage === p) last.units.push(...units);
  else lead.push({ passage: p, units });
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

import type { Passage } from "../retrieval/retriever.ts";
import type { Unit } from "./answer-units.ts";
import { needsAntecedent, withAntecedent } from "./antecedent.ts";
import { carried, type Term, weightOf } from "./sentence-score.ts";

/** The opening of a section leads with up to this many characters and sentences. */
const OPENING_CHARS = 420;
const OPENING_SENTENCES = 3;
/** The lead with the figure, date or yes/no added that the question asks for. */
export const LEAD_MAX = 760;
/** The opening leads when it covers this share of what the section's best sentence covers (with the heading). */
const OPENING_SHARE = 0.8;

/** A unit with the question's terms it carries (term key → weight earned) and their sum. */
export type Scored = Unit & { lex: Map<string, number>; score: number };

/** The lead: the section's opening where it answers, else its best sentence (with its antecedent). */
export function chooseLead(p: Passage, us: Scored[], terms: Term[]): Scored[] {
  const ranked = [...us].sort((a, b) => b.score - a.score || a.i - b.i);
  const best = (ranked.find((u) => !u.heading) ?? ranked[0]) as Scored;
  // The document's title and the section's heading say what the opening is about ("Wie ist der BNK aufgebaut?" in
  // "Nachhaltigkeitsbericht nach dem Berichtsrahmen Nachhaltige Kommune (BNK)").
  const heading = carried(`${p.title} ${p.section.split(" > ").at(-1) ?? ""}`, terms);
  const withHeading = (xs: Scored[]) => {
    const all = new Map(heading);
    for (const x of xs) for (const [t, w] of x.lex) all.set(t, Math.max(all.get(t) ?? 0, w));
    return weightOf(all.values());
  };
  // PDF pages are not written one question per section: only Markdown and DOCX sections lead with their opening.
  if (p.page === null) {
    const opening = openingUnits(us);
    if (opening.length > 0 && withHeading(opening) >= OPENING_SHARE * withHeading([best])) return opening;
  }
  for (const u of ranked) {
    if (u.heading) continue;
    const chain = withAntecedent(us, u);
    if (chain && chain.reduce((n, x) => n + x.text.length + 1, 0) <= LEAD_MAX) return chain;
  }
  return [best];
}

/**
 * The first sentences of the section's first paragraph. A list the paragraph introduces ("Beteiligt sind außerdem:
 * Difu; BBSR; …") is part of the opening even past its usual length, since its items are the answer it announces:
 * the sentences between are left out where the list would not fit otherwise.
 */
function openingUnits(us: Scored[]): Scored[] {
  const first = us[0];
  if (!first || first.heading || needsAntecedent(first.text)) return [];
  const out = [first];
  let length = first.text.length;
  for (const u of us.slice(1)) {
    if (
      u.block !== first.block ||
      out.length >= OPENING_SENTENCES ||
      length + u.text.length + 1 > OPENING_CHARS
    )
      break;
    out.push(u);
    length += u.text.length + 1;
  }
  const list = us.find((u) => u.block === first.block && u.list);
  if (!list || out.includes(list)) return out;
  const between = us.filter((u) => u.i > first.i && u.i < list.i);
  const whole = [first, ...between, list];
  const size = (xs: Unit[]) => xs.reduce((n, x) => n + x.text.length + 1, 0);
  if (whole.length <= OPENING_SENTENCES + 1 && size(whole) <= LEAD_MAX) return whole;
  // The list's own sentence carries its intro; it may lean on the sentence right before it.
  if ((list.leans || needsAntecedent(list.text)) && list.i !== first.i + 1) return out;
  return size([first, list]) <= LEAD_MAX ? [first, list] : out;
}

/**
 * Each unit with the question's terms it carries. A heading's terms also count for the sentences under it, so that
 * on a PDF page "Unter 1.000 Euro netto …" answers a question on "Wertgrenzen" under "§ 3 Wertgrenzen im Überblick".
 */
export function scoreUnits(us: Unit[], terms: Term[]): Scored[] {
  let context = new Map<string, number>();
  return us.map((u) => {
    const own = carried(u.text, terms);
    if (u.heading) context = own;
    const lex = u.heading ? own : new Map(own);
    if (!u.heading) for (const [t, w] of context) lex.set(t, Math.max(lex.get(t) ?? 0, w));
    return { ...u, lex, score: weightOf(lex.values()) };
  });
}

import { stripMarkers } from "../knowledge/footnotes.ts";
import type { Contact } from "../knowledge/types.ts";
import type { Passage, RetrievalResult } from "../retrieval/retriever.ts";
import { foldUmlauts } from "../text/normalize.ts";
import { type Answer, type AnswerContact, type Citation, type NextStep, plainAnswer } from "./answer.ts";
import { type AnswerPlan, planAnswer, type Quote } from "./answer-plan.ts";
import { answerUnits, type Unit } from "./answer-units.ts";
import { applicableGoals } from "./applicable-goals.ts";
import { citationFor } from "./cite.ts";
import type { ComposeInput, Composer } from "./composer.ts";
import { confidence, coverage } from "./confidence.ts";
import { contactForQuestion, describeContact, toAnswerContact } from "./contacts.ts";
import { carried, passageWeight, queryTerms, type Term } from "./sentence-score.ts";
import type { Templates } from "./templates.ts";

export interface ExtractiveOptions {
  templates: Templates;
  minConfidence: number;
  defaultContactRole: string;
  maxBullets?: number;
  maxCitations?: number;
}

/**
 * A question on a topic another office answers for (roles.yaml `topics`: Urlaub → Personalabteilung) is answered only
 * when one of the best passages names that office as its contact, or when retrieval is at least this sure: otherwise
 * a sentence that merely mentions "Gehalt" would answer a salary question.
 */
const OWNED_ELSEWHERE = 0.7;
/** Passages whose contacts count for a topic's office. */
const OWNER_PASSAGES = 3;

/** A document title in a bullet's source marker is cut after this many characters (at a word). */
const SHORT_TITLE = 60;

/** Whether one of the best passages is a document of the office that answers for the question's topic. */
function answersFor(owner: Contact, passages: readonly Passage[]): boolean {
  return passages.slice(0, OWNER_PASSAGES).some((p) => p.contactRoles.includes(owner.role));
}

/**
 * Offline composer: a lead and a few bullets taken verbatim from the best passages (see answer-plan.ts), each quoted
 * passage cited with the source that supports it, the tenant's goals on the answer's topic, next steps and contacts
 * of the cited documents. Below the confidence floor it says plainly that the knowledge base does not cover the
 * question and names the contact whose topics match the question, else the default contact.
 */
export class ExtractiveComposer implements Composer {
  private readonly options: ExtractiveOptions;

  constructor(options: ExtractiveOptions) {
    this.options = options;
  }

  async compose(input: ComposeInput): Promise<Answer> {
    const { retrieval } = input;
    const conf = confidence(retrieval);
    const fallback = input.contacts.get(this.options.defaultContactRole);
    const owner = contactForQuestion(input.question, input.contacts);
    if (
      retrieval.passages.length === 0 ||
      conf < this.options.minConfidence ||
      (owner && conf < OWNED_ELSEWHERE && !answersFor(owner, retrieval.passages))
    ) {
      const contact = owner ?? fallback;
      return plainAnswer(
        "no_answer",
        this.options.templates.render("no-answer", { contact: describeContact(contact) }),
        { contacts: contact ? [toAnswerContact(contact)] : [], confidence: conf },
      );
    }
    const terms = queryTerms(retrieval);
    const selected = ownRuleFirst(this.selectPassages(retrieval), input, terms);
    const plan = planAnswer(input.question, selected, terms, this.options.maxBullets ?? 3);
    // Citations in the order the answer quotes them; a passage nothing was quoted from is not cited.
    const order: number[] = [];
    const quoted = new Map<number, Unit[]>();
    for (const q of [...plan.lead, ...plan.bullets]) {
      if (!quoted.has(q.passage)) order.push(q.passage);
      quoted.set(q.passage, [...(quoted.get(q.passage) ?? []), ...q.units]);
    }
    const cited = order.map((p) => selected[p] as Passage);
    const citations: Citation[] = order.map((p) => citationFor(selected[p] as Passage, quoted.get(p) ?? []));
    const text = this.render(plan, selected, order);
    return {
      kind: "answer",
      text: text || stripMarkers(selected[0]?.body ?? ""),
      citations,
      goals: applicableGoals(input, cited, text),
      nextSteps: this.nextSteps(cited),
      contacts: this.contacts(input, cited, fallback),
      generatedBy: "extractive",
      confidence: conf,
    };
  }

  /**
   * The lead paragraph, then bullets. Sentences from a document other than the lead's are marked with it and its
   * citation number, so that none reads as a qualification of the lead.
   */
  private render(plan: AnswerPlan, selected: Passage[], order: number[]): string {
    const leadDoc = selected[plan.lead[0]?.passage ?? 0]?.docId;
    const quote = (q: Quote) => q.units.map((u) => u.text).join(" ");
    const marked = (q: Quote) => {
      const p = selected[q.passage] as Passage;
      if (p.docId === leadDoc) return quote(q);
      return `Aus „${shortTitle(p.title)}“ [${order.indexOf(q.passage) + 1}]: ${quote(q)}`;
    };
    const leadQuotes = plan.lead.filter((q) => q.units.length > 0);
    const leadText = leadQuotes
      .filter((q) => selected[q.passage]?.docId === leadDoc)
      .map(quote)
      .join(" ");
    const bullets = [...leadQuotes.filter((q) => selected[q.passage]?.docId !== leadDoc), ...plan.bullets];
    return [
      this.options.templates.render("answer-lead", { lead: leadText }),
      ...bullets.map((b) => `- ${marked(b)}`),
    ].join("\n");
  }

  /** The best passage plus others nearly as good, one per section. */
  private selectPassages(r: RetrievalResult): Passage[] {
    const [top, ...rest] = r.passages;
    if (!top) return [];
    const topCov = coverage(top, r);
    const out = [top];
    for (const p of rest) {
      if (out.length >= (this.options.maxCitations ?? 3)) break;
      if (out.some((o) => o.docId === p.docId && o.section === p.section)) continue;
      if (p.rrf >= top.rrf * 0.5 && coverage(p, r) >= topCov * 0.5) out.push(p);
    }
    return out;
  }

  private nextSteps(cited: Passage[]): NextStep[] {
    const out: NextStep[] = [];
    for (const s of cited.flatMap((p) => p.nextSteps)) {
      if (!out.some((o) => o.url === s.url)) out.push({ label: s.label, url: s.url });
      if (out.length >= 4) break;
    }
    return out;
  }

  private contacts(input: ComposeInput, cited: Passage[], fallback: Contact | undefined): AnswerContact[] {
    const out: Contact[] = [];
    // A role the best passage talks about ("Gleichstellungsbeauftragte") comes before the document's general roles.
    const topText = foldUmlauts(`${cited[0]?.section ?? ""} ${cited[0]?.body ?? ""}`.toLowerCase());
    const mentioned = (role: string) => {
      const label = input.contacts.get(role)?.label;
      return label ? topText.includes(foldUmlauts(label.toLowerCase()).slice(0, 12)) : false;
    };
    const roles = cited.flatMap((p) => p.contactRoles);
    const ordered = [...roles.filter(mentioned), ...roles.filter((r) => !mentioned(r))];
    for (const role of ordered) {
      const c = input.contacts.get(role);
      if (c && !out.includes(c)) out.push(c);
      if (out.length >= 2) break;
    }
    if (out.length === 0 && fallback) out.push(fallback);
    return out.map(toAnswerContact);
  }
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

/** "EU-Schwellenwerte 2026/2027 – ab wann EU-weit ausschreiben?" → "EU-Schwellenwerte 2026/2027". */
export function shortTitle(title: string): string {
  const head = (title.split(/\s[–—-]\s|\s\(/)[0] ?? title).trim();
  if (head.length <= SHORT_TITLE) return head;
  const cut = head.slice(0, SHORT_TITLE);
  return `${cut.slice(0, cut.lastIndexOf(" "))} …`;
}

import { stripMarkers } from "../knowledge/footnotes.ts";
import type { Contact } from "../knowledge/types.ts";
import type { Passage } from "../retrieval/retriever.ts";
import { foldUmlauts } from "../text/normalize.ts";
import { type Answer, type AnswerContact, type Citation, type NextStep, plainAnswer } from "./answer.ts";
import { type AnswerPlan, planAnswer, type Quote } from "./answer-plan.ts";
import type { Unit } from "./answer-units.ts";
import { applicableGoals } from "./applicable-goals.ts";
import { lacksAskedUnit } from "./asked-unit.ts";
import { citationFor } from "./cite.ts";
import type { ComposeInput, Composer } from "./composer.ts";
import { confidence, mainOnlyByCompound } from "./confidence.ts";
import { contactForQuestion, describeContact, toAnswerContact } from "./contacts.ts";
import { asksForLiveInformation } from "./live-info.ts";
import { choosePassages } from "./select-passages.ts";
import { queryTerms } from "./sentence-score.ts";
import type { Templates } from "./templates.ts";

export interface ExtractiveOptions {
  templates: Templates;
  minConfidence: number;
  /** From here up to minConfidence: an answer that says first that Lotse is not sure and names the contact. */
  tentativeConfidence?: number;
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
 * question and names the contact whose topics match the question, else the default contact; just above it (between
 * tentativeConfidence and minConfidence) it answers, but says first that it is not sure and names that contact.
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
    const floor = Math.min(
      this.options.tentativeConfidence ?? this.options.minConfidence,
      this.options.minConfidence,
    );
    // An unsure answer must not rest on a compound's head alone: "Fundbüro" found as Büro names something else.
    if (
      retrieval.passages.length === 0 ||
      asksForLiveInformation(input.question) ||
      conf < floor ||
      (conf < this.options.minConfidence && mainOnlyByCompound(retrieval)) ||
      (owner && conf < OWNED_ELSEWHERE && !answersFor(owner, retrieval.passages))
    ) {
      return this.noAnswer(owner ?? fallback, conf);
    }
    const terms = queryTerms(retrieval);
    const selected = choosePassages(input, terms, this.options.maxCitations ?? 3);
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
    const body = text || stripMarkers(selected[0]?.body ?? "");
    // "Wie viele Tonnen CO2 …?" answered without any amount in tonnes: the figure is not in the knowledge base.
    if (lacksAskedUnit(input.question, body)) return this.noAnswer(owner ?? fallback, conf);
    const contacts = this.contacts(input, cited, fallback);
    // Not sure: say so first and name who can help, as for no answer; the extract follows, with its sources.
    const doubt = conf < this.options.minConfidence ? (owner ?? fallback) : undefined;
    if (doubt && !contacts.some((c) => c.role === doubt.label)) contacts.unshift(toAnswerContact(doubt));
    return {
      kind: "answer",
      text: doubt
        ? `${this.options.templates.render("answer-tentative", { contact: describeContact(doubt) })}\n\n${body}`
        : body,
      citations,
      goals: applicableGoals(input, cited, text),
      nextSteps: this.nextSteps(cited),
      contacts,
      generatedBy: "extractive",
      confidence: conf,
    };
  }

  /** "Dazu finde ich keine verlässliche Antwort" with the contact who can help. */
  private noAnswer(contact: Contact | undefined, conf: number): Answer {
    return plainAnswer(
      "no_answer",
      this.options.templates.render("no-answer", { contact: describeContact(contact) }),
      { contacts: contact ? [toAnswerContact(contact)] : [], confidence: conf },
    );
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

/** "EU-Schwellenwerte 2026/2027 – ab wann EU-weit ausschreiben?" → "EU-Schwellenwerte 2026/2027". */
export function shortTitle(title: string): string {
  const head = (title.split(/\s[–—-]\s|\s\(/)[0] ?? title).trim();
  if (head.length <= SHORT_TITLE) return head;
  const cut = head.slice(0, SHORT_TITLE);
  return `${cut.slice(0, cut.lastIndexOf(" "))} …`;
}

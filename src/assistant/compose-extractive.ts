import type { Contact } from "../knowledge/types.ts";
import type { Passage, RetrievalResult } from "../retrieval/retriever.ts";
import { foldUmlauts } from "../text/normalize.ts";
import {
  type Answer,
  type AnswerContact,
  type Citation,
  type GoalRef,
  type NextStep,
  plainAnswer,
} from "./answer.ts";
import { answerUnits } from "./answer-units.ts";
import type { ComposeInput, Composer } from "./composer.ts";
import { confidence, coverage } from "./confidence.ts";
import { describeContact, toAnswerContact } from "./contacts.ts";
import { sentenceScore, truncate } from "./sentence-score.ts";
import type { Templates } from "./templates.ts";

export interface ExtractiveOptions {
  templates: Templates;
  minConfidence: number;
  defaultContactRole: string;
  maxBullets?: number;
  maxCitations?: number;
}

const BULLET_CHARS = 240;
/** A sentence that carries its list may be longer. */
const LIST_BULLET_CHARS = 420;
const EXCERPT_CHARS = 480;

/** Sentences from passages other than the best one must be clearly better to make it into the answer. */
const OTHER_PASSAGE_WEIGHT = 0.8;

/**
 * Offline composer: a lead sentence and a few bullets taken verbatim from the best passages, with citations,
 * the tenant's applicable goals, next steps and contacts of the cited documents. Below the confidence floor it
 * says plainly that the knowledge base does not cover the question and names the default contact.
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
    if (retrieval.passages.length === 0 || conf < this.options.minConfidence) {
      return plainAnswer(
        "no_answer",
        this.options.templates.render("no-answer", { contact: describeContact(fallback) }),
        {
          contacts: fallback ? [toAnswerContact(fallback)] : [],
          confidence: conf,
        },
      );
    }
    const cited = this.selectPassages(retrieval);
    const scored = cited.map((p, rank) => ({
      passage: p,
      rank,
      sentences: answerUnits(p.body).map((s, i) => ({
        text: s,
        i,
        score: sentenceScore(s, retrieval.idf) * (rank === 0 ? 1 : OTHER_PASSAGE_WEIGHT),
      })),
    }));
    const first = scored[0];
    const leadCandidates = [...(first?.sentences ?? [])].sort((a, b) => b.score - a.score || a.i - b.i);
    const lead = leadCandidates[0]?.text ?? first?.passage.body ?? "";
    // The sentence right after the lead usually qualifies it (legal basis, condition): keep it in play.
    const leadUnit = leadCandidates[0];
    const follow = first?.sentences.find((x) => leadUnit && x.i === leadUnit.i + 1);
    if (follow && leadUnit) follow.score = Math.max(follow.score, 0.5 * leadUnit.score);
    const bullets: string[] = [];
    const pool = scored
      .flatMap((s) => s.sentences.map((x) => ({ ...x, rank: s.rank })))
      .filter((x) => x.score > 0 && x.text !== lead)
      .sort((a, b) => b.score - a.score || a.rank - b.rank || a.i - b.i);
    for (const s of pool) {
      if (bullets.length >= (this.options.maxBullets ?? 3)) break;
      if (!bullets.includes(s.text)) bullets.push(s.text);
    }
    const text = [
      this.options.templates.render("answer-lead", { lead: truncate(lead, 400) }),
      ...bullets.map((b) => `- ${truncate(b, b.includes(": ") ? LIST_BULLET_CHARS : BULLET_CHARS)}`),
    ].join("\n");

    const citations: Citation[] = scored.map(({ passage, sentences: ss }) => {
      // A contiguous window from the passage's best sentence on: sections are written answer-first, and the
      // sentences right after the best one usually hold its legal basis or conditions.
      const start = [...ss].sort((a, b) => b.score - a.score || a.i - b.i)[0]?.i ?? 0;
      const window: string[] = [];
      let length = 0;
      for (const s of ss.slice(start)) {
        if (window.length > 0 && length + s.text.length > EXCERPT_CHARS) break;
        window.push(s.text);
        length += s.text.length + 1;
      }
      const excerpt = window.join(" ");
      const c: Citation = {
        docId: passage.docId,
        title: passage.title,
        section: passage.section,
        excerpt: truncate(excerpt || passage.body, EXCERPT_CHARS),
      };
      if (passage.page !== null) c.page = passage.page;
      const url = passage.sources[0]?.url;
      if (url) c.url = url;
      return c;
    });

    return {
      kind: "answer",
      text,
      citations,
      goals: this.applicableGoals(input, cited),
      nextSteps: this.nextSteps(cited),
      contacts: this.contacts(input, cited, fallback),
      generatedBy: "extractive",
      confidence: conf,
    };
  }

  /** The best passage plus others nearly as good, one per document. */
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

  /**
   * The tenant's goals that apply: goals retrieved for the question itself, then goals sharing at least two topic
   * tags with the cited documents (one shared broad tag such as "energie" is not enough).
   */
  private applicableGoals(input: ComposeInput, cited: Passage[]): GoalRef[] {
    const retrieved = new Set(
      input.retrieval.passages
        .filter((p) => p.type === "goal" && p.tenant === input.tenant && coverage(p, input.retrieval) >= 0.34)
        .map((p) => p.docId),
    );
    const tags = new Set(cited.filter((p) => p.type !== "goal").flatMap((p) => p.tags));
    tags.delete("ziel");
    const scored = input.goals
      .map((g) => ({
        g,
        score: (retrieved.has(g.docId) ? 10 : 0) + g.tags.filter((t) => tags.has(t)).length,
      }))
      .filter((x) => x.score >= 2)
      .sort((a, b) => b.score - a.score || a.g.docId.localeCompare(b.g.docId));
    return scored.slice(0, 2).map(({ g }) => ({ title: g.title, text: g.text, docId: g.docId }));
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

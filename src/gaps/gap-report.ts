import { contactForQuestion } from "../assistant/contacts.ts";
import type { Queryable } from "../db/database.ts";
import type { Contact } from "../knowledge/types.ts";
import type { Embedder } from "../retrieval/embedder.ts";
import type { Stemmer } from "../retrieval/expand-question.ts";
import { sqlStemmer } from "./gap-terms.ts";
import { groupQuestions } from "./group-questions.ts";

const DAY_MS = 86_400_000;
/** The report looks this far back unless told otherwise. */
export const DEFAULT_SINCE_DAYS = 30;
/** At most this many questions are grouped (the most recent): the clustering is quadratic in them. */
const MAX_QUESTIONS = 1000;
/** Example wordings per group. */
const EXAMPLES = 3;
/** An example is cut at this many characters. */
const EXAMPLE_CHARS = 200;
/** A 👎 this soon after an unanswered turn with the same question is the same question, counted once. */
const SAME_QUESTION_MS = DAY_MS;

/** The reasons a 👎 may carry (migration 012). */
export const FEEDBACK_REASONS = ["falsch", "veraltet", "unvollstaendig", "nicht-meine-frage"] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

/** One question that Lotse could not answer or whose answer was voted down. */
export interface GapItem {
  question: string;
  at: Date;
  noAnswer: boolean;
  downvoted: boolean;
  /** Documents the voted-down answer cited. */
  docIds: string[];
  reason?: FeedbackReason;
  /** Free text from a person: shown only in the CLI report, never in the digest. */
  comment?: string;
}

/** The role suggested to write the missing guidance. */
export interface SuggestedRole {
  role: string;
  label: string;
  /** True when the role's topics (roles.yaml) match the group; false: the tenant's default contact role. */
  matched: boolean;
}

/** One group of similar questions. */
export interface GapGroup {
  /** The group's most frequent content terms as users wrote them, e.g. ["Jobticket", "Zuschuss"]. */
  terms: string[];
  count: number;
  noAnswer: number;
  downvoted: number;
  /** Up to three distinct wordings, the most typical first. */
  examples: string[];
  /** Documents cited by the voted-down answers, most often cited first. */
  documents: { docId: string; title?: string; count: number }[];
  /** Reasons given with the 👎, counted. */
  reasons: Partial<Record<FeedbackReason, number>>;
  firstSeen: Date;
  lastSeen: Date;
  suggested: SuggestedRole;
  /** Comments left with the 👎 (CLI report only). */
  comments: string[];
}

/** What the report covers and what it found. */
export interface GapReportData {
  tenant: string;
  since: Date;
  until: Date;
  /** Question texts are deleted after this many days: the report covers what is still there. */
  retentionDays: number;
  /** Questions grouped. */
  questions: number;
  noAnswer: number;
  downvoted: number;
  /** 👎 in the period whose question text is gone already (deleted after the retention period): counted, not grouped. */
  withoutText: number;
  /** More questions than could be grouped: the most recent MAX_QUESTIONS were. */
  truncated: boolean;
  groups: GapGroup[];
}

export interface GapReportDeps {
  db: Queryable;
  embedder: Embedder;
  /** The tenant's fallback author when no role's topics match (LOTSE_DEFAULT_CONTACT_ROLE). */
  defaultContactRole: string;
  /** Days a tenant's question texts are kept (its retention_days, else LOTSE_RETENTION_DAYS). */
  retentionDays: (tenant: string) => number;
  /** The index's stemmer; default PostgreSQL's 'german' through `db`. */
  stem?: Stemmer;
}

function isReason(r: unknown): r is FeedbackReason {
  return typeof r === "string" && (FEEDBACK_REASONS as readonly string[]).includes(r);
}

function clip(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  const points = Array.from(t);
  return points.length <= EXAMPLE_CHARS ? t : `${points.slice(0, EXAMPLE_CHARS - 1).join("")}…`;
}

/**
 * The gap report of a tenant: questions answered with no_answer and answers voted down since a date, grouped by
 * similarity (the retrieval layer's terms and embeddings), largest group first, each with the role whose topics
 * match as the suggested author. Reads conversation_turns and feedback as they are: question texts past their
 * retention are gone, and the report says so.
 */
export class GapReport {
  private readonly deps: GapReportDeps;
  private readonly stem: Stemmer;

  constructor(deps: GapReportDeps) {
    this.deps = deps;
    this.stem = deps.stem ?? sqlStemmer(deps.db);
  }

  /** The default start of a report: DEFAULT_SINCE_DAYS before `now`. */
  static defaultSince(now: Date): Date {
    return new Date(now.getTime() - DEFAULT_SINCE_DAYS * DAY_MS);
  }

  /** The report for [since, until). */
  async build(tenant: string, opts: { since: Date; until: Date }): Promise<GapReportData> {
    const { items, withoutText } = await this.read(tenant, opts.since, opts.until);
    const truncated = items.length > MAX_QUESTIONS;
    const grouped = items.slice(0, MAX_QUESTIONS);
    const clusters = await groupQuestions(
      grouped.map((i) => i.question),
      { embedder: this.deps.embedder, stem: this.stem, names: [tenant] },
    );
    const contacts = await this.contacts(tenant);
    const titles = await this.titles(grouped.flatMap((i) => i.docIds));
    const groups = clusters.map((c) => {
      const members = c.members.map((i) => grouped[i] as GapItem);
      return this.group(c.words, members, contacts, titles);
    });
    groups.sort(
      (a, b) =>
        b.count - a.count ||
        b.lastSeen.getTime() - a.lastSeen.getTime() ||
        a.terms.join().localeCompare(b.terms.join()),
    );
    return {
      tenant,
      since: opts.since,
      until: opts.until,
      retentionDays: this.deps.retentionDays(tenant),
      questions: grouped.length,
      noAnswer: grouped.filter((i) => i.noAnswer).length,
      downvoted: grouped.filter((i) => i.downvoted).length,
      withoutText,
      truncated,
      groups,
    };
  }

  private group(
    terms: string[],
    members: GapItem[],
    contacts: Map<string, Contact>,
    titles: Map<string, string>,
  ): GapGroup {
    const examples: string[] = [];
    const seen = new Set<string>();
    // Members come most central first: the first distinct wordings are the most typical ones.
    for (const m of members) {
      const key = m.question
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, " ")
        .trim();
      if (seen.has(key)) continue;
      seen.add(key);
      examples.push(clip(m.question));
      if (examples.length >= EXAMPLES) break;
    }
    const docs = new Map<string, number>();
    for (const m of members)
      if (m.downvoted) for (const d of new Set(m.docIds)) docs.set(d, (docs.get(d) ?? 0) + 1);
    const reasons: Partial<Record<FeedbackReason, number>> = {};
    for (const m of members) if (m.reason) reasons[m.reason] = (reasons[m.reason] ?? 0) + 1;
    const times = members.map((m) => m.at.getTime());
    return {
      terms,
      count: members.length,
      noAnswer: members.filter((m) => m.noAnswer).length,
      downvoted: members.filter((m) => m.downvoted).length,
      examples,
      documents: [...docs.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([docId, count]) => {
          const title = titles.get(docId);
          return title ? { docId, title, count } : { docId, count };
        }),
      reasons,
      firstSeen: new Date(Math.min(...times)),
      lastSeen: new Date(Math.max(...times)),
      suggested: this.suggest(members, contacts),
      comments: members.flatMap((m) => (m.comment ? [m.comment] : [])),
    };
  }

  /**
   * The role most of the group's questions name by its topics, as an unanswered question names its contact
   * (src/assistant/contacts.ts); none: the default contact role.
   */
  private suggest(members: GapItem[], contacts: Map<string, Contact>): SuggestedRole {
    const votes = new Map<string, number>();
    for (const m of members) {
      const c = contactForQuestion(m.question, contacts);
      if (c) votes.set(c.role, (votes.get(c.role) ?? 0) + 1);
    }
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (best) {
      const c = contacts.get(best[0]) as Contact;
      return { role: c.role, label: c.label, matched: true };
    }
    const role = this.deps.defaultContactRole;
    return { role, label: contacts.get(role)?.label ?? role, matched: false };
  }

  private async read(
    tenant: string,
    since: Date,
    until: Date,
  ): Promise<{ items: GapItem[]; withoutText: number }> {
    const turns = await this.deps.db.query<{ q: string; asked: string; at: Date | string }>(
      `SELECT coalesce(nullif(resolved_question, ''), question) AS q, question AS asked, created_at AS at
         FROM conversation_turns
        WHERE tenant = $1 AND answer_kind = 'no_answer' AND created_at >= $2 AND created_at < $3
          AND coalesce(nullif(resolved_question, ''), question) <> ''
        ORDER BY created_at DESC, turn_id DESC`,
      [tenant, since, until],
    );
    const downs = await this.deps.db.query<{
      q: string;
      at: Date | string;
      doc_ids: string[] | null;
      reason: string | null;
      comment: string | null;
    }>(
      `SELECT question AS q, created_at AS at, doc_ids, reason, comment FROM feedback
        WHERE tenant = $1 AND rating = 'down' AND created_at >= $2 AND created_at < $3
        ORDER BY created_at DESC, feedback_id DESC`,
      [tenant, since, until],
    );
    // The question as answered: a follow-up ("und für Busse?") completed with the turn before.
    const asked = new Map<GapItem, string>();
    const items: GapItem[] = turns.rows.map((r) => {
      const item: GapItem = {
        question: r.q,
        at: new Date(r.at),
        noAnswer: true,
        downvoted: false,
        docIds: [],
      };
      asked.set(item, r.asked);
      return item;
    });
    let withoutText = 0;
    for (const r of downs.rows) {
      if (r.q.trim() === "") {
        withoutText++;
        continue;
      }
      const at = new Date(r.at);
      const extra = {
        docIds: r.doc_ids ?? [],
        ...(isReason(r.reason) ? { reason: r.reason } : {}),
        ...(r.comment?.trim() ? { comment: r.comment.trim() } : {}),
      };
      // A 👎 on the "no answer" reply itself: one question, both kinds.
      const same = items.find(
        (i) =>
          i.noAnswer &&
          !i.downvoted &&
          (i.question === r.q || asked.get(i) === r.q) &&
          at.getTime() >= i.at.getTime() &&
          at.getTime() - i.at.getTime() <= SAME_QUESTION_MS,
      );
      if (same) Object.assign(same, { downvoted: true, ...extra });
      else items.push({ question: r.q, at, noAnswer: false, downvoted: true, ...extra });
    }
    items.sort((a, b) => b.at.getTime() - a.at.getTime());
    return { items, withoutText };
  }

  private async contacts(tenant: string): Promise<Map<string, Contact>> {
    const { rows } = await this.deps.db.query<{
      role: string;
      label: string;
      name: string;
      topics: string[] | null;
    }>("SELECT role, label, name, topics FROM contacts WHERE tenant = $1 ORDER BY role", [tenant]);
    return new Map(
      rows.map((r) => [r.role, { role: r.role, label: r.label, name: r.name, topics: r.topics ?? [] }]),
    );
  }

  private async titles(docIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(docIds)];
    if (ids.length === 0) return new Map();
    const { rows } = await this.deps.db.query<{ doc_id: string; title: string }>(
      "SELECT doc_id, title FROM documents WHERE doc_id = ANY($1::text[])",
      [ids],
    );
    return new Map(rows.map((r) => [r.doc_id, r.title]));
  }
}

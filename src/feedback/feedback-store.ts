import type { Platform } from "../core/inbound.ts";
import type { Database } from "../db/database.ts";
import { LotseError } from "../errors.ts";

/** One 👍/👎 on an answer. */
export interface Feedback {
  tenant: string;
  platform: Platform;
  userId: string;
  conversationId?: string;
  rating: "up" | "down";
  question: string;
  docIds: string[];
}

/** Why an answer was voted down, as stored (feedback.reason; migration 012). */
export const FEEDBACK_REASONS = ["falsch", "veraltet", "unvollstaendig", "nicht-meine-frage"] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

/** A downvoted answer as the gap report reads it (FeedbackStore.downvoted). */
export interface Downvote {
  /** The question as asked; "" once the retention period blanked it. */
  question: string;
  /** The documents the answer cited. */
  docIds: string[];
  reason?: FeedbackReason;
  /** The user's comment after 👎; absent when none was given or retention blanked it. */
  comment?: string;
  createdAt: Date;
}

/**
 * What one rating may store, enforced here so that every platform is covered: the values come back from a button or
 * card the user's client sends, so a forged one must not fill the table.
 */
export const FEEDBACK_LIMITS = {
  /** Longer questions are cut (with "…"): the default LOTSE_MAX_QUESTION_CHARS, plenty for the gap report. */
  questionChars: 1000,
  /** More cited documents than this are dropped; an answer cites at most ten. */
  docIds: 20,
  /** Longer "document ids" are dropped: Lotse's ids are short slugs from front matter. */
  docIdChars: 200,
  /** Longer user ids are refused: Slack's and Teams' ids are far shorter. */
  userIdChars: 256,
  /** Longer conversation ids are refused (Teams' are the longest, well below this). */
  conversationIdChars: 512,
  /** A comment after 👎 has at most this many characters (code points); the form's fields say so too. */
  commentChars: 500,
} as const;

function refuseLonger(field: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max)
    throw new LotseError("REQUEST_INVALID", `feedback ${field} longer than ${max} characters`, {
      details: { field, length: value.length },
    });
}

/** The question within FEEDBACK_LIMITS.questionChars characters, cut at a code point. */
function boundQuestion(question: string): string {
  const max = FEEDBACK_LIMITS.questionChars;
  if (question.length <= max) return question;
  // 2·max + 1 UTF-16 units hold more than max code points, so the cut is decided on a bounded slice.
  const head = question.slice(0, 2 * max + 1);
  const points = Array.from(head);
  return points.length <= max && head.length === question.length
    ? question
    : `${points.slice(0, max - 1).join("")}…`;
}

/** Records ratings in PostgreSQL, with the question and the cited documents (for the gap report). */
export class FeedbackStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Stores one rating within FEEDBACK_LIMITS and returns its id (the comment form's state names it); throws
   * REQUEST_INVALID for ids no platform sends.
   */
  async record(f: Feedback): Promise<string> {
    refuseLonger("userId", f.userId, FEEDBACK_LIMITS.userIdChars);
    refuseLonger("conversationId", f.conversationId, FEEDBACK_LIMITS.conversationIdChars);
    const docIds = [...new Set(f.docIds)]
      .filter((id) => id.length > 0 && id.length <= FEEDBACK_LIMITS.docIdChars)
      .slice(0, FEEDBACK_LIMITS.docIds);
    const r = await this.db.query<{ id: string }>(
      "INSERT INTO feedback (tenant, platform, user_id, conversation_id, rating, question, doc_ids) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING feedback_id::text AS id",
      [f.tenant, f.platform, f.userId, f.conversationId ?? null, f.rating, boundQuestion(f.question), docIds],
    );
    return r.rows[0]?.id as string;
  }

  /**
   * Adds the reason and comment to a 👎 of this tenant and user (the pseudonym it was recorded with) and sets
   * commented_at; a second annotation replaces the first. False, with nothing changed, when no such 👎 exists: an
   * unknown id, another tenant's or person's rating, a 👍. The caller has cleaned the comment (feedback-comment.ts);
   * a reason outside FEEDBACK_REASONS or a longer comment is refused with REQUEST_INVALID.
   */
  async annotate(
    id: string,
    tenant: string,
    userPseudonym: string,
    reason: FeedbackReason | undefined,
    comment: string | undefined,
  ): Promise<boolean> {
    if (!/^[1-9]\d{0,17}$/.test(id)) return false;
    if (reason !== undefined && !(FEEDBACK_REASONS as readonly string[]).includes(reason))
      throw new LotseError("REQUEST_INVALID", "feedback reason unknown", { details: { field: "reason" } });
    if (comment !== undefined && Array.from(comment).length > FEEDBACK_LIMITS.commentChars)
      throw new LotseError(
        "REQUEST_INVALID",
        `feedback comment longer than ${FEEDBACK_LIMITS.commentChars}`,
        {
          details: { field: "comment", length: comment.length },
        },
      );
    const r = await this.db.query(
      `UPDATE feedback SET reason = $4, comment = $5, commented_at = now()
        WHERE feedback_id = $1::bigint AND tenant = $2 AND user_id = $3 AND rating = 'down' RETURNING 1`,
      [id, tenant, userPseudonym, reason ?? null, comment || null],
    );
    return r.rows.length === 1;
  }

  /**
   * The 👎 of a tenant since `since`, oldest first, for the gap report: question (possibly "" after retention), the
   * cited documents, reason and comment where given, and when it was voted down. Who voted is not returned.
   */
  async downvoted(tenant: string, since: Date): Promise<Downvote[]> {
    const r = await this.db.query<{
      question: string;
      doc_ids: string[];
      reason: FeedbackReason | null;
      comment: string | null;
      created_at: Date | string;
    }>(
      `SELECT question, doc_ids, reason, comment, created_at FROM feedback
        WHERE tenant = $1 AND rating = 'down' AND created_at >= $2 ORDER BY created_at, feedback_id`,
      [tenant, since],
    );
    return r.rows.map((row) => ({
      question: row.question,
      docIds: row.doc_ids,
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.comment ? { comment: row.comment } : {}),
      createdAt: new Date(row.created_at),
    }));
  }

  /**
   * Blanks question texts and comments older than `before` (retention: free text goes with the question); ratings,
   * reasons and cited documents stay for the aggregates. Returns how many rows were blanked.
   */
  async purgeQuestions(before: Date): Promise<number> {
    const r = await this.db.query(
      "UPDATE feedback SET question = '', comment = NULL WHERE created_at < $1 AND (question <> '' OR comment IS NOT NULL) RETURNING 1",
      [before],
    );
    return r.rows.length;
  }
}

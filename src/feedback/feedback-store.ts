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

  /** Stores one rating within FEEDBACK_LIMITS; throws REQUEST_INVALID for ids no platform sends. */
  async record(f: Feedback): Promise<void> {
    refuseLonger("userId", f.userId, FEEDBACK_LIMITS.userIdChars);
    refuseLonger("conversationId", f.conversationId, FEEDBACK_LIMITS.conversationIdChars);
    const docIds = [...new Set(f.docIds)]
      .filter((id) => id.length > 0 && id.length <= FEEDBACK_LIMITS.docIdChars)
      .slice(0, FEEDBACK_LIMITS.docIds);
    await this.db.query(
      "INSERT INTO feedback (tenant, platform, user_id, conversation_id, rating, question, doc_ids) VALUES ($1,$2,$3,$4,$5,$6,$7)",
      [f.tenant, f.platform, f.userId, f.conversationId ?? null, f.rating, boundQuestion(f.question), docIds],
    );
  }

  /** Blanks question texts older than `before` (retention); ratings and cited documents stay for the aggregates. */
  async purgeQuestions(before: Date): Promise<number> {
    const r = await this.db.query(
      "UPDATE feedback SET question = '' WHERE created_at < $1 AND question <> '' RETURNING 1",
      [before],
    );
    return r.rows.length;
  }
}

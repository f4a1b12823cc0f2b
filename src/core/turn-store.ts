import type { Database } from "../db/database.ts";
import type { Platform } from "./inbound.ts";

/** One answered question in a conversation (users only as pseudonyms). */
export interface ConversationTurn {
  platform: Platform;
  conversationId: string;
  tenant: string;
  userPseudonym: string;
  question: string;
  /** The question as answered: a follow-up completed with the turn before it. */
  resolvedQuestion: string;
  answerKind: string;
  docIds: string[];
  at: Date;
}

/** Longest question text kept in a turn (as the feedback store). */
const MAX_QUESTION_CHARS = 1000;

/** Conversation memory in PostgreSQL: every replica sees the turns of every thread. */
export class TurnStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async record(t: Omit<ConversationTurn, "at">): Promise<void> {
    await this.db.query(
      `INSERT INTO conversation_turns
         (platform, conversation_id, tenant, user_pseudonym, question, resolved_question, answer_kind, doc_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        t.platform,
        t.conversationId,
        t.tenant,
        t.userPseudonym,
        t.question.slice(0, MAX_QUESTION_CHARS),
        t.resolvedQuestion.slice(0, MAX_QUESTION_CHARS),
        t.answerKind,
        [...new Set(t.docIds)].slice(0, 20),
      ],
    );
  }

  /** The newest turn of a conversation (of any user), optionally only one newer than `since`. */
  async last(
    platform: Platform,
    conversationId: string,
    since?: Date,
  ): Promise<ConversationTurn | undefined> {
    const r = await this.db.query<{
      tenant: string;
      user_pseudonym: string;
      question: string;
      resolved_question: string;
      answer_kind: string;
      doc_ids: string[];
      created_at: Date | string;
    }>(
      `SELECT tenant, user_pseudonym, question, resolved_question, answer_kind, doc_ids, created_at
         FROM conversation_turns
        WHERE platform = $1 AND conversation_id = $2 AND ($3::timestamptz IS NULL OR created_at >= $3)
        ORDER BY created_at DESC, turn_id DESC LIMIT 1`,
      [platform, conversationId, since ?? null],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      platform,
      conversationId,
      tenant: row.tenant,
      userPseudonym: row.user_pseudonym,
      question: row.question,
      resolvedQuestion: row.resolved_question,
      answerKind: row.answer_kind,
      docIds: row.doc_ids,
      at: new Date(row.created_at),
    };
  }

  /** Deletes turns older than `before` (retention); returns how many went. */
  async purge(before: Date): Promise<number> {
    const r = await this.db.query("DELETE FROM conversation_turns WHERE created_at < $1 RETURNING 1", [
      before,
    ]);
    return r.rows.length;
  }
}

import type { Platform } from "../core/inbound.ts";
import type { Database } from "../db/database.ts";

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

/** Records ratings in PostgreSQL, with the question and the cited documents (for the gap report). */
export class FeedbackStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async record(f: Feedback): Promise<void> {
    await this.db.query(
      "INSERT INTO feedback (tenant, platform, user_id, conversation_id, rating, question, doc_ids) VALUES ($1,$2,$3,$4,$5,$6,$7)",
      [f.tenant, f.platform, f.userId, f.conversationId ?? null, f.rating, f.question, f.docIds],
    );
  }
}

import type { Database } from "../db/database.ts";
import type { Platform } from "./inbound.ts";

/** Notices a user sees once per platform. */
export type OnceNotice = "ai-notice";

/**
 * Remembers which users have seen a one-time notice (the automated-assistant notice of EU AI Act Art. 50(1)), by
 * pseudonym. `claim` is atomic: of two replicas answering the same user at once, one shows the notice.
 */
export class FirstContact {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** True the first time for this user and notice (and records it); false ever after. */
  async claim(platform: Platform, userPseudonym: string, notice: OnceNotice): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO user_notices (platform, user_pseudonym, notice) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [platform, userPseudonym, notice],
    );
    return r.rows.length > 0;
  }
}

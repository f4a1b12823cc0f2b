import type { Database } from "../db/database.ts";
import type { Platform } from "./inbound.ts";

/** How many users one process remembers as having seen a notice before it starts over. */
const MAX_REMEMBERED = 50_000;

/**
 * Notices a user sees once per platform: the automated-assistant notice, and the personal welcome a Slack member gets
 * when joining the workspace or an onboarding channel (both events may come for one new member: one welcome).
 */
export type OnceNotice = "ai-notice" | "personal-welcome";

/**
 * Remembers which users have seen a one-time notice (the automated-assistant notice of EU AI Act Art. 50(1)), by
 * pseudonym. `claim` is atomic: of two replicas answering the same user at once, one shows the notice.
 */
export class FirstContact {
  private readonly db: Database;
  /**
   * Users this process knows to have seen a notice: asked again, they need no database round trip. Only a shortcut —
   * the table decides, so any replica that has not seen the user yet asks it.
   */
  private readonly seen = new Set<string>();

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * True when no notice of this kind was recorded for the user within the last `windowMs` (and records it now):
   * of several events for one occasion (team_join and a default channel's join), on any replica, one wins; a later
   * occasion (joining an onboarding channel a week on) counts again.
   */
  async claimWithin(
    platform: Platform,
    userPseudonym: string,
    notice: OnceNotice,
    windowMs: number,
  ): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO user_notices (platform, user_pseudonym, notice) VALUES ($1, $2, $3)
       ON CONFLICT (platform, user_pseudonym, notice) DO UPDATE SET shown_at = now()
         WHERE user_notices.shown_at < now() - make_interval(secs => $4::double precision / 1000)
       RETURNING 1`,
      [platform, userPseudonym, notice, windowMs],
    );
    return r.rows.length > 0;
  }

  /** Forgets a claim whose notice did not arrive (the message failed), so the next occasion shows it. */
  async release(platform: Platform, userPseudonym: string, notice: OnceNotice): Promise<void> {
    this.seen.delete(`${platform}\u0000${userPseudonym}\u0000${notice}`);
    await this.db.query(
      "DELETE FROM user_notices WHERE platform = $1 AND user_pseudonym = $2 AND notice = $3",
      [platform, userPseudonym, notice],
    );
  }

  /** True the first time for this user and notice (and records it); false ever after. */
  async claim(platform: Platform, userPseudonym: string, notice: OnceNotice): Promise<boolean> {
    const key = `${platform}\u0000${userPseudonym}\u0000${notice}`;
    if (this.seen.has(key)) return false;
    if (this.seen.size >= MAX_REMEMBERED) this.seen.clear();
    const r = await this.db.query(
      `INSERT INTO user_notices (platform, user_pseudonym, notice) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [platform, userPseudonym, notice],
    );
    this.seen.add(key);
    return r.rows.length > 0;
  }
}

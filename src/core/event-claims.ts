import type { Database } from "../db/database.ts";
import type { Platform } from "./inbound.ts";

/** Claims are kept this long: Slack retries an event for about an hour at most. */
const KEEP_HOURS = 24;

/**
 * "Handle this event exactly once", claimed in PostgreSQL so that it holds across replicas and restarts: the first
 * claim of a (platform, event id) wins, every later one — a retry, or another replica — is refused.
 */
export class EventClaims {
  private readonly db: Database;
  private lastPrune = 0;

  constructor(db: Database) {
    this.db = db;
  }

  /** True for the first claim of this event, false for every repeat. */
  async claim(platform: Platform, eventId: string, tenant?: string): Promise<boolean> {
    const r = await this.db.query(
      "INSERT INTO event_claims (platform, event_id, tenant) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1",
      [platform, eventId, tenant ?? null],
    );
    // Best effort: a failed clean-up must not turn a won claim into a lost event.
    this.prune().catch(() => {
      this.lastPrune = 0;
    });
    return r.rows.length === 1;
  }

  /** Gives up a claim whose work could not be finished (shutdown), so a retry or another replica answers it. */
  async release(platform: Platform, eventId: string): Promise<void> {
    await this.db.query("DELETE FROM event_claims WHERE platform = $1 AND event_id = $2", [
      platform,
      eventId,
    ]);
  }

  /** At most hourly: forget claims older than KEEP_HOURS. */
  private async prune(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < 3_600_000) return;
    this.lastPrune = now;
    await this.db.query(`DELETE FROM event_claims WHERE claimed_at < now() - interval '${KEEP_HOURS} hours'`);
  }
}

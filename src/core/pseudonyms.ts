import { createHmac, randomBytes } from "node:crypto";
import type { Database } from "../db/database.ts";
import type { Platform } from "./inbound.ts";

/** Prefix of a pseudonym: tells a stored pseudonym from a platform id that was stored before pseudonymisation. */
export const PSEUDONYM_PREFIX = "p1_";
const SETTING = "pseudonym_key";

/**
 * Turns platform user ids into pseudonyms (a keyed hash, HMAC-SHA-256): the same person gets the same pseudonym on
 * every replica, and without the key nobody can tell whose it is. Stores keep pseudonyms only.
 */
export class Pseudonyms {
  private readonly key: Buffer;

  constructor(key: string | Buffer) {
    this.key = Buffer.isBuffer(key) ? key : Buffer.from(key, "utf8");
  }

  /** The pseudonym of a user of a platform: "p1_" and 32 hex characters. */
  of(platform: Platform, userId: string): string {
    const mac = createHmac("sha256", this.key).update(`${platform}\u0000${userId}`).digest("hex");
    return `${PSEUDONYM_PREFIX}${mac.slice(0, 32)}`;
  }

  /**
   * The pseudonym of a person of a tenant known by their work email: the same on Slack and Teams, so onboarding
   * progress follows a person across the tenant's platforms. The address is lower-cased and trimmed; never stored.
   */
  ofEmail(tenant: string, email: string): string {
    const mac = createHmac("sha256", this.key)
      .update(`email\u0000${tenant}\u0000${email.trim().toLowerCase()}`)
      .digest("hex");
    return `${PSEUDONYM_PREFIX}${mac.slice(0, 32)}`;
  }

  /**
   * The configured key (LOTSE_PSEUDONYM_KEY), or the one kept in the database: created at random by the first
   * replica that needs it, read by all others.
   */
  static async open(db: Database, configuredKey: string | undefined): Promise<Pseudonyms> {
    if (configuredKey) return new Pseudonyms(configuredKey);
    await db.query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
      SETTING,
      randomBytes(32).toString("hex"),
    ]);
    const r = await db.query<{ value: string }>("SELECT value FROM settings WHERE name = $1", [SETTING]);
    return new Pseudonyms(Buffer.from(r.rows[0]?.value ?? "", "hex"));
  }
}

/**
 * Replaces the platform user ids that feedback stored before pseudonymisation by their pseudonyms. Idempotent;
 * returns how many rows changed.
 */
export async function pseudonymiseStoredFeedback(db: Database, pseudonyms: Pseudonyms): Promise<number> {
  const r = await db.query<{ platform: Platform; user_id: string }>(
    // '' is a rating past its retention period, kept without anybody (retention-purges.ts).
    "SELECT DISTINCT platform, user_id FROM feedback WHERE user_id NOT LIKE $1 AND user_id <> ''",
    [`${PSEUDONYM_PREFIX}%`],
  );
  let changed = 0;
  for (const row of r.rows) {
    const u = await db.query(
      "UPDATE feedback SET user_id = $1 WHERE platform = $2 AND user_id = $3 RETURNING 1",
      [pseudonyms.of(row.platform, row.user_id), row.platform, row.user_id],
    );
    changed += u.rows.length;
  }
  return changed;
}

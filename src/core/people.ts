import type { Database, Queryable } from "../db/database.ts";
import type { Platform } from "./inbound.ts";
import type { Pseudonyms } from "./pseudonyms.ts";

/**
 * The person behind a platform user, pseudonymised: where a platform told Lotse the user's work email once, the
 * pseudonym of that email (the same on Slack and Teams of one tenant); otherwise the platform pseudonym itself. Only
 * pseudonyms are stored (`person_links`), never the address.
 */
/**
 * What a feature keeps per person moves when the person turns out to be another (a platform pseudonym linked to an
 * email pseudonym, or relinked to a new address): run in the link's transaction, `from` the person before, `to` after.
 */
export type PersonMove = (q: Queryable, tenant: string, from: string, to: string) => Promise<void>;

export class People {
  private readonly db: Database;
  private readonly pseudonyms: Pseudonyms;
  private readonly moves: readonly PersonMove[];

  constructor(db: Database, pseudonyms: Pseudonyms, moves: readonly PersonMove[] = []) {
    this.db = db;
    this.pseudonyms = pseudonyms;
    this.moves = moves;
  }

  /**
   * Links a platform user to the person of their email; returns the person's pseudonym. Idempotent. What was kept
   * under the person before (the platform pseudonym, or an earlier address's) moves to the new person with it.
   */
  async link(tenant: string, platform: Platform, userPseudonym: string, email: string): Promise<string> {
    const person = this.pseudonyms.ofEmail(tenant, email);
    await this.db.transaction(async (tx) => {
      const before = await tx.query<{ person: string }>(
        `SELECT person FROM person_links WHERE tenant = $1 AND platform = $2 AND user_pseudonym = $3 FOR UPDATE`,
        [tenant, platform, userPseudonym],
      );
      const from = before.rows[0]?.person ?? userPseudonym;
      await tx.query(
        `INSERT INTO person_links (tenant, platform, user_pseudonym, person) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant, platform, user_pseudonym) DO UPDATE SET person = EXCLUDED.person, linked_at = now()`,
        [tenant, platform, userPseudonym, person],
      );
      if (from === person) return;
      // A new address of someone linked before: the other platforms' links follow, so the person stays one.
      if (from !== userPseudonym)
        await tx.query("UPDATE person_links SET person = $3 WHERE tenant = $1 AND person = $2", [
          tenant,
          from,
          person,
        ]);
      for (const move of this.moves) await move(tx, tenant, from, person);
    });
    return person;
  }

  /** The person of a platform user: the linked email pseudonym, or the platform pseudonym where none is linked. */
  async personOf(tenant: string, platform: Platform, userPseudonym: string): Promise<string> {
    const r = await this.db.query<{ person: string }>(
      "SELECT person FROM person_links WHERE tenant = $1 AND platform = $2 AND user_pseudonym = $3",
      [tenant, platform, userPseudonym],
    );
    return r.rows[0]?.person ?? userPseudonym;
  }

  /** Every pseudonym a person is stored under (the person and the linked platform pseudonyms), for export/delete. */
  async pseudonymsOf(tenant: string, person: string): Promise<string[]> {
    const r = await this.db.query<{ user_pseudonym: string }>(
      "SELECT user_pseudonym FROM person_links WHERE tenant = $1 AND person = $2",
      [tenant, person],
    );
    return [...new Set([person, ...r.rows.map((x) => x.user_pseudonym)])];
  }
}

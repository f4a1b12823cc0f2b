import type { Database } from "../db/database.ts";
import { LotseError } from "../errors.ts";
import type { Platform } from "./inbound.ts";

/** A conversation Lotse may write into later; `reference` is the platform's own, opaque to the core. */
export interface ConversationRef {
  platform: Exclude<Platform, "cli">;
  conversationId: string;
  tenant: string;
  externalTenantId?: string;
  kind: "personal" | "group" | "channel" | "thread";
  reference: unknown;
  /** A personal chat's user (pseudonym): whose chat it is, for a data subject's request. */
  userPseudonym?: string;
}

/**
 * Largest reference stored, as JSON. A Teams reference Lotse keeps (service URL, channel, conversation, two ids) is
 * well under 1 kB; the bound keeps a forged activity from filling the table with megabytes per conversation.
 */
export const MAX_REFERENCE_BYTES = 4096;
/** Longest conversation or external tenant id stored (Teams and Slack ids are far shorter). */
export const MAX_CONVERSATION_ID_CHARS = 512;

/** Why a reference is not stored, or undefined when it may be. */
function tooLarge(ref: ConversationRef, json: string): Record<string, unknown> | undefined {
  if (ref.conversationId.length > MAX_CONVERSATION_ID_CHARS)
    return { field: "conversationId", chars: ref.conversationId.length };
  if ((ref.externalTenantId?.length ?? 0) > MAX_CONVERSATION_ID_CHARS)
    return { field: "externalTenantId", chars: ref.externalTenantId?.length };
  const bytes = Buffer.byteLength(json);
  return bytes > MAX_REFERENCE_BYTES ? { field: "reference", bytes } : undefined;
}

/** Stored conversation references in PostgreSQL, shared by all replicas. */
export class ConversationStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Inserts or refreshes the reference (the newest activity wins). Refuses ids over MAX_CONVERSATION_ID_CHARS and
   * references over MAX_REFERENCE_BYTES (REQUEST_INVALID, reason reference_too_large): nothing is stored then.
   */
  async save(ref: ConversationRef): Promise<void> {
    const json = JSON.stringify(ref.reference) ?? "null";
    const over = tooLarge(ref, json);
    if (over)
      throw new LotseError("REQUEST_INVALID", `conversation reference too large to store (${over.field})`, {
        details: { reason: "reference_too_large", platform: ref.platform, ...over },
      });
    await this.db.query(
      `INSERT INTO conversation_refs (platform, conversation_id, tenant, external_tenant_id, kind, reference, updated_at,
         user_pseudonym)
       VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
       ON CONFLICT (platform, conversation_id) DO UPDATE SET tenant = EXCLUDED.tenant,
         external_tenant_id = EXCLUDED.external_tenant_id, kind = EXCLUDED.kind, reference = EXCLUDED.reference,
         updated_at = now(), user_pseudonym = CASE WHEN EXCLUDED.kind = 'personal'
           THEN COALESCE(EXCLUDED.user_pseudonym, conversation_refs.user_pseudonym) END`,
      [
        ref.platform,
        ref.conversationId,
        ref.tenant,
        ref.externalTenantId ?? null,
        ref.kind,
        json,
        ref.kind === "personal" ? (ref.userPseudonym ?? null) : null,
      ],
    );
  }

  async get(
    platform: ConversationRef["platform"],
    conversationId: string,
  ): Promise<ConversationRef | undefined> {
    const r = await this.db.query<{
      tenant: string;
      external_tenant_id: string | null;
      kind: ConversationRef["kind"];
      reference: unknown;
    }>(
      "SELECT tenant, external_tenant_id, kind, reference FROM conversation_refs WHERE platform = $1 AND conversation_id = $2",
      [platform, conversationId],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      platform,
      conversationId,
      tenant: row.tenant,
      ...(row.external_tenant_id ? { externalTenantId: row.external_tenant_id } : {}),
      kind: row.kind,
      reference: row.reference,
    };
  }
}

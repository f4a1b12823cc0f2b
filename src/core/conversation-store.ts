import type { Database } from "../db/database.ts";
import type { Platform } from "./inbound.ts";

/** A conversation Lotse may write into later; `reference` is the platform's own, opaque to the core. */
export interface ConversationRef {
  platform: Exclude<Platform, "cli">;
  conversationId: string;
  tenant: string;
  externalTenantId?: string;
  kind: "personal" | "group" | "channel" | "thread";
  reference: unknown;
}

/** Stored conversation references in PostgreSQL, shared by all replicas. */
export class ConversationStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Inserts or refreshes the reference (the newest activity wins). */
  async save(ref: ConversationRef): Promise<void> {
    await this.db.query(
      `INSERT INTO conversation_refs (platform, conversation_id, tenant, external_tenant_id, kind, reference, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (platform, conversation_id) DO UPDATE SET tenant = EXCLUDED.tenant,
         external_tenant_id = EXCLUDED.external_tenant_id, kind = EXCLUDED.kind, reference = EXCLUDED.reference,
         updated_at = now()`,
      [
        ref.platform,
        ref.conversationId,
        ref.tenant,
        ref.externalTenantId ?? null,
        ref.kind,
        JSON.stringify(ref.reference),
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

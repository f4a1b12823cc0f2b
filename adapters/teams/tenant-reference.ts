import type { ConversationReference } from "@microsoft/agents-activity";
import type { Queryable } from "../../src/db/database.ts";

/** A stored Teams conversation as the notifier needs it for a personal message. */
export interface StoredTeamsReference {
  conversationId: string;
  externalTenantId?: string;
  reference: ConversationReference;
}

type Row = { conversation_id: string; external_tenant_id: string | null; reference: unknown };

const asStored = (row: Row | undefined): StoredTeamsReference | undefined =>
  row
    ? {
        conversationId: row.conversation_id,
        ...(row.external_tenant_id ? { externalTenantId: row.external_tenant_id } : {}),
        reference: row.reference as ConversationReference,
      }
    : undefined;

/**
 * Read-only look-ups in conversation_refs (written by the core's ConversationStore) for personal messages and new
 * threads: a user's personal chat with Lotse, a channel's newest reply chain, and any conversation of a Lotse tenant for the service URL and Entra tenant a new
 * personal chat is created with. Teams only; the newest reference wins.
 */
export class TenantReferences {
  private readonly db: Queryable;

  constructor(db: Queryable) {
    this.db = db;
  }

  /**
   * The stored personal chat of a user of the tenant: `userId` is the Entra object id (references stored since it
   * is kept) or the Teams user id (29:…) of the chat's user.
   */
  async personalChat(tenant: string, userId: string): Promise<StoredTeamsReference | undefined> {
    const r = await this.db.query<Row>(
      `SELECT conversation_id, external_tenant_id, reference FROM conversation_refs
       WHERE platform = 'teams' AND tenant = $1 AND kind = 'personal'
         AND (reference->'user'->>'aadObjectId' = $2 OR reference->'user'->>'id' = $2)
       ORDER BY updated_at DESC LIMIT 1`,
      [tenant, userId],
    );
    return asStored(r.rows[0]);
  }

  /**
   * The newest stored reply chain of a channel ("<channel>;messageid=…"), with its Lotse tenant: what a new thread in
   * a channel Lotse knows only from its threads is posted with.
   */
  async newestThread(channelId: string): Promise<(StoredTeamsReference & { tenant: string }) | undefined> {
    const r = await this.db.query<Row & { tenant: string }>(
      `SELECT conversation_id, tenant, external_tenant_id, reference FROM conversation_refs
       WHERE platform = 'teams' AND starts_with(conversation_id, $1)
       ORDER BY updated_at DESC LIMIT 1`,
      [`${channelId};messageid=`],
    );
    const row = r.rows[0];
    const stored = asStored(row);
    return row && stored ? { ...stored, tenant: row.tenant } : undefined;
  }

  /** The newest conversation of the tenant that names its Entra tenant (its service URL serves the whole tenant). */
  async latest(tenant: string): Promise<StoredTeamsReference | undefined> {
    const r = await this.db.query<Row>(
      `SELECT conversation_id, external_tenant_id, reference FROM conversation_refs
       WHERE platform = 'teams' AND tenant = $1 AND external_tenant_id IS NOT NULL
       ORDER BY updated_at DESC LIMIT 1`,
      [tenant],
    );
    return asStored(r.rows[0]);
  }
}

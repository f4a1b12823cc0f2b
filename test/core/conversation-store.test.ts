import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConversationRef,
  ConversationStore,
  MAX_CONVERSATION_ID_CHARS,
  MAX_REFERENCE_BYTES,
} from "../../src/core/conversation-store.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";

describe("ConversationStore bounds what it stores", () => {
  let db: Database;
  let store: ConversationStore;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    store = new ConversationStore(db);
  });
  afterAll(() => db.close());

  const ref: ConversationRef = {
    platform: "teams",
    conversationId: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764064790000",
    tenant: "musterstadt",
    externalTenantId: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10",
    kind: "thread",
    reference: {
      serviceUrl: "https://smba.trafficmanager.net/emea/",
      channelId: "msteams",
      conversation: { id: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764064790000" },
      agent: { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" },
    },
  };
  const count = async () =>
    Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM conversation_refs")).rows[0]?.n);

  it("stores a reference of ordinary size", async () => {
    await store.save(ref);
    expect(await store.get("teams", ref.conversationId)).toEqual(ref);
  });

  it("refuses a reference over the limit (a forged activity's megabyte of names) and stores nothing", async () => {
    const before = await count();
    const bloated = {
      ...ref,
      conversationId: "a:bloated",
      reference: { ...(ref.reference as object), user: { name: "x".repeat(MAX_REFERENCE_BYTES) } },
    };
    await expect(store.save(bloated)).rejects.toMatchObject({
      code: "REQUEST_INVALID",
      details: { reason: "reference_too_large", field: "reference" },
    });
    const longId = { ...ref, conversationId: `a:${"x".repeat(MAX_CONVERSATION_ID_CHARS)}` };
    await expect(store.save(longId)).rejects.toMatchObject({
      details: { reason: "reference_too_large", field: "conversationId" },
    });
    const longTenant = {
      ...ref,
      conversationId: "a:tenant",
      externalTenantId: "t".repeat(MAX_CONVERSATION_ID_CHARS + 1),
    };
    await expect(store.save(longTenant)).rejects.toMatchObject({ details: { field: "externalTenantId" } });
    expect(await count()).toBe(before);
    // A refused refresh leaves the stored reference as it was.
    await expect(store.save({ ...bloated, conversationId: ref.conversationId })).rejects.toMatchObject({
      code: "REQUEST_INVALID",
    });
    expect(await store.get("teams", ref.conversationId)).toEqual(ref);
  });
});

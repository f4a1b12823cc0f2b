import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationStore } from "../../src/core/conversation-store.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { deletePerson } from "../../src/privacy/person-delete.ts";
import { countsOf, exportPerson } from "../../src/privacy/person-export.ts";
import type { DataSubject } from "../../src/privacy/personal-data.ts";

let db: Database;
beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
});
afterAll(() => db.close());

const LEA = "p1_4c2e6a8b0d1f3a5c7e9b1d3f5a7c9e1b";
const OTHER = "p1_9e7c5a3b1d0f8e6c4a2b0d9f7e5c3a1b";

describe("a personal chat nobody asked a question in", () => {
  it("is found by its user's pseudonym for export and goes with the deletion; another's chat and a channel stay", async () => {
    const refs = new ConversationStore(db);
    const dm = (id: string, user: string) =>
      refs.save({
        platform: "slack",
        conversationId: id,
        tenant: "musterstadt",
        kind: "personal",
        reference: { channel: id },
        userPseudonym: user,
      });
    // Lea only did onboarding in her DM: no conversation turn names the D… channel.
    await dm("D0LEA00001", LEA);
    await dm("D0ANDERE01", OTHER);
    await refs.save({
      platform: "slack",
      conversationId: "C0NACHHALT",
      tenant: "musterstadt",
      kind: "channel",
      reference: { channel: "C0NACHHALT" },
      userPseudonym: LEA,
    });
    const lea: DataSubject = {
      platform: "slack",
      userId: "U0LEA00001",
      ids: { slack: ["U0LEA00001"], teams: [] },
      pseudonyms: [LEA],
    };
    const now = new Date("2026-12-02T09:00:00Z");
    expect(countsOf(await exportPerson(db, lea, now)).conversation_refs).toBe(1);
    await deletePerson(db, lea);
    const left = await db.query<{ conversation_id: string; user_pseudonym: string | null }>(
      "SELECT conversation_id, user_pseudonym FROM conversation_refs ORDER BY conversation_id",
    );
    // A channel's reference never keeps a person.
    expect(left.rows).toEqual([
      { conversation_id: "C0NACHHALT", user_pseudonym: null },
      { conversation_id: "D0ANDERE01", user_pseudonym: OTHER },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConversationTurn, TurnStore } from "../../src/core/turn-store.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";

describe("TurnStore (PGlite)", () => {
  let db: Database;
  let turns: TurnStore;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    turns = new TurnStore(db);
  });
  afterAll(() => db.close());

  const turn = (over: Partial<Omit<ConversationTurn, "at">> = {}): Omit<ConversationTurn, "at"> => ({
    platform: "slack",
    conversationId: "C0TURNS:1764064790.000100",
    tenant: "musterstadt",
    userPseudonym: "p1_0123456789abcdef0123456789abcdef",
    question: "Welche Quote gilt für Pkw?",
    resolvedQuestion: "Welche Quote gilt für Pkw?",
    answerKind: "answer",
    docIds: ["saubere-fahrzeuge"],
    ...over,
  });
  /** Moves the turns with this question `days` into the past. */
  const age = (question: string, days: number) =>
    db.query(
      "UPDATE conversation_turns SET created_at = now() - make_interval(days => $2) WHERE question = $1",
      [question, days],
    );

  it("has no turn for a conversation nobody asked in", async () => {
    expect(await turns.last("slack", "C0NOBODY")).toBeUndefined();
  });

  it("returns the newest turn of a conversation, of any user, with what was recorded", async () => {
    const id = "C0NEWEST";
    await turns.record(turn({ conversationId: id, question: "erste" }));
    await turns.record(
      turn({
        conversationId: id,
        userPseudonym: "p1_ffffffffffffffffffffffffffffffff",
        question: "und für Busse?",
        resolvedQuestion: "Welche Quote gilt für Busse?",
        docIds: ["saubere-fahrzeuge", "saubere-fahrzeuge", "ziel-fuhrpark"],
      }),
    );
    const last = await turns.last("slack", id);
    expect(last).toMatchObject({
      platform: "slack",
      conversationId: id,
      tenant: "musterstadt",
      userPseudonym: "p1_ffffffffffffffffffffffffffffffff",
      question: "und für Busse?",
      resolvedQuestion: "Welche Quote gilt für Busse?",
      answerKind: "answer",
      docIds: ["saubere-fahrzeuge", "ziel-fuhrpark"],
    });
    expect(last?.at).toBeInstanceOf(Date);
    expect(Math.abs((last?.at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it("keeps conversations and platforms apart", async () => {
    await turns.record(turn({ conversationId: "C0A", question: "in A" }));
    await turns.record(turn({ conversationId: "C0B", question: "in B" }));
    await turns.record(turn({ platform: "teams", conversationId: "C0A", question: "in A auf Teams" }));
    expect((await turns.last("slack", "C0A"))?.question).toBe("in A");
    expect((await turns.last("slack", "C0B"))?.question).toBe("in B");
    expect((await turns.last("teams", "C0A"))?.question).toBe("in A auf Teams");
  });

  it("newest first by time, not by insertion: an older turn recorded later does not win", async () => {
    const id = "C0ORDER";
    await turns.record(turn({ conversationId: id, question: "neu" }));
    await turns.record(turn({ conversationId: id, question: "alt" }));
    await age("alt", 1);
    expect((await turns.last("slack", id))?.question).toBe("neu");
  });

  it("with `since`, only a turn at or after it", async () => {
    const id = "C0SINCE";
    await turns.record(turn({ conversationId: id, question: "vor einer Stunde" }));
    await db.query(
      "UPDATE conversation_turns SET created_at = now() - interval '1 hour' WHERE question = 'vor einer Stunde'",
    );
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    expect(await turns.last("slack", id, tenMinutesAgo)).toBeUndefined();
    expect((await turns.last("slack", id, new Date(Date.now() - 2 * 3_600_000)))?.question).toBe(
      "vor einer Stunde",
    );
    expect((await turns.last("slack", id))?.question).toBe("vor einer Stunde");
    await turns.record(turn({ conversationId: id, question: "gerade eben" }));
    expect((await turns.last("slack", id, tenMinutesAgo))?.question).toBe("gerade eben");
  });

  it("bounds what it keeps: questions at 1,000 characters, at most 20 distinct documents", async () => {
    const id = "C0BOUNDS";
    const docIds = Array.from({ length: 30 }, (_, i) => `doc-${i}`);
    await turns.record(
      turn({ conversationId: id, question: "x".repeat(1500), resolvedQuestion: "y".repeat(1500), docIds }),
    );
    const last = await turns.last("slack", id);
    expect(last?.question).toHaveLength(1000);
    expect(last?.resolvedQuestion).toHaveLength(1000);
    expect(last?.docIds).toEqual(docIds.slice(0, 20));
  });

  it("purges turns older than the cut-off and says how many went", async () => {
    const id = "C0PURGE";
    await turns.record(turn({ conversationId: id, question: "abgelaufen 1" }));
    await turns.record(turn({ conversationId: id, question: "abgelaufen 2" }));
    await turns.record(turn({ conversationId: id, question: "frisch" }));
    await age("abgelaufen 1", 40);
    await age("abgelaufen 2", 31);
    expect(await turns.purge(new Date(Date.now() - 30 * 86_400_000))).toBe(2);
    expect((await turns.last("slack", id))?.question).toBe("frisch");
    const left = await db.query("SELECT 1 FROM conversation_turns WHERE question LIKE 'abgelaufen%'");
    expect(left.rows).toEqual([]);
    expect(await turns.purge(new Date(Date.now() - 30 * 86_400_000))).toBe(0);
  });
});

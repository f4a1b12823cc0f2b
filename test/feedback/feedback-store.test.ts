import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";
import { FEEDBACK_LIMITS, type Feedback, FeedbackStore } from "../../src/feedback/feedback-store.ts";

const rating: Feedback = {
  tenant: "musterstadt",
  platform: "slack",
  userId: "U0ERIKA01",
  conversationId: "C0NACHHALT",
  rating: "down",
  question: "Welche Kriterien gelten für die Beschaffung von Laptops?",
  docIds: ["it-hardware-beschaffung", "musterstadt-it-beschaffung"],
};

describe("FeedbackStore bounds what one rating stores", () => {
  let db: Database;
  let store: FeedbackStore;
  const rows = async () =>
    (
      await db.query<{ question: string; doc_ids: string[]; user_id: string }>(
        "SELECT question, doc_ids, user_id FROM feedback ORDER BY feedback_id",
      )
    ).rows;

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    store = new FeedbackStore(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it("stores an ordinary rating unchanged", async () => {
    await db.query("DELETE FROM feedback");
    await store.record(rating);
    expect(await rows()).toEqual([
      { question: rating.question, doc_ids: rating.docIds, user_id: "U0ERIKA01" },
    ]);
  });

  it("cuts a forged 100,026-character question to the bound and keeps its start", async () => {
    await db.query("DELETE FROM feedback");
    const forged = `${rating.question} ${"A".repeat(100_026 - rating.question.length - 1)}`;
    expect(forged).toHaveLength(100_026);
    await store.record({ ...rating, question: forged });
    const [row] = await rows();
    expect(Array.from(row?.question ?? "")).toHaveLength(FEEDBACK_LIMITS.questionChars);
    expect(row?.question.startsWith(rating.question)).toBe(true);
    expect(row?.question.endsWith("…")).toBe(true);
  });

  it("does not split a character made of two UTF-16 units when it cuts", async () => {
    await db.query("DELETE FROM feedback");
    await store.record({ ...rating, question: "🌱".repeat(FEEDBACK_LIMITS.questionChars + 5) });
    const [row] = await rows();
    expect(Array.from(row?.question ?? "")).toHaveLength(FEEDBACK_LIMITS.questionChars);
    expect(row?.question).toMatch(/^(🌱)+…$/u);
  });

  it("keeps at most the bounded number of distinct, short document ids", async () => {
    await db.query("DELETE FROM feedback");
    const many = Array.from({ length: 500 }, (_, i) => `dokument-${i}`);
    await store.record({
      ...rating,
      docIds: ["waermeplanung", "waermeplanung", "x".repeat(FEEDBACK_LIMITS.docIdChars + 1), "", ...many],
    });
    const [row] = await rows();
    expect(row?.doc_ids).toHaveLength(FEEDBACK_LIMITS.docIds);
    expect(row?.doc_ids.slice(0, 2)).toEqual(["waermeplanung", "dokument-0"]);
  });

  it("refuses user and conversation ids no platform sends, and stores nothing", async () => {
    await db.query("DELETE FROM feedback");
    const tooLongUser = store.record({ ...rating, userId: "U".repeat(FEEDBACK_LIMITS.userIdChars + 1) });
    await expect(tooLongUser).rejects.toBeInstanceOf(LotseError);
    await expect(tooLongUser).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(
      store.record({ ...rating, conversationId: "C".repeat(FEEDBACK_LIMITS.conversationIdChars + 1) }),
    ).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    expect(await rows()).toEqual([]);
  });
});

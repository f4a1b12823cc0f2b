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

describe("FeedbackStore annotates a 👎 only for its owner and forgets comments with the question", () => {
  let db: Database;
  let store: FeedbackStore;
  const PSEUDONYM = "ps_3f9a1c0e7b2d4a68";
  const own = { ...rating, userId: PSEUDONYM };
  const row = async (id: string) =>
    (
      await db.query<{
        reason: string | null;
        comment: string | null;
        commented_at: Date | null;
        question: string;
      }>("SELECT reason, comment, commented_at, question FROM feedback WHERE feedback_id = $1::bigint", [id])
    ).rows[0];

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    store = new FeedbackStore(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it("record returns the new rating's id", async () => {
    const a = await store.record(own);
    const b = await store.record(own);
    expect(a).toMatch(/^\d+$/);
    expect(Number(b)).toBe(Number(a) + 1);
  });

  it("stores reason, comment and commented_at for the owner", async () => {
    const id = await store.record(own);
    expect(
      await store.annotate(id, "musterstadt", PSEUDONYM, "veraltet", "Die Richtlinie ist von 2019."),
    ).toBe(true);
    const r = await row(id);
    expect(r).toMatchObject({ reason: "veraltet", comment: "Die Richtlinie ist von 2019." });
    expect(r?.commented_at).toBeInstanceOf(Date);
  });

  it("changes nothing for another user, another tenant, a 👍 or an unknown id", async () => {
    const id = await store.record(own);
    const up = await store.record({ ...own, rating: "up" });
    expect(await store.annotate(id, "musterstadt", "ps_0000000000000000", "falsch", "fremd")).toBe(false);
    expect(await store.annotate(id, "beispielhausen", PSEUDONYM, "falsch", "fremd")).toBe(false);
    expect(await store.annotate(up, "musterstadt", PSEUDONYM, "falsch", "fremd")).toBe(false);
    expect(await store.annotate("999999", "musterstadt", PSEUDONYM, "falsch", "fremd")).toBe(false);
    expect(await store.annotate("1 OR 1=1", "musterstadt", PSEUDONYM, "falsch", "fremd")).toBe(false);
    expect(await row(id)).toMatchObject({ reason: null, comment: null, commented_at: null });
    expect(await row(up)).toMatchObject({ reason: null, comment: null, commented_at: null });
  });

  it("refuses a reason the table does not know and a comment over the bound", async () => {
    const id = await store.record(own);
    await expect(
      store.annotate(id, "musterstadt", PSEUDONYM, "egal" as never, undefined),
    ).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(
      store.annotate(id, "musterstadt", PSEUDONYM, undefined, "x".repeat(FEEDBACK_LIMITS.commentChars + 1)),
    ).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    expect(await row(id)).toMatchObject({ reason: null, comment: null });
  });

  it("purgeQuestions blanks old questions and comments, keeps rating, reason and documents", async () => {
    await db.query("DELETE FROM feedback");
    const old = await store.record(own);
    const recent = await store.record(own);
    await store.annotate(
      old,
      "musterstadt",
      PSEUDONYM,
      "unvollstaendig",
      "Es fehlt die Schwelle für Kleinaufträge.",
    );
    await store.annotate(recent, "musterstadt", PSEUDONYM, "falsch", "Die Zahl stimmt nicht.");
    await db.query(
      "UPDATE feedback SET created_at = now() - interval '40 days' WHERE feedback_id = $1::bigint",
      [old],
    );
    expect(await store.purgeQuestions(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    const kept = await db.query<Record<string, unknown>>(
      "SELECT rating, reason, comment, question, doc_ids FROM feedback WHERE feedback_id = $1::bigint",
      [old],
    );
    expect(kept.rows[0]).toEqual({
      rating: "down",
      reason: "unvollstaendig",
      comment: null,
      question: "",
      doc_ids: rating.docIds,
    });
    expect(await row(recent)).toMatchObject({ comment: "Die Zahl stimmt nicht.", question: rating.question });
    // A comment added after the question was blanked goes at the next run.
    await store.annotate(old, "musterstadt", PSEUDONYM, "unvollstaendig", "Nachgetragen");
    expect(await store.purgeQuestions(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    expect((await row(old))?.comment).toBeNull();
  });

  it("downvoted lists a tenant's 👎 since a date with reason and comment, without who voted", async () => {
    await db.query("DELETE FROM feedback");
    const before = await store.record(own);
    await db.query("UPDATE feedback SET created_at = '2026-10-01T08:00:00Z' WHERE feedback_id = $1::bigint", [
      before,
    ]);
    const a = await store.record(own);
    await store.annotate(a, "musterstadt", PSEUDONYM, "nicht-meine-frage", "Ich meinte Dienstwagen.");
    await store.record({ ...own, question: "Wie hoch ist die Förderung für Lastenräder?", docIds: [] });
    await store.record({ ...own, rating: "up" });
    await store.record({ ...own, tenant: "beispielhausen" });
    const list = await store.downvoted("musterstadt", new Date("2026-11-01T00:00:00Z"));
    expect(list.map(({ createdAt, ...rest }) => rest)).toEqual([
      {
        question: rating.question,
        docIds: rating.docIds,
        reason: "nicht-meine-frage",
        comment: "Ich meinte Dienstwagen.",
      },
      { question: "Wie hoch ist die Förderung für Lastenräder?", docIds: [] },
    ]);
    expect(list.every((d) => d.createdAt instanceof Date)).toBe(true);
    expect(JSON.stringify(list)).not.toContain(PSEUDONYM);
  });
});

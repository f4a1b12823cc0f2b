import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import type { Turn } from "../../src/core/feature.ts";
import type { ActionInbound, InboundBase, SubmitInbound } from "../../src/core/inbound.ts";
import type { FormReply, NoticeReply, Reply } from "../../src/core/replies.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { encodeCommentState, encodeFeedback } from "../../src/feedback/feedback-codec.ts";
import { FeedbackFeature } from "../../src/feedback/feedback-feature.ts";
import { FEEDBACK_LIMITS, FeedbackStore } from "../../src/feedback/feedback-store.ts";
import { captureLogs, ROOT } from "../helpers.ts";

const TENANT = "musterstadt";
const ERIKA = { id: "U0ERIKA01", pseudonym: "ps_7d2c9e41a0b3f685" };
const JONAS = { id: "U0JONAS02", pseudonym: "ps_1b8e44c0d9a27f3e" };
const QUESTION = "Welche Kriterien gelten für die Beschaffung von Laptops?";
const DOCS = ["musterstadt-it-beschaffung", "it-hardware-beschaffung"];
const COMMENT = "Die Antwort nennt den Blauen Engel, aber nicht die neue Dienstanweisung vom Oktober.";

let db: Database;
let templates: Templates;
let feature: FeedbackFeature;
let logs: Record<string, unknown>[];

beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
  const captured = captureLogs();
  logs = captured.logs;
  feature = new FeedbackFeature({ store: new FeedbackStore(db), templates, log: captured.log });
});
afterAll(() => db.close());
beforeEach(async () => {
  await db.query("DELETE FROM feedback");
  logs.length = 0;
});

const base = (user: { id: string }): InboundBase => ({
  platform: "slack",
  externalTenantId: "T0MUSTER1",
  user,
  conversation: { id: "C0NACHHALT:1764590400.123456", kind: "thread", channel: "C0NACHHALT" },
  receivedAt: new Date("2026-12-02T09:15:00Z"),
});

function press(actionId: "feedback.up" | "feedback.down", who = ERIKA): Promise<Reply[]> {
  const inbound: ActionInbound = {
    ...base(who),
    kind: "action",
    actionId,
    value: encodeFeedback({ question: QUESTION, docIds: DOCS }),
  };
  expect(feature.owns(inbound)).toBe(true);
  return feature.handle({ inbound, tenant: TENANT, user: who.pseudonym } satisfies Turn);
}

function submit(
  state: string | undefined,
  values: SubmitInbound["values"],
  who = ERIKA,
  tenant = TENANT,
): Promise<Reply[]> {
  const inbound: SubmitInbound = {
    ...base(who),
    kind: "submit",
    formId: "feedback.comment",
    values,
    ...(state !== undefined ? { state } : {}),
  };
  expect(feature.owns(inbound)).toBe(true);
  return feature.handle({ inbound, tenant, user: who.pseudonym });
}

const formOf = (replies: Reply[]) => {
  const form = replies.find((r): r is FormReply => r.kind === "form");
  if (!form) throw new Error(`no form among ${JSON.stringify(replies)}`);
  return form.form;
};
const onlyNotice = (replies: Reply[]): NoticeReply => {
  expect(replies).toHaveLength(1);
  expect(replies[0]?.kind).toBe("notice");
  return replies[0] as NoticeReply;
};

const rows = async () =>
  (
    await db.query<{ rating: string; reason: string | null; comment: string | null; commented: boolean }>(
      "SELECT rating, reason, comment, commented_at IS NOT NULL AS commented FROM feedback ORDER BY feedback_id",
    )
  ).rows;

/** Nothing a user wrote appears in any log line. */
const logsKeepTextsOut = () => {
  const all = JSON.stringify(logs);
  for (const text of [QUESTION, COMMENT, "Blauen Engel", "Dienstanweisung"]) expect(all).not.toContain(text);
};

describe("👎 opens the comment form", () => {
  it("stores the 👎, then answers with the form and a private thanks", async () => {
    const replies = await press("feedback.down");
    expect(replies.map((r) => r.kind)).toEqual(["form", "notice"]);
    expect(replies[1]).toEqual({ kind: "notice", text: templates.render("feedback-thanks"), private: true });
    const [stored] = (
      await db.query<{ id: string; user_id: string; rating: string }>(
        "SELECT feedback_id::text AS id, user_id, rating FROM feedback",
      )
    ).rows;
    expect(stored).toMatchObject({ user_id: ERIKA.pseudonym, rating: "down" });
    const form = formOf(replies);
    expect(form).toEqual({
      id: "feedback.comment",
      title: "Was hat nicht gepasst?",
      intro: templates.label("feedback-comment-intro"),
      fields: [
        {
          id: "reason",
          type: "select",
          label: "Grund",
          options: [
            { value: "falsch", label: "Falsch" },
            { value: "veraltet", label: "Veraltet" },
            { value: "unvollstaendig", label: "Unvollständig" },
            { value: "nicht-meine-frage", label: "Nicht meine Frage" },
          ],
        },
        {
          id: "comment",
          type: "longtext",
          label: "Kommentar (freiwillig)",
          hint: expect.stringContaining("personenbezogenen Daten"),
          maxLength: 500,
        },
      ],
      submitLabel: "Senden",
      state: encodeCommentState(stored?.id as string),
    });
    expect(form.fields.some((f) => f.required)).toBe(false);
    expect(logs.find((l) => l.event === "feedback")).toMatchObject({
      rating: "down",
      feedbackId: stored?.id,
    });
    logsKeepTextsOut();
  });

  it("👍 stays a thanks notice, without a form", async () => {
    expect(await press("feedback.up")).toEqual([
      { kind: "notice", text: templates.render("feedback-thanks"), private: true },
    ]);
    expect((await rows()).map((r) => r.rating)).toEqual(["up"]);
  });
});

describe("submitting the comment form", () => {
  it("stores reason and comment on the rating and thanks privately", async () => {
    const form = formOf(await press("feedback.down"));
    const replies = await submit(form.state, {
      reason: "veraltet",
      comment: `  ${COMMENT}\r\n\r\n\r\n\r\nDanke.  `,
    });
    expect(onlyNotice(replies)).toEqual({
      kind: "notice",
      text: templates.label("feedback-comment-thanks"),
      private: true,
    });
    expect(await rows()).toEqual([
      { rating: "down", reason: "veraltet", comment: `${COMMENT}\n\nDanke.`, commented: true },
    ]);
    expect(logs.find((l) => l.event === "feedback_comment")).toMatchObject({
      reason: "veraltet",
      commented: true,
      tenant: TENANT,
    });
    logsKeepTextsOut();
  });

  it("stores a reason alone, and a comment alone", async () => {
    const first = formOf(await press("feedback.down"));
    const second = formOf(await press("feedback.down"));
    await submit(first.state, { reason: "unvollstaendig", comment: "" });
    await submit(second.state, { comment: "Es fehlt die Wertgrenze." });
    expect(await rows()).toEqual([
      { rating: "down", reason: "unvollstaendig", comment: null, commented: true },
      { rating: "down", reason: null, comment: "Es fehlt die Wertgrenze.", commented: true },
    ]);
  });

  it("removes control characters and bidi overrides from the comment", async () => {
    const form = formOf(await press("feedback.down"));
    await submit(form.state, {
      comment: "Frist\u0000 falsch\u0007:\u202E 31.3.\u202C\tnicht 30.6.\u001B[31m",
    });
    expect((await rows())[0]?.comment).toBe("Frist falsch: 31.3. nicht 30.6.[31m");
  });

  it("an empty submission is thanked and stores nothing", async () => {
    const form = formOf(await press("feedback.down"));
    const replies = await submit(form.state, { reason: "", comment: "   \n  " });
    expect(onlyNotice(replies).text).toBe(templates.render("feedback-thanks"));
    expect(await rows()).toEqual([{ rating: "down", reason: null, comment: null, commented: false }]);
  });

  it("an over-long comment shows the form again with its error and the text kept, storing nothing", async () => {
    const form = formOf(await press("feedback.down"));
    const long = `${COMMENT} ${"Bitte ergänzen. ".repeat(40)}`.trim();
    expect(Array.from(long).length).toBeGreaterThan(FEEDBACK_LIMITS.commentChars);
    const replies = await submit(form.state, { reason: "falsch", comment: long });
    expect(replies).toHaveLength(1);
    const again = formOf(replies);
    expect(again.errors).toEqual({ comment: "Bitte kürzen Sie Ihren Kommentar auf höchstens 500 Zeichen." });
    expect(again.state).toBe(form.state);
    expect(again.fields.find((f) => f.id === "comment")).toMatchObject({ initial: long });
    expect(again.fields.find((f) => f.id === "reason")).toMatchObject({ initial: "falsch" });
    expect(await rows()).toEqual([{ rating: "down", reason: null, comment: null, commented: false }]);
    // 500 characters exactly, each two UTF-16 units, are within the bound.
    const emoji = "🌱".repeat(FEEDBACK_LIMITS.commentChars);
    expect(onlyNotice(await submit(form.state, { comment: emoji })).text).toBe(
      templates.label("feedback-comment-thanks"),
    );
    logsKeepTextsOut();
  });

  it("a reason the form does not offer shows the form again with its error", async () => {
    const form = formOf(await press("feedback.down"));
    const again = formOf(await submit(form.state, { reason: "beleidigend", comment: "Stimmt nicht." }));
    expect(again.errors).toEqual({ reason: "Bitte wählen Sie einen der angebotenen Gründe." });
    expect(again.fields.find((f) => f.id === "comment")).toMatchObject({ initial: "Stimmt nicht." });
    expect((await rows())[0]?.reason).toBeNull();
  });
});

describe("a forged or foreign state annotates nothing", () => {
  const refused = labelLater("feedback-comment-not-found");

  it.each([
    ["no state", undefined],
    ["not Lotse's JSON", "feedback:1"],
    ["a negative id", JSON.stringify({ v: 1, f: "-1" })],
    ["an id that is SQL", JSON.stringify({ v: 1, f: "1 OR 1=1" })],
    ["an unknown id", encodeCommentState("424242")],
  ])("%s → a German notice, a REQUEST_INVALID warning, nothing stored", async (_, state) => {
    await press("feedback.down");
    const replies = await submit(state, { reason: "falsch", comment: COMMENT });
    expect(onlyNotice(replies)).toEqual({ kind: "notice", text: refused(), private: true });
    expect((await rows())[0]).toMatchObject({ reason: null, comment: null, commented: false });
    expect(logs.filter((l) => l.code === "REQUEST_INVALID")).toHaveLength(1);
    logsKeepTextsOut();
  });

  it("another user's state (the id of Erika's 👎 submitted by Jonas) is refused", async () => {
    const erikas = formOf(await press("feedback.down", ERIKA));
    const replies = await submit(erikas.state, { reason: "falsch", comment: COMMENT }, JONAS);
    expect(onlyNotice(replies).text).toBe(refused());
    expect(await rows()).toEqual([{ rating: "down", reason: null, comment: null, commented: false }]);
    expect(logs.find((l) => l.code === "REQUEST_INVALID")).toMatchObject({ feedbackId: expect.any(String) });
    logsKeepTextsOut();
  });

  it("the same user in another tenant is refused", async () => {
    const form = formOf(await press("feedback.down"));
    expect(onlyNotice(await submit(form.state, { reason: "falsch" }, ERIKA, "beispielhausen")).text).toBe(
      refused(),
    );
    expect((await rows())[0]?.reason).toBeNull();
  });

  it("the id of a 👍 is refused", async () => {
    await press("feedback.up");
    const [up] = (await db.query<{ id: string }>("SELECT feedback_id::text AS id FROM feedback")).rows;
    const replies = await submit(encodeCommentState(up?.id as string), { reason: "falsch" });
    expect(onlyNotice(replies).text).toBe(refused());
    expect((await rows())[0]).toMatchObject({ rating: "up", reason: null });
  });
});

/** A label read once the templates are loaded (describe bodies run before beforeAll). */
function labelLater(name: "feedback-comment-not-found"): () => string {
  return () => templates.label(name);
}

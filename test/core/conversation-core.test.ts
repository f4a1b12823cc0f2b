import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type {
  ActionInbound,
  ConversationAddress,
  Inbound,
  JoinedInbound,
  MessageInbound,
} from "../../src/core/inbound.ts";
import type { AnswerReply, NoticeReply, Reply } from "../../src/core/replies.ts";
import { encodeFeedback, FEEDBACK_ACTIONS } from "../../src/feedback/feedback-codec.ts";
import type { Runtime } from "../../src/runtime.ts";
import { fixtureRuntime } from "../helpers.ts";

const MAPPED = "T0MUSTER";
const UNMAPPED = "T0FREMD";

let rt: Runtime;
beforeAll(async () => {
  rt = await fixtureRuntime({ LOTSE_TENANT_MAP: `slack:${MAPPED}=musterstadt` });
});
afterAll(() => rt.close());
afterEach(() => vi.restoreAllMocks());

let seq = 0;
/** A fresh conversation per test, so turns and references of one test do not leak into another. */
const conversation = (kind: ConversationAddress["kind"] = "personal"): ConversationAddress => {
  const channel = `C0TEST${++seq}`;
  return { id: `${channel}${kind === "thread" ? ":1764064790.000100" : ""}`, kind, channel };
};
const base = (extra: Partial<Inbound> = {}) => ({
  platform: "slack" as const,
  externalTenantId: MAPPED,
  user: { id: `U0TEST${seq}` },
  conversation: conversation(),
  reference: { channel: "C0TEST", thread_ts: "1764064790.000100" },
  receivedAt: new Date(),
  ...extra,
});
const message = (text: string, extra: Partial<MessageInbound> = {}): MessageInbound => ({
  ...base(),
  kind: "message",
  text,
  ...extra,
});
const action = (actionId: string, value: string, extra: Partial<ActionInbound> = {}): ActionInbound => ({
  ...base(),
  kind: "action",
  actionId,
  value,
  ...extra,
});
const joined = (extra: Partial<JoinedInbound> = {}): JoinedInbound => ({
  ...base(),
  kind: "joined",
  scope: "team",
  ...extra,
});

const QUESTION = "Ab welchem Betrag brauche ich den Nachhaltigkeitscheck bei einer Bestellung?";
const answerOf = (replies: Reply[]): AnswerReply => {
  expect(replies.map((r) => r.kind)).toEqual(["answer"]);
  return replies[0] as AnswerReply;
};
const noticeOf = (replies: Reply[]): NoticeReply => {
  expect(replies.map((r) => r.kind)).toEqual(["notice"]);
  return replies[0] as NoticeReply;
};
const feedbackRows = async (conversationId: string) =>
  (
    await rt.db.query<{ user_id: string; rating: string; question: string; doc_ids: string[] }>(
      "SELECT user_id, rating, question, doc_ids FROM feedback WHERE conversation_id = $1",
      [conversationId],
    )
  ).rows;

describe("ConversationCore: tenants", () => {
  it("resolves the tenant once per input and hands it to the feature", async () => {
    const resolve = vi.spyOn(rt.tenancy, "resolve");
    const out = await rt.core.handle(message(QUESTION));
    expect(out.tenant).toBe("musterstadt");
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(answerOf(out.replies).view.answer.text).toContain("10.000 Euro");
  });

  it("refuses a message from an unmapped workspace with the refusal notice", async () => {
    const out = await rt.core.handle(message(QUESTION, { externalTenantId: UNMAPPED }));
    expect(out.tenant).toBeUndefined();
    const n = noticeOf(out.replies);
    expect(n.text).toBe(rt.templates.render("error-tenant-unknown"));
    expect(n.private).toBeFalsy();
  });

  it("refuses an action from an unmapped workspace privately, and a join with nothing", async () => {
    const value = encodeFeedback({ question: QUESTION, docIds: ["musterstadt-nachhaltigkeitscheck"] });
    const a = action(FEEDBACK_ACTIONS.up, value, { externalTenantId: UNMAPPED });
    const n = noticeOf((await rt.core.handle(a)).replies);
    expect(n).toMatchObject({ text: rt.templates.render("error-tenant-unknown"), private: true });
    expect(await feedbackRows(a.conversation.id)).toEqual([]);
    const j = await rt.core.handle(joined({ externalTenantId: UNMAPPED }));
    expect(j).toEqual({ replies: [] });
  });

  it("stays silent to an unaddressed message from an unmapped workspace", async () => {
    const out = await rt.core.handle(
      message(QUESTION, {
        externalTenantId: UNMAPPED,
        addressed: false,
        conversation: conversation("thread"),
      }),
    );
    expect(out.replies).toEqual([]);
  });
});

describe("ConversationCore: whether Lotse takes part", () => {
  it("ignores an unaddressed message in a channel thread where Lotse has no turn", async () => {
    const out = await rt.core.handle(
      message(QUESTION, { addressed: false, conversation: conversation("thread") }),
    );
    expect(out.replies).toEqual([]);
  });

  it("ignores an unaddressed message outside a thread", async () => {
    const out = await rt.core.handle(
      message(QUESTION, { addressed: false, conversation: conversation("channel") }),
    );
    expect(out.replies).toEqual([]);
  });

  it("answers an unaddressed message in a thread where Lotse has answered, read with the turn before", async () => {
    const thread = conversation("thread");
    await rt.core.handle(
      message("Wie viele Dienstwagen sollen bis 2030 emissionsfrei sein?", { conversation: thread }),
    );
    const out = await rt.core.handle(message("und bis wann?", { addressed: false, conversation: thread }));
    expect(answerOf(out.replies).view.answer.kind).toBe("answer");
    const turn = await rt.turns.last("slack", thread.id);
    expect(turn).toMatchObject({
      question: "und bis wann?",
      resolvedQuestion: "Wie viele Dienstwagen sollen bis 2030 emissionsfrei sein: bis wann?",
    });
  });

  it("takes thanks in a thread as thanks, not as a follow-up to the turn before", async () => {
    const thread = conversation("thread");
    const user = { id: "U0THANKFUL" };
    await rt.core.handle(message(QUESTION, { conversation: thread, user }));
    const out = await rt.core.handle(message("Danke!", { addressed: false, conversation: thread, user }));
    expect(noticeOf(out.replies).text).toBe(rt.templates.render("thanks"));
  });
});

describe("ConversationCore: conversation references", () => {
  it("keeps the reference of a conversation it serves, with the tenant", async () => {
    const m = message(QUESTION);
    await rt.core.handle(m);
    expect(await rt.conversations.get("slack", m.conversation.id)).toMatchObject({
      tenant: "musterstadt",
      externalTenantId: MAPPED,
      kind: "personal",
      reference: m.reference,
    });
  });

  it("keeps no reference for a refused or an ignored input", async () => {
    const refused = message(QUESTION, { externalTenantId: UNMAPPED });
    await rt.core.handle(refused);
    expect(await rt.conversations.get("slack", refused.conversation.id)).toBeUndefined();
    const ignored = message(QUESTION, { addressed: false, conversation: conversation("thread") });
    await rt.core.handle(ignored);
    expect(await rt.conversations.get("slack", ignored.conversation.id)).toBeUndefined();
  });
});

describe("ConversationCore: feedback", () => {
  it("stores a rating with the user's pseudonym, never the platform id, and thanks privately", async () => {
    const value = encodeFeedback({ question: QUESTION, docIds: ["musterstadt-nachhaltigkeitscheck"] });
    const a = action(FEEDBACK_ACTIONS.down, value, { user: { id: "U0RATER" } });
    const replies = (await rt.core.handle(a)).replies;
    expect(replies.find((r) => r.kind === "notice")).toEqual({
      kind: "notice",
      text: rt.templates.render("feedback-thanks"),
      private: true,
    });
    // After 👎 the form for a reason and an optional comment.
    expect(replies.some((r) => r.kind === "form" && r.form.id === "feedback.comment")).toBe(true);
    const rows = await feedbackRows(a.conversation.id);
    expect(rows).toEqual([
      {
        user_id: rt.pseudonyms.of("slack", "U0RATER"),
        rating: "down",
        question: QUESTION,
        doc_ids: ["musterstadt-nachhaltigkeitscheck"],
      },
    ]);
    expect(rows[0]?.user_id).toMatch(/^p1_[0-9a-f]{32}$/);
    const raw = await rt.db.query("SELECT 1 FROM feedback WHERE user_id = $1", ["U0RATER"]);
    expect(raw.rows).toEqual([]);
  });

  it("refuses a forged value: no row, no reply", async () => {
    for (const forged of [
      "not json",
      JSON.stringify({ q: "", d: [] }),
      `{"q":"${"x".repeat(2100)}","d":[]}`,
    ]) {
      const a = action(FEEDBACK_ACTIONS.up, forged);
      expect((await rt.core.handle(a)).replies, forged.slice(0, 20)).toEqual([]);
      expect(await feedbackRows(a.conversation.id)).toEqual([]);
    }
  });
});

describe("ConversationCore: failures", () => {
  it("turns a failing feature into an apology naming the default contact", async () => {
    vi.spyOn(rt.router, "answerFor").mockRejectedValueOnce(new Error("database gone"));
    const n = noticeOf((await rt.core.handle(message(QUESTION))).replies);
    expect(n.text).toContain("Entschuldigung");
    expect(n.text).toContain("Dr. Anna Grün");
    expect(n.contacts).toMatchObject({
      heading: rt.templates.label("heading-contacts-help"),
      contacts: [{ name: "Dr. Anna Grün", email: "nachhaltigkeit@musterstadt.example" }],
    });
    expect(n.private).toBe(false);
  });

  it("apologises privately for a failing action", async () => {
    vi.spyOn(rt.feedback, "record").mockRejectedValueOnce(new Error("database gone"));
    const value = encodeFeedback({ question: QUESTION, docIds: [] });
    const n = noticeOf((await rt.core.handle(action(FEEDBACK_ACTIONS.up, value))).replies);
    expect(n.text).toContain("Dr. Anna Grün");
    expect(n.private).toBe(true);
  });

  it("answers with the restart notice when the signal is aborted", async () => {
    const ctl = new AbortController();
    ctl.abort();
    const out = await rt.core.handle(message(QUESTION), ctl.signal);
    expect(noticeOf(out.replies).text).toBe(rt.templates.render("notice-restarting"));
  });

  it("answers with the restart notice when the signal is aborted while the feature works", async () => {
    const ctl = new AbortController();
    const answerFor = rt.router.answerFor.bind(rt.router);
    vi.spyOn(rt.router, "answerFor").mockImplementationOnce(async (m, t) => {
      ctl.abort();
      return answerFor(m, t);
    });
    const out = await rt.core.handle(message(QUESTION), ctl.signal);
    expect(noticeOf(out.replies).text).toBe(rt.templates.render("notice-restarting"));
  });
});

describe("ConversationCore: help, welcome and the automated-assistant notice", () => {
  const AI = () => rt.templates.label("ai-notice");

  it("shows the help for 'hilfe' and for an empty message", async () => {
    for (const text of ["hilfe", "Hilfe", "", "  "]) {
      const out = await rt.core.handle(message(text));
      expect(out.replies, JSON.stringify(text)).toEqual([
        { kind: "card", card: { sections: [{ text: rt.templates.render("help") }] } },
      ]);
    }
  });

  it("welcomes a member who joins with the notice, and then gives the first answer without it", async () => {
    const user = { id: "U0JOINED" };
    const out = await rt.core.handle(joined({ user }));
    expect(out.replies).toHaveLength(1);
    const welcome = out.replies[0];
    if (welcome?.kind !== "card") return expect.unreachable("a welcome card");
    const texts = welcome.card.sections.map((x) => x.text);
    expect(texts[0]).toBe(rt.templates.render("welcome"));
    expect(texts).toContain(AI());
    // The fixture knowledge has no onboarding path: no offer, and nothing is started by itself.
    expect(welcome.card.buttons ?? []).toEqual([]);
    const first = answerOf((await rt.core.handle(message(QUESTION, { user }))).replies);
    expect(first.view.notice).toBeUndefined();
  });

  it("gives a user who never saw the welcome the notice exactly once, on the first answer", async () => {
    const user = { id: "U0NEWCOMER" };
    const first = answerOf((await rt.core.handle(message(QUESTION, { user }))).replies);
    expect(first.view.notice).toBe(AI());
    expect(AI()).toContain("automatisierter Assistent");
    for (const again of [
      message(QUESTION, { user }),
      message(QUESTION, { user, conversation: conversation() }),
    ])
      expect(answerOf((await rt.core.handle(again)).replies).view.notice).toBeUndefined();
  });

  it("counts the notice per platform: the same id on Teams is another user", async () => {
    const user = { id: "U0BOTH" };
    await rt.core.handle(message(QUESTION, { user }));
    const teams = await rt.core.handle(
      message(QUESTION, { user, platform: "teams", externalTenantId: undefined, tenant: "musterstadt" }),
    );
    expect(answerOf(teams.replies).view.notice).toBe(AI());
  });
});

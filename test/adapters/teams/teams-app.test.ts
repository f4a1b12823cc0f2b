import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Reply } from "../../../src/core/replies.ts";
import { decodeFeedback } from "../../../src/feedback/feedback-codec.ts";
import { waitUntil } from "../../fakes/neutral.ts";
import { CREDENTIALS, fixture, post, TENANT } from "../../fakes/teams-activities.ts";
import { FakeConnector } from "../../fakes/teams-connector.ts";
import { startLotse } from "../../fakes/teams-harness.ts";

// A POST to /api/messages is answered only once its turn is done, replies included (they are posted inside the
// request): right after `await post(...)` the fake connector has recorded everything the turn sent, so "nothing was
// sent" needs no sleep. Replies are still awaited with connector.waitFor (bounded) where a count is expected.

type Card = {
  body: { type: string; text?: string; actions?: { type: string; url?: string; title?: string }[] }[];
  actions?: { type: string; verb?: string; data?: Record<string, unknown> }[];
  version: string;
};

const cardOf = (call: { body: Record<string, unknown> }): Card =>
  ((call.body.attachments as { content: Card }[] | undefined)?.[0]?.content ?? {
    body: [],
    version: "",
  }) as Card;
const cardText = (card: Card): string =>
  card.body.map((b) => b.text ?? (b.actions ?? []).map((a) => `${a.title} ${a.url}`).join(" ")).join("\n");

describe("Teams adapter over HTTP (no credentials, local trial)", () => {
  const connector = new FakeConnector();
  let lotse: Awaited<ReturnType<typeof startLotse>>;

  beforeAll(async () => {
    await connector.start();
    lotse = await startLotse({});
  });
  afterEach(() => connector.reset());
  afterAll(async () => {
    await new Promise((r) => lotse.server.close(r));
    await lotse.rt.close();
    await connector.stop();
  });

  it("answers an @mention in a channel thread with a card: sources, next steps, contacts, feedback", async () => {
    const activity = await fixture("channel-mention", connector.url);
    const res = await post(lotse.base, activity);
    expect(res.status).toBe(200);
    await connector.waitFor(2);
    const [typing, reply] = connector.calls;
    expect(typing?.body.type).toBe("typing");
    // Same thread: the reply goes to the thread's conversation id, in reply to the mention.
    expect(reply?.path).toBe(
      "/v3/conversations/19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764064790000/activities/1764064800123",
    );
    const card = cardOf(reply as never);
    expect(card.version).toBe("1.5");
    const text = cardText(card);
    expect(text).toContain("Quellen");
    expect(text).toMatch(/Nachhaltige Beschaffung von IT-Hardware/);
    expect(text).toContain("Nächste Schritte");
    expect(text).toContain("https://intranet.musterstadt.example/");
    expect(text).toContain("Ansprechpersonen");
    expect(text).toContain("mailto:thomas.berger@musterstadt.example");
    // Parentheses of the knowledge are shown as they are: Teams' card markdown gives them no meaning.
    expect(text).toContain("Thomas Berger (Zentrale Vergabestelle (Fachbereich 10 – Zentrale Dienste))");
    expect(text).not.toContain("\\(");
    expect(text).toContain(
      "https://teams.microsoft.com/l/chat/0/0?users=thomas.berger%40musterstadt.example",
    );
    const feedback = card.actions?.filter((a) => a.type === "Action.Execute") ?? [];
    expect(feedback.map((a) => a.verb)).toEqual(["feedback.up", "feedback.down"]);
    expect(card.actions?.map((a) => (a as { title?: string }).title)).toEqual([
      lotse.rt.templates.label("button-feedback-up"),
      lotse.rt.templates.label("button-feedback-down"),
    ]);
    // The mention is stripped from the question.
    expect(decodeFeedback(feedback[0]?.data?.value as string)?.question).toBe(
      "Welche Kriterien gelten für die Beschaffung von Laptops?",
    );
    // Extractive answers carry no AI-generated label.
    expect(JSON.stringify(reply?.body.entities ?? [])).not.toContain("AIGeneratedContent");
  });

  it("answers in a personal chat and in a group chat, and stores the conversation references", async () => {
    await post(lotse.base, await fixture("personal-message", connector.url));
    await post(lotse.base, await fixture("group-message", connector.url));
    await connector.waitFor(4);
    const replies = connector.messages();
    expect(replies).toHaveLength(2);
    expect(cardText(cardOf(replies[0] as never))).toMatch(/30\. Juni 2026/);
    expect(cardText(cardOf(replies[1] as never))).toMatch(/1\.000 km|Bahn/);
    const refs = await lotse.rt.db.query<{ kind: string; tenant: string }>(
      "SELECT kind, tenant FROM conversation_refs ORDER BY kind",
    );
    expect(refs.rows).toEqual(
      expect.arrayContaining([
        { kind: "group", tenant: "musterstadt" },
        { kind: "personal", tenant: "musterstadt" },
      ]),
    );
  });

  it("stores only what a proactive message needs (no names), and nothing for an id no Teams service sends", async () => {
    const original = await fixture("personal-message", connector.url);
    const name = "Erika Mustermann ".repeat(12_000);
    const bloated = await fixture("personal-message", connector.url, {
      from: { ...(original.from as object), name },
      recipient: { ...(original.recipient as object), name },
      conversation: { ...(original.conversation as object), name, properties: { note: name } },
    });
    expect((await post(lotse.base, bloated)).status).toBe(200);
    await connector.waitFor(2);
    const conversationId = (original.conversation as { id: string }).id;
    const stored = await lotse.rt.db.query<{ reference: unknown }>(
      "SELECT reference FROM conversation_refs WHERE conversation_id = $1",
      [conversationId],
    );
    expect(stored.rows[0]?.reference).toEqual({
      serviceUrl: connector.url,
      channelId: "msteams",
      conversation: {
        id: conversationId,
        conversationType: "personal",
        tenantId: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10",
      },
      agent: { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" },
      user: {
        id: "29:1Xk9f2mZC0aR8bq7V5eP3wYtUjL6nHsD",
        aadObjectId: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
      },
      activityId: "1764064900456",
      locale: "de-DE",
    });
    // A conversation id of kilobytes: answered, not stored, and said so.
    connector.reset();
    lotse.logs.length = 0;
    const longId = `a:${"x".repeat(4000)}`;
    const odd = await fixture("personal-message", connector.url, {
      conversation: { ...(original.conversation as object), id: longId },
    });
    expect((await post(lotse.base, odd)).status).toBe(200);
    await connector.waitFor(2);
    expect(connector.messages()).toHaveLength(1);
    expect(
      (await lotse.rt.db.query("SELECT 1 FROM conversation_refs WHERE conversation_id = $1", [longId])).rows,
    ).toHaveLength(0);
    expect(lotse.logs.find((l) => l.reason === "reference_unusable")).toMatchObject({ level: 40 });
  });

  it("welcomes a member who joins and an installation, never the bot itself", async () => {
    // The bot's own membersAdded and an app upgrade go first: answered without a turn, they send nothing.
    const botOnly = await fixture("members-added", connector.url, {
      membersAdded: [{ id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" }],
    });
    expect((await post(lotse.base, botOnly)).status).toBe(200);
    const upgrade = await fixture("installation-update", connector.url, { action: "add-upgrade" });
    expect((await post(lotse.base, upgrade)).status).toBe(200);
    expect((await post(lotse.base, await fixture("members-added", connector.url))).status).toBe(200);
    expect((await post(lotse.base, await fixture("installation-update", connector.url))).status).toBe(200);
    // Waited for are the welcomes themselves (each turn also asks the connector for the member first).
    await waitUntil(() => connector.delivered().length >= 2, "the two welcomes");
    const welcomes = connector.messages();
    // Into the team's channel for the join, the personal chat for the installation; nothing for the bot or upgrade.
    expect(welcomes.map((w) => w.path.split("/")[3])).toEqual([
      "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2",
      "a:1pQ7wZ3xN9mK2vB5cR8tY4uE6iO0aS1dF3gH5jK7lZ9xC2vB4nM6qW8eR0tY2uI4oP6aS8dF0gH2jK4lZ6xC8vB0nM2qW4eR6tY8uI0oP",
    ]);
    for (const w of welcomes) {
      expect(cardText(cardOf(w as never))).toContain("Willkommen");
      // The welcome carries the automated-assistant notice (first contact).
      expect(cardText(cardOf(w as never))).toContain("automatisierter Assistent");
    }
  });

  it("records 👍/👎 from Action.Execute with the question and the cited documents, old cards' buttons too", async () => {
    // A card posted before the conversation core (verb "feedback") and one of today (verb "feedback.up").
    // 👎 (the old card's verb): the comment form is the invoke's card, shown to the user who pressed alone.
    const down = await post(lotse.base, await fixture("card-action-feedback", connector.url));
    expect(down.status).toBe(200);
    const form = (await down.json()) as { statusCode: number; type: string; value: unknown };
    expect(form).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(JSON.stringify(form.value)).toContain("Input.");
    expect(JSON.stringify(form.value)).toContain("feedback.comment");
    // 👍: the thanks as the invoke's message.
    const up = await post(lotse.base, await fixture("card-action-execute", connector.url));
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: lotse.rt.templates.render("feedback-thanks"),
    });
    const rows = await lotse.rt.db.query<{
      rating: string;
      question: string;
      doc_ids: string[];
      tenant: string;
      user_id: string;
    }>("SELECT rating, question, doc_ids, tenant, user_id FROM feedback ORDER BY rating");
    expect(rows.rows.map(({ user_id: _, ...r }) => r)).toEqual([
      {
        rating: "down",
        question: "Bis wann muss die Wärmeplanung fertig sein?",
        doc_ids: ["waermeplanung"],
        tenant: "musterstadt",
      },
      {
        rating: "up",
        question: "Bis wann muss die Wärmeplanung fertig sein?",
        doc_ids: ["waermeplanung"],
        tenant: "musterstadt",
      },
    ]);
    // Stored under the user's pseudonym, never the Entra object id.
    expect(JSON.stringify(rows.rows)).not.toContain("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f");
    // Both went to the user who pressed, in the invoke's responses: nothing was posted into the conversation (the
    // responses come after the turn is done, so there is nothing left to wait for).
    expect(connector.messages()).toHaveLength(0);
  });

  it("answers „hilfe“ and a bare @mention with the help card", async () => {
    await post(lotse.base, await fixture("personal-message", connector.url, { text: "hilfe" }));
    await post(lotse.base, await fixture("channel-mention", connector.url, { text: "<at>Lotse</at>" }));
    await connector.waitFor(4);
    const help = connector.messages().map((m) => cardText(cardOf(m as never)));
    expect(help).toHaveLength(2);
    for (const h of help) expect(h).toContain("So helfe ich Ihnen");
  });

  it("posts a form answering a message as a card, and replaces it with the confirmation card on submission", async () => {
    const thread = "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764065100321";
    const seen: unknown[] = [];
    const form: Reply = {
      kind: "form",
      form: {
        id: "reminder.create",
        title: "Erinnerung anlegen",
        submitLabel: "Speichern",
        state: '{"v":1,"tz":"Europe/Berlin"}',
        fields: [
          { id: "text", type: "text", label: "Text", required: true, initial: "Indikatoren melden" },
          { id: "when", type: "text", label: "Wann", required: true },
          { id: "target", type: "conversation", label: "Kanal", defaultToCurrent: true },
        ],
      },
    };
    const confirmation: Reply = {
      kind: "card",
      card: {
        title: "Erinnerung gespeichert",
        sections: [{ text: "Nächster Termin: Montag, 4. Januar 2027" }],
      },
    };
    const spy = vi.spyOn(lotse.rt.core, "handle").mockImplementation(async (inbound) => {
      seen.push(inbound);
      return { tenant: "musterstadt", replies: [inbound.kind === "submit" ? confirmation : form] };
    });
    await post(
      lotse.base,
      await fixture("channel-mention", connector.url, { text: "<at>Lotse</at> erinnerung jeden Montag" }),
    );
    const submitted = await post(lotse.base, await fixture("teams-reminder-submit", connector.url));
    spy.mockRestore();
    const [posted] = connector.messages();
    expect(connector.messages()).toHaveLength(1);
    const card = cardOf(posted as never);
    expect(card.actions).toEqual([
      expect.objectContaining({
        type: "Action.Execute",
        verb: "reminder.create",
        data: {
          formId: "reminder.create",
          state: '{"v":1,"tz":"Europe/Berlin"}',
          conversationFields: ["target"],
        },
      }),
    ]);
    expect(JSON.stringify(card.body)).not.toContain('"target"');
    expect(await submitted.json()).toMatchObject({
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
      value: {
        body: [{ text: "Erinnerung gespeichert" }, { text: "Nächster Termin: Montag, 4. Januar 2027" }],
      },
    });
    expect(seen[1]).toMatchObject({
      kind: "submit",
      formId: "reminder.create",
      values: { target: thread, when: "jeden ersten Montag im Monat um 9 Uhr" },
    });
    // The confirmation replaced the form: nothing further was posted.
    expect(connector.messages()).toHaveLength(1);
  });

  it("returns an update from an action as the invoke's card, and a form submission's errors in place", async () => {
    const seen: unknown[] = [];
    const update: Reply = { kind: "update", card: { sections: [{ text: "Pausiert bis 1. April." }] } };
    const form: Reply = {
      kind: "form",
      form: {
        id: "reminder.create",
        title: "Erinnerung anlegen",
        submitLabel: "Anlegen",
        fields: [{ id: "date", type: "date", label: "Datum", required: true }],
        errors: { date: "Das Datum liegt in der Vergangenheit." },
      },
    };
    const spy = vi.spyOn(lotse.rt.core, "handle").mockImplementation(async (inbound) => {
      seen.push(inbound);
      return { tenant: "musterstadt", replies: [inbound.kind === "submit" ? form : update] };
    });
    const pause = await fixture("card-action-execute", connector.url, {
      value: { action: { type: "Action.Execute", verb: "reminder.pause", data: { value: "r1" } } },
    });
    const paused = await post(lotse.base, pause);
    const submitted = await post(lotse.base, await fixture("form-submit", connector.url));
    spy.mockRestore();
    expect(await paused.json()).toMatchObject({
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
      value: { type: "AdaptiveCard", version: "1.5", body: [{ text: "Pausiert bis 1. April." }] },
    });
    const again = (await submitted.json()) as { type: string; value: Card };
    expect(again.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(again.value)).toContain("Das Datum liegt in der Vergangenheit.");
    expect(seen).toMatchObject([
      { kind: "action", actionId: "reminder.pause", value: "r1", source: "1764064902000" },
      { kind: "submit", formId: "reminder.create", state: '{"v":1}', values: { date: "2026-03-31" } },
    ]);
    expect(connector.calls).toHaveLength(0);
  });

  it("acknowledges unknown invokes and activities it does not handle quietly", async () => {
    const unknownInvoke = await fixture("card-action-feedback", connector.url, {
      name: "composeExtension/query",
      value: {},
    });
    expect((await post(lotse.base, unknownInvoke)).status).toBe(200);
    const reaction = await fixture("personal-message", connector.url, {
      type: "messageReaction",
      text: undefined,
      reactionsAdded: [{ type: "like" }],
    });
    expect((await post(lotse.base, reaction)).status).toBe(200);
    const update = await fixture("personal-message", connector.url, { type: "messageUpdate" });
    expect((await post(lotse.base, update)).status).toBe(200);
    expect(connector.calls).toHaveLength(0);
  });

  it("stays silent in a channel when it is not @mentioned, unless it answered in that thread before", async () => {
    const channel = (await fixture("channel-mention", connector.url)).conversation as object;
    const unaddressed = await fixture("channel-mention", connector.url, {
      text: "Kann jemand die Wärmeplanung erklären?",
      entities: [],
      conversation: {
        ...channel,
        id: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764069999999",
      },
    });
    expect((await post(lotse.base, unaddressed)).status).toBe(200);
    const root = await fixture("channel-mention", connector.url, {
      text: "Kann jemand die Wärmeplanung erklären?",
      entities: [],
      conversation: { ...channel, id: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2" },
    });
    expect((await post(lotse.base, root)).status).toBe(200);
    const group = await fixture("group-message", connector.url, { text: "Wer kommt mit?", entities: [] });
    expect((await post(lotse.base, group)).status).toBe(200);
    expect(connector.calls).toHaveLength(0);
    // A follow-up without @mention in a thread Lotse answered in is answered (no typing: it may not be for Lotse).
    await post(lotse.base, await fixture("channel-mention", connector.url));
    await connector.waitFor(2);
    connector.reset();
    expect((await post(lotse.base, await fixture("channel-reply-unaddressed", connector.url))).status).toBe(
      200,
    );
    await connector.waitFor(1);
    expect(connector.calls.map((c) => c.body.type)).toEqual(["message"]);
    expect(connector.calls[0]?.path).toContain("/activities/1764064810456");
  });

  it("labels answers generated by an LLM as AI-generated", async () => {
    const real = lotse.rt.router.answerFor.bind(lotse.rt.router);
    const spy = vi
      .spyOn(lotse.rt.router, "answerFor")
      .mockImplementationOnce(async (msg, tenant) => ({ ...(await real(msg, tenant)), generatedBy: "llm" }));
    await post(lotse.base, await fixture("personal-message", connector.url));
    await connector.waitFor(2);
    spy.mockRestore();
    expect(JSON.stringify(connector.messages()[0]?.body.entities)).toContain("AIGeneratedContent");
  });

  it("answers malformed or empty bodies with 400, not 500", async () => {
    expect((await post(lotse.base, "{not json")).status).toBe(400);
    // Rejected bodies are logged by code, never quoted.
    expect(JSON.stringify(lotse.logs)).not.toContain("not json");
    expect(lotse.logs.some((l) => l.code === "REQUEST_INVALID" && l.level === 40)).toBe(true);
    expect((await post(lotse.base, "")).status).toBe(400);
    expect((await post(lotse.base, {})).status).toBe(400);
    expect((await post(lotse.base, { type: "message" })).status).toBe(400);
    // Fields of the wrong type: the SDK's own validation would otherwise end in a 500.
    const typed = await fixture("personal-message", connector.url, { text: 5, entities: "x" });
    expect((await post(lotse.base, typed)).status).toBe(400);
    expect((await post(lotse.base, { type: "message", conversation: { id: 5 } })).status).toBe(400);
  });

  it("turns an error while answering into an apology card with the default contact, and keeps serving", async () => {
    const spy = vi
      .spyOn(lotse.rt.assistant, "answer")
      .mockRejectedValueOnce(new Error("Datenbank weg (simuliert)"));
    await post(lotse.base, await fixture("personal-message", connector.url));
    await connector.waitFor(2);
    spy.mockRestore();
    const text = cardText(cardOf(connector.messages()[0] as never));
    expect(text).toContain("Entschuldigung");
    expect(text).toContain("Julia Sommer");
    expect(lotse.logs.some((l) => l.code === "INTERNAL" && l.level === 50)).toBe(true);
    connector.reset();
    await post(lotse.base, await fixture("personal-message", connector.url));
    await connector.waitFor(2);
    expect(cardText(cardOf(connector.messages()[0] as never))).toContain("Quellen");
  });

  it("logs a reply the connector rejects with its status and the conversation", async () => {
    connector.failFor = { pathIncludes: "/activities/1764065000789", status: 403 };
    expect((await post(lotse.base, await fixture("group-message", connector.url))).status).toBe(200);
    const line = lotse.logs.find((l) => l.code === "TEAMS_SEND_FAILED");
    expect(line).toMatchObject({
      status: 403,
      conversation: "19:meeting_Njk4ZTI1YzctMzBhYi00ZjE0LWI2NzItNDk3YjE1ZDc0N2Uw@thread.v2",
    });
  });

  it("sends proactively through the Notifier: into a stored conversation and as a new channel thread", async () => {
    await post(lotse.base, await fixture("channel-mention", connector.url));
    await post(lotse.base, await fixture("personal-message", connector.url));
    await connector.waitFor(4);
    connector.reset();
    const personal =
      "a:1pQ7wZ3xN9mK2vB5cR8tY4uE6iO0aS1dF3gH5jK7lZ9xC2vB4nM6qW8eR0tY2uI4oP6aS8dF0gH2jK4lZ6xC8vB0nM2qW4eR6tY8uI0oP";
    // Registered where the Teams app is created, for the core's features to reach.
    expect(lotse.rt.notifiers.get("teams")).toBe(lotse.teams.notifier);
    // The Teams roster next to it, for authorisation.
    expect(lotse.rt.rosters.get("teams")).toBe(lotse.teams.roster);
    expect(
      await lotse.teams.notifier.send(
        { kind: "conversation", conversationId: personal },
        { kind: "notice", text: "Erinnerung: Indikatoren bis 31. März melden." },
      ),
    ).toEqual({ ok: true, conversationId: personal });
    expect(connector.calls[0]?.path).toContain(`/v3/conversations/${personal}/activities`);
    expect(cardText(cardOf(connector.calls[0] as never))).toBe(
      "Erinnerung: Indikatoren bis 31. März melden.",
    );
    const thread = await lotse.teams.notifier.send(
      {
        kind: "new-thread",
        channelConversationId: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764064790000",
      },
      {
        kind: "card",
        card: {
          title: "Neue Frist",
          sections: [{ facts: [{ label: "Produktblätter", value: "bis 30. September" }] }],
          buttons: [{ label: "Pausieren", actionId: "reminder.pause", value: "r1" }],
        },
      },
    );
    const create = connector.calls.find((c) => c.path === "/v3/conversations");
    expect(create?.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2" } },
      activity: {
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            content: {
              body: [
                { text: "Neue Frist" },
                { type: "FactSet", facts: [{ title: "Produktblätter", value: "bis 30. September" }] },
              ],
              actions: [{ type: "Action.Execute", verb: "reminder.pause", data: { value: "r1" } }],
            },
          },
        ],
      },
    });
    expect(thread).toMatchObject({
      ok: true,
      conversationId: expect.stringMatching(/^19:new@thread\.tacv2;messageid=/),
    });
    await expect(
      lotse.teams.notifier.send(
        { kind: "conversation", conversationId: "19:unbekannt" },
        { kind: "notice", text: "x" },
      ),
    ).rejects.toMatchObject({ code: "CONVERSATION_UNKNOWN" });
  });

  it("reports a conversation Lotse was removed from as gone, and throws on other failures", async () => {
    await post(lotse.base, await fixture("group-message", connector.url));
    await connector.waitFor(2);
    const group = "19:meeting_Njk4ZTI1YzctMzBhYi00ZjE0LWI2NzItNDk3YjE1ZDc0N2Uw@thread.v2";
    const reminder = { kind: "notice", text: "Erinnerung" } as const;
    for (const [status, code] of [
      [403, "BotNotInConversationRoster"],
      [404, "ConversationNotFound"],
    ] as const) {
      connector.reset();
      connector.failFor = { pathIncludes: `/v3/conversations/${group}/activities`, status, code };
      expect(
        await lotse.teams.notifier.send({ kind: "conversation", conversationId: group }, reminder),
      ).toEqual({
        ok: false,
        reason: "gone",
      });
      expect(connector.calls).toHaveLength(1);
    }
    expect(lotse.logs.filter((l) => l.event === "conversation_gone").map((l) => l.reason)).toEqual([
      "BotNotInConversationRoster",
      "ConversationNotFound",
    ]);
    // A 403 for another reason (Lotse's own permissions) and a server error are failures, not "gone".
    for (const [status, code] of [
      [403, "Forbidden"],
      [400, "BadArgument"],
    ] as const) {
      connector.reset();
      connector.failFor = { pathIncludes: `/v3/conversations/${group}/activities`, status, code };
      await expect(
        lotse.teams.notifier.send({ kind: "conversation", conversationId: group }, reminder),
      ).rejects.toMatchObject({ code: "TEAMS_SEND_FAILED", details: { status } });
    }
  });
});

describe("Teams adapter: tenant allowlist", () => {
  const connector = new FakeConnector();
  let lotse: Awaited<ReturnType<typeof startLotse>>;

  beforeAll(async () => {
    await connector.start();
    lotse = await startLotse({ LOTSE_TENANT_MAP: "teams:11111111-2222-4333-8444-555555555555=musterstadt" });
  });
  afterAll(async () => {
    await new Promise((r) => lotse.server.close(r));
    await lotse.rt.close();
    await connector.stop();
  });

  it("refuses a message from an unmapped Entra tenant politely, logs it, and answers nothing from knowledge", async () => {
    await post(lotse.base, await fixture("personal-message", connector.url));
    await connector.waitFor(2);
    const reply = connector.messages()[0];
    const text = cardText(cardOf(reply as never));
    expect(text).toContain("nicht freigeschaltet");
    expect(text).not.toContain("Quellen");
    expect(lotse.logs.find((l) => l.code === "TENANT_UNKNOWN")).toMatchObject({ externalTenantId: TENANT });
    const refs = await lotse.rt.db.query("SELECT 1 FROM conversation_refs");
    expect(refs.rows).toHaveLength(0);
  });

  it("refuses 👍/👎 from an unmapped Entra tenant to the user who pressed, records nothing, welcomes no one", async () => {
    connector.reset();
    const res = await post(lotse.base, await fixture("card-action-feedback", connector.url));
    expect(await res.json()).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: lotse.rt.templates.render("error-tenant-unknown"),
    });
    expect((await post(lotse.base, await fixture("members-added", connector.url))).status).toBe(200);
    expect((await lotse.rt.db.query("SELECT 1 FROM feedback")).rows).toHaveLength(0);
    // The member's email may be looked up (a GET), but nothing is posted: no welcome into a foreign tenant.
    expect(connector.messages()).toHaveLength(0);
  });
});

describe("Teams adapter with Bot credentials", () => {
  let lotse: Awaited<ReturnType<typeof startLotse>>;

  beforeAll(async () => {
    lotse = await startLotse(CREDENTIALS);
  });
  afterAll(async () => {
    await new Promise((r) => lotse.server.close(r));
    await lotse.rt.close();
  });

  it("rejects a missing, malformed or forged token with 401", async () => {
    const activity = await fixture("personal-message", "http://127.0.0.1:9/");
    expect((await post(lotse.base, activity)).status).toBe(401);
    expect((await post(lotse.base, activity, { authorization: "Bearer kein.echtes.token" })).status).toBe(
      401,
    );
    // A well-formed token signed by someone else, for another audience.
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const forged = `${b64({ alg: "RS256", typ: "JWT", kid: "gefaelscht" })}.${b64({
      aud: "00000000-0000-0000-0000-000000000000",
      iss: "https://api.botframework.com",
      exp: Math.floor(Date.now() / 1000) + 600,
    })}.${Buffer.from("signatur").toString("base64url")}`;
    expect((await post(lotse.base, activity, { authorization: `Bearer ${forged}` })).status).toBe(401);
  });
});

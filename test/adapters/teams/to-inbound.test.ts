import { Activity } from "@microsoft/agents-activity";
import { describe, expect, it } from "vitest";
import { toInbound } from "../../../adapters/teams/to-inbound.ts";
import { decodeFeedback, encodeFeedback } from "../../../src/feedback/feedback-codec.ts";
import { fixture } from "../../fakes/teams-activities.ts";

const SERVICE_URL = "https://smba.trafficmanager.net/emea/";
const NOW = new Date("2026-11-25T10:05:00.000Z");
const TENANT = "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10";
const ERIKA = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const PERSONAL =
  "a:1pQ7wZ3xN9mK2vB5cR8tY4uE6iO0aS1dF3gH5jK7lZ9xC2vB4nM6qW8eR0tY2uI4oP6aS8dF0gH2jK4lZ6xC8vB0nM2qW4eR6tY8uI0oP";
const CHANNEL = "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2";
const GROUP = "19:meeting_Njk4ZTI1YzctMzBhYi00ZjE0LWI2NzItNDk3YjE1ZDc0N2Uw@thread.v2";
const THREAD = "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764064790000";
const REMINDER_THREAD = "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2;messageid=1764065100321";

async function inboundOf(name: string, patch: Record<string, unknown> = {}) {
  return toInbound(Activity.fromObject(await fixture(name, SERVICE_URL, patch)), NOW);
}

describe("Teams to-inbound on recorded activities", () => {
  it("a personal message: addressed, user by Entra object id, the bounded reference", async () => {
    expect(await inboundOf("personal-message")).toEqual({
      kind: "message",
      platform: "teams",
      externalTenantId: TENANT,
      user: { id: ERIKA, name: "Erika Mustermann" },
      conversation: { id: PERSONAL, kind: "personal", channel: PERSONAL },
      reference: {
        serviceUrl: SERVICE_URL,
        channelId: "msteams",
        conversation: { id: PERSONAL, conversationType: "personal", tenantId: TENANT },
        agent: { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" },
        // Both ids of the user: the personal chat is found by the Entra object id (TeamsNotifier's user target).
        user: { id: "29:1Xk9f2mZC0aR8bq7V5eP3wYtUjL6nHsD", aadObjectId: ERIKA },
        activityId: "1764064900456",
        locale: "de-DE",
      },
      receivedAt: NOW,
      text: "Bis wann muss die Wärmeplanung fertig sein?",
      addressed: true,
    });
  });

  it("an @mention in a channel thread: addressed, the mention removed, the reply chain as a thread", async () => {
    const activity = Activity.fromObject(await fixture("channel-mention", SERVICE_URL));
    const inbound = toInbound(activity, NOW);
    expect(inbound).toMatchObject({
      kind: "message",
      text: "Welche Kriterien gelten für die Beschaffung von Laptops?",
      addressed: true,
      conversation: { id: THREAD, kind: "thread", channel: CHANNEL },
    });
    // The activity itself is left as it came.
    expect(activity.text).toContain("<at>Lotse</at>");
  });

  it("a group chat message with the mention is addressed; without it, or in a channel thread without, it is not", async () => {
    expect(await inboundOf("group-message")).toMatchObject({
      kind: "message",
      addressed: true,
      text: "Darf ich für eine Dienstreise nach München fliegen?",
      // A group chat has no reply chains: it is its own channel, where its reminders are posted.
      conversation: { id: GROUP, kind: "group", channel: GROUP },
    });
    expect(await inboundOf("group-message", { entities: [], text: "Wer kommt mit?" })).toMatchObject({
      addressed: false,
      text: "Wer kommt mit?",
    });
    expect(await inboundOf("channel-reply-unaddressed")).toMatchObject({
      kind: "message",
      addressed: false,
      text: "Und für Busse?",
      conversation: { id: THREAD, kind: "thread", channel: CHANNEL },
    });
    // Someone else mentioned is no mention of Lotse.
    const other = await inboundOf("channel-mention", {
      text: "<at>Max</at> schau mal",
      entities: [{ type: "mention", mentioned: { id: "29:max", name: "Max" }, text: "<at>Max</at>" }],
    });
    expect(other).toMatchObject({ addressed: false, text: "<at>Max</at> schau mal" });
  });

  it("a member who joins a team: joined, as that member, in the channel; the bot's own join is nothing", async () => {
    expect(await inboundOf("members-added")).toMatchObject({
      kind: "joined",
      scope: "team",
      user: { id: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d" },
      conversation: { id: CHANNEL, kind: "channel", channel: CHANNEL },
      externalTenantId: TENANT,
    });
    expect(
      await inboundOf("members-added", { membersAdded: [{ id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" }] }),
    ).toBeUndefined();
    expect(
      await inboundOf("members-added", { membersAdded: undefined, membersRemoved: [{ id: "29:x" }] }),
    ).toBe(undefined);
  });

  it("an installation: installed on add, nothing on add-upgrade or remove", async () => {
    expect(await inboundOf("installation-update")).toMatchObject({
      kind: "installed",
      user: { id: ERIKA },
      conversation: { kind: "personal" },
    });
    expect(await inboundOf("installation-update", { action: "add-upgrade" })).toBeUndefined();
    expect(await inboundOf("installation-update", { action: "remove" })).toBeUndefined();
  });

  it("a button's Action.Execute: action id from the verb, value from data.value, the card's message as source", async () => {
    expect(await inboundOf("card-action-execute")).toMatchObject({
      kind: "action",
      actionId: "feedback.up",
      value: '{"q":"Bis wann muss die Wärmeplanung fertig sein?","d":["waermeplanung"]}',
      source: "1764064902000",
      conversation: { id: PERSONAL, kind: "personal" },
      user: { id: ERIKA },
    });
  });

  it("the 👍/👎 of cards posted before the core: feedback.up/down with the codec's one value format", async () => {
    const legacy = await inboundOf("card-action-feedback");
    expect(legacy).toMatchObject({ kind: "action", actionId: "feedback.down", source: "1764064901000" });
    const value = (legacy as { value: string }).value;
    expect(value).toBe(
      encodeFeedback({ question: "Bis wann muss die Wärmeplanung fertig sein?", docIds: ["waermeplanung"] }),
    );
    expect(decodeFeedback(value)).toEqual({
      question: "Bis wann muss die Wärmeplanung fertig sein?",
      docIds: ["waermeplanung"],
    });
    // A forged legacy payload is no action at all.
    const base = await fixture("card-action-feedback", SERVICE_URL);
    const forged = {
      ...(base.value as object),
      action: { type: "Action.Execute", verb: "feedback", data: { action: "feedback", rating: "meh" } },
    };
    expect(await inboundOf("card-action-feedback", { value: forged })).toBeUndefined();
  });

  it("a form's Action.Execute: the form id, its state and the Input values (strings only)", async () => {
    expect(await inboundOf("form-submit")).toMatchObject({
      kind: "submit",
      formId: "reminder.create",
      state: '{"v":1}',
      source: "1764064903000",
      values: {
        title: "Indikatoren melden",
        date: "2026-03-31",
        time: "09:00",
        repeat: "monthly",
        who: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
        note: "",
      },
    });
    const inbound = await inboundOf("form-submit");
    expect(Object.keys((inbound as { values: object }).values)).not.toContain("formId");
  });

  it("a reminder form submitted in a channel thread: its conversation field is the thread it was submitted in", async () => {
    expect(await inboundOf("teams-reminder-submit")).toEqual({
      kind: "submit",
      platform: "teams",
      externalTenantId: TENANT,
      user: { id: ERIKA, name: "Erika Mustermann" },
      conversation: { id: REMINDER_THREAD, kind: "thread", channel: CHANNEL },
      reference: expect.objectContaining({ conversation: expect.objectContaining({ id: REMINDER_THREAD }) }),
      receivedAt: NOW,
      source: "1764065100321",
      formId: "reminder.create",
      state: '{"v":1,"tz":"Europe/Berlin"}',
      values: {
        text: "Indikatoren für den Nachhaltigkeitsbericht melden",
        link: "https://intranet.musterstadt.example/nachhaltigkeit/indikatoren",
        when: "jeden ersten Montag im Monat um 9 Uhr",
        date: "2027-03-31",
        time: "09:00",
        repeat: "monthly",
        target: REMINDER_THREAD,
      },
    });
  });

  it("a conversation field is always the current conversation: a value sent for it is replaced, a reserved id ignored", async () => {
    const base = await fixture("teams-reminder-submit", SERVICE_URL);
    const action = (base.value as { action: { data: Record<string, unknown> } }).action;
    const inbound = await inboundOf("teams-reminder-submit", {
      value: {
        action: {
          ...action,
          data: {
            ...action.data,
            target: "19:fremder-kanal@thread.tacv2",
            conversationFields: ["target", "formId", 7, ""],
          },
        },
        trigger: "manual",
      },
    });
    const values = (inbound as { values: Record<string, unknown> }).values;
    expect(values.target).toBe(REMINDER_THREAD);
    expect(Object.keys(values)).not.toContain("formId");
    expect(Object.keys(values)).not.toContain("conversationFields");
    expect(Object.keys(values)).not.toContain("");
  });

  it("other invokes, reactions and edits are nothing to translate", async () => {
    expect(await inboundOf("card-action-feedback", { name: "composeExtension/query", value: {} })).toBe(
      undefined,
    );
    expect(await inboundOf("card-action-feedback", { value: { action: { verb: 5 } } })).toBeUndefined();
    expect(await inboundOf("personal-message", { type: "messageReaction" })).toBeUndefined();
    expect(await inboundOf("personal-message", { type: "messageUpdate" })).toBeUndefined();
  });

  it("leaves the reference out when an id no Teams service sends would be stored", async () => {
    const base = await fixture("personal-message", SERVICE_URL);
    const inbound = await inboundOf("personal-message", {
      conversation: { ...(base.conversation as object), id: `a:${"x".repeat(4000)}` },
    });
    expect(inbound).toMatchObject({ kind: "message" });
    expect(inbound?.reference).toBeUndefined();
  });
});

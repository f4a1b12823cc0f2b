import { describe, expect, it } from "vitest";
import {
  actionToInbound,
  commandToInbound,
  flattenViewState,
  homeDmOf,
  homeMetadata,
  homeToInbound,
  memberJoinedToInbound,
  messageToInbound,
  modalMetadata,
  parseModalMetadata,
  type SlackCommand,
  submissionToInbound,
  teamJoinToInbound,
} from "../../../adapters/slack/to-inbound.ts";
import { slackUserObject } from "../../fakes/slack-api.ts";
import { fixture } from "../../fakes/slack-events.ts";
import { ERIKA, homeAction, memberJoined, OTHER_BOT, teamJoin } from "./join-payloads.ts";

const now = new Date("2025-11-25T10:00:00Z");
const ctx = { teamId: "T0MUSTER1", botUserId: "U0LOTSE01", now };
const event = async (name: string) => JSON.parse(await fixture(name)).event;
const payload = async (name: string) =>
  JSON.parse(await fixture(name, { "{{responseUrl}}": "https://hooks.slack.com/actions/T0/1/x" }));
const command = async (replace: Record<string, string> = {}): Promise<SlackCommand> => {
  const form = new URLSearchParams(
    await fixture("slash-command.form", { "{{responseUrl}}": "x", ...replace }),
  );
  return Object.fromEntries(form) as unknown as SlackCommand;
};

describe("Slack events as Inbound", () => {
  it("turns a top-level app_mention into an addressed message in the thread it starts", async () => {
    expect(messageToInbound(await event("app-mention.json"), ctx)).toEqual({
      kind: "message",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0ERIKA01" },
      conversation: { id: "C0NACHHALT:1764064800.000100", kind: "channel", channel: "C0NACHHALT" },
      text: "Welche Kriterien gelten für die Beschaffung von Laptops?",
      receivedAt: now,
    });
  });

  it("turns a mention inside a thread into a message of that thread", async () => {
    const inbound = messageToInbound(await event("app-mention-thread.json"), ctx);
    expect(inbound).toMatchObject({
      conversation: { id: "C0NACHHALT:1764065000.000200", kind: "thread", channel: "C0NACHHALT" },
      text: "Bis wann muss die Wärmeplanung fertig sein?",
    });
    expect(inbound?.addressed).toBeUndefined();
    // A channel thread's reference is its id: nothing is stored for each thread.
    expect(inbound?.reference).toBeUndefined();
  });

  it("marks a thread reply without a mention as not addressed: the core decides whether it is a follow-up", async () => {
    expect(messageToInbound(await event("thread-followup.json"), ctx)).toMatchObject({
      kind: "message",
      conversation: { id: "C0NACHHALT:1764064800.000100", kind: "thread", channel: "C0NACHHALT" },
      text: "Und welches Gütezeichen darf ich dafür verlangen?",
      addressed: false,
    });
    const mentioned = { ...(await event("thread-followup.json")), text: "<@U0LOTSE01> und für Busse?" };
    expect(messageToInbound(mentioned, ctx)?.addressed).toBeUndefined();
  });

  it("turns a DM into an addressed message of the personal conversation, Slack's &lt; &gt; &amp; undone", async () => {
    const dm = { ...(await event("message-im.json")), text: "Gilt &lt;10.000 Euro &amp; mehr?" };
    expect(messageToInbound(dm, ctx)).toMatchObject({
      conversation: { id: "D0ERIKALOT", kind: "personal", channel: "D0ERIKALOT" },
      reference: { channel: "D0ERIKALOT" },
      user: { id: "U0ERIKA01" },
      text: "Gilt <10.000 Euro & mehr?",
    });
    expect(messageToInbound(dm, ctx)?.addressed).toBeUndefined();
  });

  it("takes no edits, joins or other subtypes", async () => {
    expect(messageToInbound({ ...(await event("message-im.json")), subtype: "message_changed" }, ctx)).toBe(
      undefined,
    );
    expect(messageToInbound(await event("message-im-bot-message.json"), ctx)).toBe(undefined);
  });

  it("turns the Home tab into a home input in the app's DM", async () => {
    expect(homeToInbound(await event("app-home-opened.json"), ctx)).toEqual({
      kind: "home",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0ERIKA01" },
      conversation: { id: "D0ERIKALOT", kind: "personal", channel: "D0ERIKALOT" },
      reference: { channel: "D0ERIKALOT" },
      receivedAt: now,
    });
  });
});

describe("/lotse as Inbound", () => {
  it("is a private message, its text trimmed; alone it is empty (the core answers with help)", async () => {
    expect(commandToInbound(await command(), { ...ctx, botUserId: undefined })).toEqual({
      kind: "message",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0ERIKA01" },
      conversation: { id: "C0NACHHALT", kind: "channel", channel: "C0NACHHALT" },
      reference: { channel: "C0NACHHALT" },
      text: "Ab welchem Betrag brauche ich den Nachhaltigkeitscheck?",
      private: true,
      receivedAt: now,
    });
    const empty = await command({
      "text=Ab+welchem+Betrag+brauche+ich+den+Nachhaltigkeitscheck%3F": "text=+",
    });
    expect(commandToInbound(empty, ctx)).toMatchObject({ text: "", private: true });
  });
});

describe("block_actions as Inbound", () => {
  it("carries the action id, its value and the message it was on as an opaque source", async () => {
    const body = await payload("block-actions-feedback-up.json");
    expect(actionToInbound(body, body.actions[0], ctx)).toEqual({
      kind: "action",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0MAX00001", name: "max.muster" },
      conversation: { id: "C0NACHHALT:1764065000.000200", kind: "thread", channel: "C0NACHHALT" },
      reference: { channel: "C0NACHHALT", threadTs: "1764065000.000200" },
      actionId: "feedback.up",
      value: '{"q":"Bis wann muss die Wärmeplanung fertig sein?","d":["waermeplanung"]}',
      source: JSON.stringify({ channel: "C0NACHHALT", ts: "1764065101.000350" }),
      receivedAt: now,
    });
  });

  it("maps the ids of buttons posted before the core, with their values unchanged", async () => {
    const feedback = await payload("block-actions-feedback.json");
    expect(actionToInbound(feedback, feedback.actions[0], ctx)).toMatchObject({
      actionId: "feedback.down",
      value: feedback.actions[0].value,
    });
    const share = await payload("block-actions-share.json");
    expect(actionToInbound(share, share.actions[0], ctx)).toMatchObject({
      actionId: "answer.share",
      value: "Bis wann muss die Wärmeplanung fertig sein?",
      conversation: { id: "C0NACHHALT", kind: "channel", channel: "C0NACHHALT" },
      source: JSON.stringify({ channel: "C0NACHHALT", ts: "1764065300.000600", ephemeral: true }),
    });
    expect(
      actionToInbound(feedback, { ...feedback.actions[0], action_id: "feedback_up" }, ctx)?.actionId,
    ).toBe("feedback.up");
  });

  it("takes a reminder button from a list card as its core id, with its value and ephemeral source", async () => {
    const body = await payload("slack-reminder-pause-action.json");
    expect(actionToInbound(body, body.actions[0], ctx)).toMatchObject({
      kind: "action",
      actionId: "reminder.pause",
      value: "r:8f3c2a",
      user: { id: "U0JULIA01" },
      conversation: { id: "C0NACHHALT", kind: "channel", channel: "C0NACHHALT" },
      source: JSON.stringify({ channel: "C0NACHHALT", ts: "1764070500.000300", ephemeral: true }),
    });
  });

  it("takes neither link buttons nor ids Lotse does not know", async () => {
    const body = await payload("block-actions-unknown.json");
    expect(actionToInbound(body, body.actions[0], ctx)).toBe(undefined);
    expect(actionToInbound(body, { action_id: "next_step_0" }, ctx)).toBe(undefined);
    expect(actionToInbound(body, { action_id: "link_2" }, ctx)).toBe(undefined);
  });
});

describe("view_submission as Inbound", () => {
  it("carries the form id, the values by field id and the form's state", async () => {
    expect(submissionToInbound(await payload("view-submission-form.json"), ctx)).toEqual({
      kind: "submit",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0ERIKA01", name: "erika.mustermann" },
      conversation: { id: "C0NACHHALT:1764064800.000100", kind: "thread", channel: "C0NACHHALT" },
      reference: { channel: "C0NACHHALT", threadTs: "1764064800.000100" },
      formId: "reminder.create",
      values: {
        title: "Indikatoren für den Nachhaltigkeitsbericht melden",
        details: undefined,
        date: "2026-03-31",
        time: "09:30",
        repeat: "monthly",
        channel: "C0NACHHALT",
        owner: "U0MAX00001",
      },
      state: "rem:42",
      source: JSON.stringify({ view: "V0REMIND02" }),
      receivedAt: now,
    });
  });

  it("reads a modal Lotse did not open: block_id.action_id where a block has other action ids, raw metadata as state", async () => {
    const body = await payload("view-submission.json");
    body.view.private_metadata = "fremd";
    expect(submissionToInbound(body, ctx)).toMatchObject({
      formId: "reminder_create",
      values: { title: "Indikatoren für den Nachhaltigkeitsbericht melden" },
      state: "fremd",
      conversation: { id: "U0ERIKA01", kind: "personal", channel: "U0ERIKA01" },
    });
    expect(
      flattenViewState({
        values: {
          b: {
            x: { type: "multi_users_select", selected_users: ["U1", "U2"] },
            y: { type: "checkboxes", selected_options: [{ value: "a" }] },
          },
        },
      }),
    ).toEqual({ "b.x": ["U1", "U2"], "b.y": ["a"] });
  });

  it("reads every element type of a reminder modal opened from the Home tab as strings by field id", async () => {
    const inbound = submissionToInbound(await payload("slack-reminder-create-submission.json"), ctx);
    expect(inbound).toEqual({
      kind: "submit",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0JULIA01", name: "julia.sommer" },
      // No channel in the metadata: opened outside a conversation, so the user's own (the DM with Lotse).
      conversation: { id: "U0JULIA01", kind: "personal", channel: "U0JULIA01" },
      formId: "reminder.create",
      values: {
        text: "Indikatoren für den Nachhaltigkeitsbericht melden (Vorlage im Intranet)",
        link: "https://intranet.musterstadt.example/nachhaltigkeit/bericht",
        when: "jährlich am 31.3. um 10 Uhr",
        date: "2026-03-31",
        time: "10:00",
        repeat: "yearly",
        target: "C0BERICHT1",
        notify: undefined,
      },
      state: "c1:nachhaltigkeitsbericht-2026",
      source: JSON.stringify({ view: "V0REMIND07" }),
      receivedAt: now,
    });
    for (const v of Object.values(inbound.values)) expect(["string", "undefined"]).toContain(typeof v);
  });

  it("reads empty optional pickers as undefined, never as an empty string", () => {
    expect(
      flattenViewState({
        values: {
          date: { date: { type: "datepicker", selected_date: null } },
          time: { time: { type: "timepicker", selected_time: null } },
          repeat: { repeat: { type: "static_select", selected_option: null } },
          target: { target: { type: "conversations_select", selected_conversation: null } },
          who: { who: { type: "users_select", selected_user: "" } },
          text: { text: { type: "plain_text_input", value: "" } },
        },
      }),
    ).toEqual({
      date: undefined,
      time: undefined,
      repeat: undefined,
      target: undefined,
      who: undefined,
      text: undefined,
    });
  });

  it("round-trips the modal's metadata", () => {
    const m = { state: "s", channel: "C0NACHHALT", threadTs: "1.2" };
    expect(parseModalMetadata(modalMetadata(m))).toEqual(m);
    expect(parseModalMetadata("")).toEqual({});
  });
});

describe("Slack joins and Home tab buttons as Inbound", () => {
  it("turns team_join into a workspace join in the user's DM, with name and email", () => {
    const inbound = teamJoinToInbound(teamJoin(ERIKA) as never, ctx, "D0ERIKALOT");
    expect(inbound).toEqual({
      kind: "joined",
      scope: "workspace",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0ERIKA01", name: "Erika Mustermann", email: "erika.mustermann@musterstadt.de" },
      conversation: { id: "D0ERIKALOT", kind: "personal", channel: "D0ERIKALOT" },
      reference: { channel: "D0ERIKALOT" },
      receivedAt: now,
    });
  });

  it("has no email without users:read.email, and addresses the user id where the DM is not open", () => {
    const inbound = teamJoinToInbound(teamJoin({ ...ERIKA, email: undefined }) as never, ctx);
    expect(inbound?.user).toEqual({ id: "U0ERIKA01", name: "Erika Mustermann" });
    expect(inbound?.conversation).toEqual({ id: "U0ERIKA01", kind: "personal", channel: "U0ERIKA01" });
  });

  it("welcomes no bot, no Slackbot and not Lotse itself on team_join", () => {
    expect(teamJoinToInbound(teamJoin(OTHER_BOT) as never, ctx)).toBeUndefined();
    expect(teamJoinToInbound(teamJoin({ ...ERIKA, id: "USLACKBOT" }) as never, ctx)).toBeUndefined();
    expect(teamJoinToInbound(teamJoin({ ...ERIKA, id: "U0LOTSE01" }) as never, ctx)).toBeUndefined();
  });

  it("turns member_joined_channel into a channel join in that channel, with what users.info told", () => {
    const joined = memberJoined("U0ERIKA01") as never;
    expect(memberJoinedToInbound(joined, ctx, slackUserObject(ERIKA) as never)).toEqual({
      kind: "joined",
      scope: "channel",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0ERIKA01", name: "Erika Mustermann", email: "erika.mustermann@musterstadt.de" },
      conversation: { id: "C0NACHHALT", kind: "channel", channel: "C0NACHHALT" },
      reference: { channel: "C0NACHHALT" },
      receivedAt: now,
    });
    // users.info failed: the join without name and email.
    expect(memberJoinedToInbound(joined, ctx)?.user).toEqual({ id: "U0ERIKA01" });
  });

  it("ignores Lotse's own member_joined_channel (it was added) and a bot joining", () => {
    expect(memberJoinedToInbound(memberJoined("U0LOTSE01") as never, ctx)).toBeUndefined();
    const bot = memberJoined(OTHER_BOT.id) as never;
    expect(memberJoinedToInbound(bot, ctx, slackUserObject(OTHER_BOT) as never)).toBeUndefined();
  });

  it("ignores a member of another organisation joining a shared (Slack Connect) channel", () => {
    const joined = memberJoined("U0ERIKA01") as never;
    expect(memberJoinedToInbound(joined, ctx, slackUserObject(ERIKA, "T0ANDERE01") as never)).toBeUndefined();
    expect(memberJoinedToInbound(joined, ctx, slackUserObject(ERIKA, "T0MUSTER1") as never)?.scope).toBe(
      "channel",
    );
  });

  it("turns a Home tab button into an action in the user's DM (the D… channel the Home view keeps)", () => {
    const body = homeAction("onboarding.resume", "pfad=allgemein", homeMetadata("D0ERIKALOT"));
    const inbound = actionToInbound(
      body as never,
      { action_id: "onboarding.resume", value: "pfad=allgemein" },
      ctx,
    );
    expect(inbound).toEqual({
      kind: "action",
      platform: "slack",
      externalTenantId: "T0MUSTER1",
      user: { id: "U0ERIKA01", name: "erika.mustermann" },
      conversation: { id: "D0ERIKALOT", kind: "personal", channel: "D0ERIKALOT" },
      reference: { channel: "D0ERIKALOT" },
      actionId: "onboarding.resume",
      value: "pfad=allgemein",
      receivedAt: now,
    });
    // A Home view published before (no metadata) or with a forged one: the user id, which Slack posts into the DM.
    for (const meta of ["", homeMetadata("C0FREMD001")]) {
      const other = actionToInbound(
        homeAction("onboarding.resume", "", meta) as never,
        { action_id: "onboarding.resume" },
        ctx,
      );
      expect(other?.conversation).toEqual({ id: "U0ERIKA01", kind: "personal", channel: "U0ERIKA01" });
    }
    expect(homeDmOf(homeAction("onboarding.resume", "", "") as never)).toBe("U0ERIKA01");
  });
});

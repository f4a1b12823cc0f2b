import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import type { Turn } from "../../src/core/feature.ts";
import type {
  ActionInbound,
  ConversationAddress,
  InboundBase,
  MessageInbound,
  SubmitInbound,
} from "../../src/core/inbound.ts";
import type { CardReply, FormReply, NoticeReply, Reply, UpdateReply } from "../../src/core/replies.ts";
import type { Roster } from "../../src/core/roster.ts";
import { TenantSettings, type TenantSettingsEntry } from "../../src/core/tenant-settings.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { silentLogger } from "../../src/log.ts";
import type { Deadline } from "../../src/reminders/deadlines/deadlines.ts";
import {
  decodeFormState,
  decodeReminderRef,
  encodeDeadlineRef,
  encodeReminderRef,
  REMINDER_ACTIONS,
} from "../../src/reminders/reminder-codec.ts";
import { ReminderFeature } from "../../src/reminders/reminder-feature.ts";
import type { NewReminder } from "../../src/reminders/reminder-store.ts";
import { Reminders } from "../../src/reminders/reminders.ts";
import { ROOT } from "../helpers.ts";

const TENANT = "musterstadt";
const NOW = new Date("2026-12-02T08:00:00Z"); // Wednesday, 9:00 in Berlin
const SLACK_CHANNEL: ConversationAddress = { id: "C0123ABCD", kind: "channel", channel: "C0123ABCD" };
const SLACK_DM: ConversationAddress = { id: "D0456EFGH", kind: "personal", channel: "D0456EFGH" };
const TEAMS_CHANNEL_ID = "19:4f7c2a1be0d94e7f8b5c3a2d1e0f9a8b@thread.tacv2";
const TEAMS_CHANNEL: ConversationAddress = {
  id: TEAMS_CHANNEL_ID,
  kind: "channel",
  channel: TEAMS_CHANNEL_ID,
};
/** Two posts of the one Teams channel: each its own conversation id, the same channel. */
const teamsPost = (post: string): ConversationAddress => ({
  id: `${TEAMS_CHANNEL_ID};messageid=${post}`,
  kind: "thread",
  channel: TEAMS_CHANNEL_ID,
});
/** A Slack thread in the channel C0123ABCD. */
const SLACK_THREAD: ConversationAddress = {
  id: "C0123ABCD:1764662400.123456",
  kind: "thread",
  channel: "C0123ABCD",
};
const COORDINATOR = { id: "U0KOORD01", name: "Kim Koordination" };
const STAFF = { id: "U0ERIKA01", name: "Erika Mustermann" };
const TEAMS_COORDINATOR = { id: "6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b", name: "Jonas Koordination" };

const entry = (slackUsers: string[], teamsUsers: string[]): TenantSettingsEntry => ({
  coordinators: { slackUsers, slackUsergroups: [], teamsUsers },
  deadlineLeadDays: [14, 2],
  onboarding: { perPersonReport: false, slackChannels: [] },
});
const settings = new TenantSettings(new Map([[TENANT, entry([COORDINATOR.id], [TEAMS_COORDINATOR.id])]]));

const deadline: Deadline = {
  docId: "musterstadt/fristen/indikatorenbericht",
  tenant: TENANT,
  title: "Indikatorenbericht an den Rat",
  due: "jährlich am 31.3.",
  rrule: "DTSTART;TZID=Europe/Berlin:20270331T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
  reading: "jedes Jahr am 31. März um 9:00 Uhr",
  summary: "Die Fachbereiche melden ihre Indikatoren bis zum 31. März.",
};

let db: Database;
let reminders: Reminders;
let feature: ReminderFeature;

beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  const templates = await Templates.load(path.join(ROOT, "prompts/de"));
  reminders = new Reminders({ db, log: silentLogger, clock: { now: () => NOW } });
  feature = new ReminderFeature({
    reminders,
    deadlines: {
      get: async (tenant, docId) => (tenant === TENANT && docId === deadline.docId ? deadline : undefined),
    },
    templates,
    tenantSettings: settings,
    rosters: new Map<Roster["platform"], Roster>(),
    log: silentLogger,
    clock: () => NOW,
  });
});
afterAll(() => db.close());
beforeEach(async () => {
  await db.query("DELETE FROM jobs");
  await db.query("DELETE FROM reminders");
});

type Who = { id: string; name?: string };
const base = (
  user: Who,
  conversation: ConversationAddress,
  platform: "slack" | "teams" = "slack",
): InboundBase => ({
  platform,
  externalTenantId: platform === "slack" ? "T0MUSTER" : "8c1f7e2a-3b4d-4e5f-9a6b-7c8d9e0f1a2b",
  user,
  conversation,
  receivedAt: NOW,
});
const message = (
  text: string,
  user: Who,
  conversation = SLACK_CHANNEL,
  extra: Partial<MessageInbound> = {},
) => ({
  ...base(user, conversation),
  kind: "message" as const,
  text,
  ...extra,
});
const action = (actionId: string, value: string, user: Who, conversation = SLACK_CHANNEL): ActionInbound => ({
  ...base(user, conversation),
  kind: "action",
  actionId,
  value,
});
const submit = (
  values: SubmitInbound["values"],
  state: string | undefined,
  user: Who,
  conversation = SLACK_CHANNEL,
  platform: "slack" | "teams" = "slack",
): SubmitInbound => ({
  ...base(user, conversation, platform),
  kind: "submit",
  formId: "reminder.create",
  values,
  ...(state !== undefined ? { state } : {}),
});

async function run(
  inbound: MessageInbound | ActionInbound | SubmitInbound,
  tenant = TENANT,
): Promise<Reply[]> {
  expect(feature.owns(inbound)).toBe(true);
  const turn: Turn = { inbound, tenant, user: `p-${inbound.platform}-${inbound.user.id}` };
  return feature.handle(turn);
}

const only = async <R extends Reply>(p: Promise<Reply[]>, kind: R["kind"]): Promise<R> => {
  const replies = await p;
  expect(replies).toHaveLength(1);
  expect(replies[0]?.kind).toBe(kind);
  return replies[0] as R;
};
const buttonValue = (r: CardReply, i: number): string => {
  const b = r.card.buttons?.[i];
  if (!b || !("value" in b)) throw new Error(`no action button ${i}`);
  return b.value;
};
const field = (f: FormReply, id: string) => f.form.fields.find((x) => x.id === id) as { initial?: string };

/** Opens the form in a conversation and submits it with the given values, as the user. */
async function fill(
  values: SubmitInbound["values"],
  user: Who,
  conversation = SLACK_CHANNEL,
): Promise<Reply> {
  const form = await only<FormReply>(
    run(message("erinnerung", user, conversation, { private: true })),
    "form",
  );
  const replies = await run(submit(values, form.form.state, user, conversation));
  return replies[0] as Reply;
}

/** A saved (confirmed) reminder, through the service. */
async function saved(extra: Partial<NewReminder> = {}) {
  const draft = await reminders.draft({
    tenant: TENANT,
    audience: "channel",
    platform: "slack",
    target: SLACK_CHANNEL.id,
    originConversation: SLACK_CHANNEL.id,
    text: "Wochenbericht an die Stabsstelle senden",
    rrule: "DTSTART;TZID=Europe/Berlin:20261204T090000\nRRULE:FREQ=WEEKLY;BYDAY=FR",
    reading: "jeden Freitag um 9:00 Uhr",
    creatorPseudonym: `p-slack-${COORDINATOR.id}`,
    creatorName: COORDINATOR.name,
    creatorUserId: COORDINATOR.id,
    source: "chat",
    ...extra,
  });
  return reminders.confirm(draft.id, draft.tenant, NOW);
}

describe("ReminderFeature: creating", () => {
  it("opens the form pre-filled from the phrase: its rest as text, its schedule under 'Wann'", async () => {
    const reply = await only<FormReply>(
      run(
        message(
          "erinnerung jeden ersten Montag im Monat um 9 Uhr: Indikatoren melden",
          COORDINATOR,
          SLACK_CHANNEL,
          {
            private: true,
          },
        ),
      ),
      "form",
    );
    expect(reply.form.id).toBe("reminder.create");
    expect(field(reply, "text").initial).toBe("Indikatoren melden");
    expect(field(reply, "when").initial).toBe("jeden ersten Montag im Monat um 9 Uhr");
    expect(field(reply, "audience").initial).toBe("channel");
    expect(decodeFormState(reply.form.state)).toEqual({
      origin: "C0123ABCD",
      originKind: "channel",
      source: "chat",
    });
  });

  it("answers a Slack message (no trigger for a modal) with a button that opens the same form", async () => {
    const card = await only<CardReply>(
      run(message("erinnerung jeden ersten Montag im Monat um 9 Uhr: Indikatoren melden", COORDINATOR)),
      "card",
    );
    expect(card.private).toBe(true);
    const button = card.card.buttons?.[0] as { label: string; actionId: string; value: string };
    expect(button).toMatchObject({ label: "Formular öffnen", actionId: REMINDER_ACTIONS.form });
    const form = await only<FormReply>(run(action(button.actionId, button.value, COORDINATOR)), "form");
    expect(field(form, "text").initial).toBe("Indikatoren melden");
    expect(field(form, "when").initial).toBe("jeden ersten Montag im Monat um 9 Uhr");
    const teams = await run({
      ...message("erinnerung", TEAMS_COORDINATOR, TEAMS_CHANNEL),
      platform: "teams",
    });
    expect(teams[0]?.kind).toBe("form");
  });

  it("takes the whole free text as the text when it holds no schedule; personal by default in a 1:1 chat", async () => {
    const reply = await only<FormReply>(
      run(message("Erinnerung Produktblätter prüfen", STAFF, SLACK_DM, { private: true })),
      "form",
    );
    expect(field(reply, "text").initial).toBe("Produktblätter prüfen");
    expect(field(reply, "when").initial).toBeUndefined();
    expect(field(reply, "audience").initial).toBe("personal");
  });

  it("shows the form again with helpful errors for an unreadable phrase, no schedule, no text and a bad link", async () => {
    const unreadable = (await fill(
      { text: "Indikatoren melden", when: "irgendwann demnächst", audience: "channel" },
      COORDINATOR,
    )) as FormReply;
    expect(unreadable.kind).toBe("form");
    expect(unreadable.form.errors?.when).toMatch(/zum Beispiel: „morgen um 14 Uhr“/);
    expect(field(unreadable, "text").initial).toBe("Indikatoren melden");
    expect(field(unreadable, "when").initial).toBe("irgendwann demnächst");

    const empty = (await fill(
      { link: "ftp://intranet/indikatoren", audience: "channel" },
      COORDINATOR,
    )) as FormReply;
    expect(Object.keys(empty.form.errors ?? {}).sort()).toEqual(["link", "text", "when"]);
    expect(empty.form.errors?.when).toContain("jeden Freitag um 9 Uhr");
    expect(empty.form.errors?.link).toContain("https://");
    expect(await reminders.list({ tenant: TENANT, includeEnded: true }, NOW)).toEqual([]);
  });

  it("saves a valid submission as a draft and shows the reading with three dates in words", async () => {
    const reply = (await fill(
      {
        text: "Indikatoren melden",
        when: "jeden ersten Montag im Monat um 9 Uhr",
        link: "https://intranet.musterstadt.de/indikatoren",
        audience: "channel",
        target: "C0123ABCD",
      },
      COORDINATOR,
    )) as CardReply;
    expect(reply.kind).toBe("card");
    expect(reply.private).toBe(true);
    expect(reply.card.sections.find((s) => s.heading === "Die nächsten Termine:")?.items).toEqual([
      "Montag, 7. Dezember 2026, 9:00 Uhr",
      "Montag, 4. Januar 2027, 9:00 Uhr",
      "Montag, 1. Februar 2027, 9:00 Uhr",
    ]);
    expect(JSON.stringify(reply.card)).toContain("jeden ersten Montag im Monat um 9:00 Uhr");
    const save = reply.card.buttons?.[0] as { actionId: string; value: string };
    expect(save.actionId).toBe(REMINDER_ACTIONS.confirm);
    const draft = await reminders.get(decodeReminderRef(save.value) ?? "", TENANT);
    expect(draft).toMatchObject({
      status: "draft",
      audience: "channel",
      target: "C0123ABCD",
      originConversation: "C0123ABCD",
      creatorName: "Kim Koordination",
      creatorUserId: "U0KOORD01",
      linkUrl: "https://intranet.musterstadt.de/indikatoren",
    });
  });

  it("reads date, time and repeat when 'Wann' is empty", async () => {
    const reply = (await fill(
      {
        text: "Produktblätter abgeben",
        date: "2027-09-30",
        time: "10:00",
        repeat: "yearly",
        audience: "personal",
      },
      STAFF,
      SLACK_DM,
    )) as CardReply;
    expect(reply.card.sections.find((s) => s.heading)?.items?.[0]).toBe(
      "Donnerstag, 30. September 2027, 10:00 Uhr",
    );
  });

  it("saves only on 'Speichern': confirm makes it active and replaces the card; a second click changes nothing", async () => {
    const card = (await fill(
      { text: "Indikatoren melden", when: "jeden ersten Montag im Monat um 9 Uhr", audience: "channel" },
      COORDINATOR,
    )) as CardReply;
    const value = buttonValue(card, 0);
    const update = await only<UpdateReply>(
      run(action(REMINDER_ACTIONS.confirm, value, COORDINATOR)),
      "update",
    );
    expect(update.card.sections[0]?.text).toBe(
      "Gespeichert: „Indikatoren melden“ – nächster Termin Montag, 7. Dezember 2026, 9:00 Uhr.",
    );
    expect((await reminders.get(decodeReminderRef(value) ?? "", TENANT))?.status).toBe("active");
    await only<UpdateReply>(run(action(REMINDER_ACTIONS.confirm, value, COORDINATOR)), "update");
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs");
    expect(rows[0]?.n).toBe(1);
  });

  it("discards a draft; 'Ändern' opens the form pre-filled and its submission replaces the draft", async () => {
    const card = (await fill(
      { text: "Indikatoren melden", when: "jeden Freitag um 9 Uhr", audience: "channel" },
      COORDINATOR,
    )) as CardReply;
    const value = buttonValue(card, 0);
    const form = await only<FormReply>(run(action(REMINDER_ACTIONS.edit, value, COORDINATOR)), "form");
    expect(field(form, "text").initial).toBe("Indikatoren melden");
    expect(field(form, "when").initial).toBe("jeden Freitag um 9:00 Uhr");
    expect(decodeFormState(form.form.state)?.replaces).toBe(decodeReminderRef(value));
    const again = (
      await run(
        submit(
          { text: "Indikatoren melden!", when: "jeden Freitag um 10 Uhr", audience: "channel" },
          form.form.state,
          COORDINATOR,
        ),
      )
    )[0] as CardReply;
    expect(again.kind).toBe("card");
    expect(await reminders.get(decodeReminderRef(value) ?? "", TENANT)).toBeUndefined();
    const second = again.card.buttons?.[2] as { value: string; actionId: string };
    expect(second.actionId).toBe(REMINDER_ACTIONS.discard);
    const discarded = await only<UpdateReply>(
      run(action(REMINDER_ACTIONS.discard, second.value, COORDINATOR)),
      "update",
    );
    expect(discarded.card.sections[0]?.text).toContain("Verworfen");
    expect(await reminders.get(decodeReminderRef(second.value) ?? "", TENANT)).toBeUndefined();
  });

  it("opens the form for a cited deadline from 'Erinnerung anlegen'", async () => {
    const form = await only<FormReply>(
      run(action(REMINDER_ACTIONS.open, encodeDeadlineRef(deadline.docId), STAFF, SLACK_DM)),
      "form",
    );
    expect(field(form, "text").initial).toBe("Indikatorenbericht an den Rat");
    expect(field(form, "when").initial).toBe("jährlich am 31.3.");
    expect(decodeFormState(form.form.state)?.source).toBe(`deadline:${deadline.docId}`);
    const unknown = await only<NoticeReply>(
      run(action(REMINDER_ACTIONS.open, encodeDeadlineRef("musterstadt/fristen/gibt-es-nicht"), STAFF)),
      "notice",
    );
    expect(unknown.private).toBe(true);
  });

  it("takes the Teams channel from the form's origin when Teams fills no picker value", async () => {
    const form = await only<FormReply>(
      run({ ...message("erinnerung", TEAMS_COORDINATOR, TEAMS_CHANNEL), platform: "teams" }),
      "form",
    );
    const card = (
      await run(
        submit(
          { text: "Klimacheck für Ratsvorlagen", when: "alle zwei Wochen dienstags", audience: "channel" },
          form.form.state,
          TEAMS_COORDINATOR,
          TEAMS_CHANNEL,
          "teams",
        ),
      )
    )[0] as CardReply;
    expect(card.kind).toBe("card");
    const draft = await reminders.get(decodeReminderRef(buttonValue(card, 0)) ?? "", TENANT);
    expect(draft).toMatchObject({ platform: "teams", target: TEAMS_CHANNEL.id, audience: "channel" });
  });
});

describe("ReminderFeature: a channel's threads", () => {
  it("sets a Teams reminder from a post for the channel (posted as a new thread), listed from any other post", async () => {
    const first = teamsPost("1764662400123");
    const form = await only<FormReply>(
      run({ ...message("erinnerung", TEAMS_COORDINATOR, first), platform: "teams" }),
      "form",
    );
    expect(decodeFormState(form.form.state)?.origin).toBe(TEAMS_CHANNEL_ID);
    const card = (
      await run(
        submit(
          { text: "Klimacheck für Ratsvorlagen", when: "jeden Freitag um 9 Uhr", audience: "channel" },
          form.form.state,
          TEAMS_COORDINATOR,
          first,
          "teams",
        ),
      )
    )[0] as CardReply;
    const id = decodeReminderRef(buttonValue(card, 0)) ?? "";
    expect(await reminders.get(id, TENANT)).toMatchObject({
      target: TEAMS_CHANNEL_ID,
      originConversation: TEAMS_CHANNEL_ID,
    });
    await run({
      ...action(REMINDER_ACTIONS.confirm, buttonValue(card, 0), TEAMS_COORDINATOR, first),
      platform: "teams",
    });
    const { rows } = await db.query<{ lane: string }>("SELECT lane FROM jobs");
    expect(rows.map((r) => r.lane)).toEqual([`teams:${TEAMS_CHANNEL_ID}`]);
    const listed = (await run({
      ...message("erinnerungen", STAFF, teamsPost("1764669999000")),
      platform: "teams",
    })) as CardReply[];
    expect(listed.map((r) => r.card.title)).toContain("Klimacheck für Ratsvorlagen");
  });

  it("lists a Slack channel's reminders in any of its threads", async () => {
    await saved();
    const listed = (await run(message("erinnerungen", STAFF, SLACK_THREAD))) as CardReply[];
    expect(listed.map((r) => r.card.title)).toContain("Wochenbericht an die Stabsstelle senden");
  });

  it("leaves one's channel reminders of other channels out of a list everyone sees, not out of a private one", async () => {
    await saved();
    await saved({
      target: "G0PERSONALRAT",
      originConversation: "G0PERSONALRAT",
      text: "Personalrat: Sitzung vorbereiten",
    });
    const shared = (await run(message("erinnerungen", COORDINATOR))) as CardReply[];
    const titles = shared.map((r) => r.card.title);
    expect(titles).toContain("Wochenbericht an die Stabsstelle senden");
    expect(titles).not.toContain("Personalrat: Sitzung vorbereiten");
    expect(JSON.stringify(shared)).not.toContain("Personalrat");
    const own = (await run(
      message("erinnerungen", COORDINATOR, SLACK_CHANNEL, { private: true }),
    )) as CardReply[];
    expect(own.map((r) => r.card.title)).toContain("Personalrat: Sitzung vorbereiten");
    const dm = (await run(message("erinnerungen", COORDINATOR, SLACK_DM))) as CardReply[];
    expect(dm.map((r) => r.card.title)).toContain("Personalrat: Sitzung vorbereiten");
  });
});

describe("ReminderFeature: authorisation", () => {
  it("refuses a channel reminder from a non-coordinator, saying who can, and allows a personal one", async () => {
    const refused = (await fill(
      { text: "Indikatoren melden", when: "jeden Freitag um 9 Uhr", audience: "channel" },
      STAFF,
    )) as FormReply;
    expect(refused.kind).toBe("form");
    expect(refused.form.errors?.audience).toBe(
      "Kanal-Erinnerungen legen die Nachhaltigkeitskoordinatorinnen und -koordinatoren an und ändern sie; persönliche Erinnerungen können Sie selbst anlegen.",
    );
    const allowed = (await fill(
      { text: "Indikatoren melden", when: "jeden Freitag um 9 Uhr", audience: "personal" },
      STAFF,
    )) as CardReply;
    expect(allowed.kind).toBe("card");
    const draft = await reminders.get(decodeReminderRef(buttonValue(allowed, 0)) ?? "", TENANT);
    expect(draft).toMatchObject({
      audience: "personal",
      target: STAFF.id,
      originConversation: SLACK_CHANNEL.id,
    });
  });

  it("names whom to ask in a refusal where the tenant has a contact for it", async () => {
    const templates = await Templates.load(path.join(ROOT, "prompts/de"));
    const withContact = new ReminderFeature({
      reminders,
      deadlines: { get: async () => undefined },
      templates,
      tenantSettings: settings,
      rosters: new Map<Roster["platform"], Roster>(),
      log: silentLogger,
      clock: () => NOW,
      whoCanHelp: async (tenant) =>
        tenant === TENANT ? "Stabsstelle Nachhaltigkeit, nachhaltigkeit@musterstadt.de" : undefined,
    });
    const r = await saved();
    const inbound = action(REMINDER_ACTIONS.pause, encodeReminderRef(r.id), STAFF);
    const [n] = (await withContact.handle({
      inbound,
      tenant: TENANT,
      user: `p-slack-${STAFF.id}`,
    })) as NoticeReply[];
    expect(n?.text).toBe(
      "Kanal-Erinnerungen legen die Nachhaltigkeitskoordinatorinnen und -koordinatoren an und ändern sie; persönliche Erinnerungen können Sie selbst anlegen. Ansprechpartner: Stabsstelle Nachhaltigkeit, nachhaltigkeit@musterstadt.de.",
    );
  });

  it("refuses forged values, another tenant's reminder, and changes by someone who may not", async () => {
    const mine = await saved();
    for (const value of ["r:999999", "42", "r:1 OR 1=1", ""]) {
      const n = await only<NoticeReply>(run(action(REMINDER_ACTIONS.pause, value, COORDINATOR)), "notice");
      expect(n.text).toBe("Diese Erinnerung gibt es nicht mehr.");
    }
    const other = await only<NoticeReply>(
      run(action(REMINDER_ACTIONS.remove, encodeReminderRef(mine.id), COORDINATOR), "andere-stadt"),
      "notice",
    );
    expect(other.text).toBe("Diese Erinnerung gibt es nicht mehr.");
    const staff = await only<NoticeReply>(
      run(action(REMINDER_ACTIONS.remove, encodeReminderRef(mine.id), STAFF)),
      "notice",
    );
    expect(staff.private).toBe(true);
    expect(staff.text).toContain("Kanal-Erinnerungen legen die Nachhaltigkeitskoordinatorinnen");
    const personal = await saved({
      audience: "personal",
      target: STAFF.id,
      creatorPseudonym: `p-slack-${STAFF.id}`,
      creatorUserId: STAFF.id,
    });
    const byCoordinator = await only<NoticeReply>(
      run(action(REMINDER_ACTIONS.pause, encodeReminderRef(personal.id), COORDINATOR)),
      "notice",
    );
    expect(byCoordinator.text).toContain("nur ändern, wer sie angelegt hat");
    expect((await reminders.get(mine.id, TENANT))?.status).toBe("active");
    expect((await reminders.get(personal.id, TENANT))?.status).toBe("active");
    await only<UpdateReply>(
      run(action(REMINDER_ACTIONS.pause, encodeReminderRef(personal.id), STAFF)),
      "update",
    );
    expect((await reminders.get(personal.id, TENANT))?.status).toBe("paused");
  });

  it("lets nobody but a coordinator confirm a channel draft someone forged a value for", async () => {
    const draft = await reminders.draft({
      tenant: TENANT,
      audience: "channel",
      platform: "slack",
      target: SLACK_CHANNEL.id,
      originConversation: SLACK_CHANNEL.id,
      text: "Indikatoren melden",
      rrule: "DTSTART;TZID=Europe/Berlin:20261204T090000\nRRULE:FREQ=WEEKLY;BYDAY=FR",
      reading: "jeden Freitag um 9:00 Uhr",
      creatorPseudonym: `p-slack-${STAFF.id}`,
      creatorUserId: STAFF.id,
      source: "chat",
    });
    await only<NoticeReply>(
      run(action(REMINDER_ACTIONS.confirm, encodeReminderRef(draft.id), STAFF)),
      "notice",
    );
    expect((await reminders.get(draft.id, TENANT))?.status).toBe("draft");
  });
});

describe("ReminderFeature: listing and managing", () => {
  it("lists the conversation's reminders with their buttons; an empty list says how to create one", async () => {
    const empty = await only<CardReply>(run(message("erinnerungen", STAFF)), "card");
    expect(empty.card.sections[0]?.text).toContain("erinnerung jeden Freitag um 9 Uhr");
    await saved();
    await saved({
      audience: "personal",
      target: STAFF.id,
      creatorPseudonym: `p-slack-${STAFF.id}`,
      creatorUserId: STAFF.id,
      text: "Meine Reisekosten",
    });
    const replies = (await run(message("Erinnerungen", STAFF))) as CardReply[];
    // Posted for the whole channel: the personal reminder is left out.
    expect(replies).toHaveLength(2);
    const [, item] = replies;
    expect(item?.card.title).toBe("Wochenbericht an die Stabsstelle senden");
    expect(JSON.stringify(item?.card)).toContain("Freitag, 4. Dezember 2026, 9:00 Uhr");
    expect(JSON.stringify(item?.card)).toContain("Kim Koordination");
    expect(item?.card.buttons?.map((b) => b.label)).toEqual(["Pausieren", "Löschen", "Jetzt senden"]);
    // Asked privately (/lotse erinnerungen): one's own personal reminder too, only for the asker.
    const mine = (await run(message("erinnerungen", STAFF, SLACK_CHANNEL, { private: true }))) as CardReply[];
    expect(mine).toHaveLength(3);
    expect(mine.every((r) => r.private === true)).toBe(true);
    expect(mine.map((r) => r.card.title)).toContain("Meine Reisekosten (persönlich)");
  });

  it("says an ended reminder cannot be paused or resumed, not that it cannot be sent", async () => {
    const r = await saved();
    await db.query("UPDATE reminders SET status = 'ended' WHERE reminder_id = $1", [r.id]);
    const value = encodeReminderRef(r.id);
    const pause = await only<NoticeReply>(run(action(REMINDER_ACTIONS.pause, value, COORDINATOR)), "notice");
    expect(pause.text).toBe(
      "Nur eine aktive Erinnerung lässt sich pausieren; diese ist beendet oder noch nicht gespeichert.",
    );
    const resume = await only<NoticeReply>(
      run(action(REMINDER_ACTIONS.resume, value, COORDINATOR)),
      "notice",
    );
    expect(resume.text).toBe(
      "Nur eine pausierte Erinnerung lässt sich fortsetzen; diese ist beendet oder noch nicht gespeichert.",
    );
  });

  it("pauses, resumes, sends now and deletes, updating the reminder's card", async () => {
    const r = await saved();
    const value = encodeReminderRef(r.id);
    const paused = await only<UpdateReply>(run(action(REMINDER_ACTIONS.pause, value, COORDINATOR)), "update");
    expect(paused.card.sections[0]?.facts).toContainEqual({ label: "Status", value: "pausiert" });
    expect(paused.card.buttons?.map((b) => b.label)).toEqual(["Fortsetzen", "Löschen"]);
    const notNow = await only<NoticeReply>(
      run(action(REMINDER_ACTIONS.sendNow, value, COORDINATOR)),
      "notice",
    );
    expect(notNow.text).toContain("Nur eine aktive Erinnerung");
    const resumed = await only<UpdateReply>(
      run(action(REMINDER_ACTIONS.resume, value, COORDINATOR)),
      "update",
    );
    expect(resumed.card.sections[0]?.facts).toContainEqual({ label: "Status", value: "aktiv" });
    expect(resumed.card.sections[0]?.facts).toContainEqual({
      label: "Nächster Termin",
      value: "Freitag, 4. Dezember 2026, 9:00 Uhr",
    });
    const sent = await only<NoticeReply>(run(action(REMINDER_ACTIONS.sendNow, value, COORDINATOR)), "notice");
    expect(sent).toMatchObject({
      private: true,
      text: "Wird jetzt gesendet: „Wochenbericht an die Stabsstelle senden“",
    });
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM jobs WHERE status = 'pending' AND due_at = $1",
      [NOW],
    );
    expect(rows[0]?.n).toBe(1);
    const deleted = await only<UpdateReply>(
      run(action(REMINDER_ACTIONS.remove, value, COORDINATOR)),
      "update",
    );
    expect(deleted.card.sections[0]?.text).toBe("Gelöscht: „Wochenbericht an die Stabsstelle senden“");
    expect(await reminders.get(r.id, TENANT)).toBeUndefined();
  });
});

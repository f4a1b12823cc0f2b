import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { plainAnswer } from "../../src/assistant/answer.ts";
import { answerView } from "../../src/assistant/answer-view.ts";
import { QuestionFeature, type QuestionFeatureDeps } from "../../src/assistant/question-feature.ts";
import { Templates } from "../../src/assistant/templates.ts";
import type { FirstContact } from "../../src/core/first-contact.ts";
import type { MessageInbound } from "../../src/core/inbound.ts";
import type { AnswerReply, Button, CardReply, NoticeReply } from "../../src/core/replies.ts";
import type { Router } from "../../src/core/router.ts";
import type { TurnStore } from "../../src/core/turn-store.ts";
import { silentLogger } from "../../src/log.ts";
import type { Deadline } from "../../src/reminders/deadlines/deadlines.ts";
import {
  decodeDeadlineRef,
  decodeReminderRef,
  REMINDER_ACTIONS,
} from "../../src/reminders/reminder-codec.ts";
import type { Reminder } from "../../src/reminders/reminder-store.ts";
import {
  confirmationCard,
  daysInWords,
  deadlineRender,
  listCards,
  MAX_LISTED,
  reminderForm,
  reminderRender,
  subscribedCard,
} from "../../src/reminders/reminder-views.ts";
import type { ReminderListing } from "../../src/reminders/reminders.ts";
import { ROOT } from "../helpers.ts";

let t: Templates;
beforeAll(async () => {
  t = await Templates.load(path.join(ROOT, "prompts/de"));
});

const reminder = (extra: Partial<Reminder> = {}): Reminder => ({
  id: "17",
  tenant: "musterstadt",
  status: "active",
  audience: "channel",
  platform: "slack",
  target: "C0123ABCD",
  originConversation: "C0123ABCD",
  text: "Indikatoren für den Nachhaltigkeitsbericht melden",
  linkUrl: "https://intranet.musterstadt.de/nachhaltigkeit/indikatoren",
  rrule: "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO",
  timezone: "Europe/Berlin",
  reading: "jeden ersten Montag im Monat um 9:00 Uhr",
  creatorPseudonym: "p-erika",
  creatorName: "Erika Mustermann",
  creatorUserId: "U0ERIKA01",
  source: "chat",
  createdAt: new Date("2026-12-01T10:00:00Z"),
  updatedAt: new Date("2026-12-01T10:00:00Z"),
  ...extra,
});

describe("reminder views", () => {
  it("delivers the text, the link as a button and who set it", () => {
    const reply = reminderRender(t).delivery(reminder(), {
      dueAt: new Date("2027-01-04T08:00:00Z"),
      late: false,
    });
    expect(reply.kind).toBe("card");
    const card = (reply as CardReply).card;
    expect(card.sections.map((s) => s.text)).toEqual([
      "Indikatoren für den Nachhaltigkeitsbericht melden",
      "Eingerichtet von Erika Mustermann",
    ]);
    expect(card.buttons).toEqual([
      { label: "Link öffnen", url: "https://intranet.musterstadt.de/nachhaltigkeit/indikatoren" },
    ]);
  });

  it("marks a late delivery with its due date and names Lotse when the creator has no name", () => {
    const { creatorName: _, linkUrl: __, ...rest } = reminder();
    const reply = reminderRender(t).delivery(rest, { dueAt: new Date("2027-01-04T08:00:00Z"), late: true });
    const card = (reply as CardReply).card;
    expect(card.sections.map((s) => s.text)).toEqual([
      "Indikatoren für den Nachhaltigkeitsbericht melden",
      "verspätet, fällig war Montag, 4. Januar 2027, 9:00 Uhr",
      "Eingerichtet über Lotse",
    ]);
    expect(card.buttons).toBeUndefined();
  });

  it("tells the creator why a reminder was paused when its conversation is gone", () => {
    const reply = reminderRender(t).gone(reminder()) as NoticeReply;
    expect(reply.kind).toBe("notice");
    expect(reply.text).toBe(
      "Ihre Erinnerung „Indikatoren für den Nachhaltigkeitsbericht melden“ ist pausiert: Lotse ist nicht mehr in der Unterhaltung (entfernt oder archiviert). Fügen Sie Lotse wieder hinzu und setzen Sie sie mit „erinnerungen“ fort, oder löschen Sie sie.",
    );
  });

  it("announces a deadline with its date, summary, source and 'Erinnerung anlegen'", () => {
    const d: Deadline = {
      docId: "musterstadt/fristen/indikatorenbericht",
      tenant: "musterstadt",
      title: "Indikatorenbericht an den Rat",
      due: "jährlich am 31.3.",
      rrule: "DTSTART;TZID=Europe/Berlin:20270331T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
      reading: "jedes Jahr am 31. März um 9:00 Uhr",
      url: "https://ratsinfo.musterstadt.de/beschluss-2024-117",
      summary: "Die Fachbereiche melden ihre Indikatoren bis zum 31. März an die Stabsstelle.",
    };
    const reply = deadlineRender(t).notice(d, {
      deadlineAt: new Date("2027-03-31T07:00:00Z"),
      leadDays: 14,
      late: false,
    }) as CardReply;
    expect(reply.card.title).toBe("Frist in 14 Tagen: Indikatorenbericht an den Rat");
    expect(reply.card.sections.map((s) => s.text)).toEqual([
      "fällig am 31. März 2027",
      "Die Fachbereiche melden ihre Indikatoren bis zum 31. März an die Stabsstelle.",
    ]);
    const [source, create] = reply.card.buttons as [Button, Button];
    expect(source).toEqual({
      label: "Quelle öffnen",
      url: "https://ratsinfo.musterstadt.de/beschluss-2024-117",
    });
    expect(create).toMatchObject({ label: "Erinnerung anlegen", actionId: REMINDER_ACTIONS.open });
    expect(decodeDeadlineRef((create as { value: string }).value)).toBe(d.docId);
    const tomorrow = deadlineRender(t).notice(d, {
      deadlineAt: new Date(),
      leadDays: 1,
      late: false,
    }) as CardReply;
    expect(tomorrow.card.title).toBe("Frist morgen: Indikatorenbericht an den Rat");
  });

  it("shows a draft with its reading, the next three dates, where it goes and save/change/discard", () => {
    const next = [
      new Date("2027-01-04T08:00:00Z"),
      new Date("2027-02-01T08:00:00Z"),
      new Date("2027-03-01T08:00:00Z"),
    ];
    const card = confirmationCard(t, reminder({ status: "draft" }), next);
    expect(card.sections[2]).toEqual({
      heading: "Die nächsten Termine:",
      items: [
        "Montag, 4. Januar 2027, 9:00 Uhr",
        "Montag, 1. Februar 2027, 9:00 Uhr",
        "Montag, 1. März 2027, 9:00 Uhr",
      ],
    });
    expect(card.sections[1]?.facts).toContainEqual({ label: "Wohin", value: "in diesem Kanal" });
    expect(card.buttons?.map((b) => b.label)).toEqual(["Speichern", "Ändern", "Verwerfen"]);
    expect(card.buttons?.map((b) => ("value" in b ? decodeReminderRef(b.value) : undefined))).toEqual([
      "17",
      "17",
      "17",
    ]);
    const personal = confirmationCard(t, reminder({ audience: "personal", target: "U0ERIKA01" }), next);
    expect(personal.sections[1]?.facts).toContainEqual({ label: "Wohin", value: "persönlich an Sie" });
  });

  it("lists each reminder in its own card with its status, marks and buttons; at most MAX_LISTED", () => {
    const listings: ReminderListing[] = [
      {
        reminder: reminder(),
        next: new Date("2027-02-01T08:00:00Z"),
        last: { dueAt: new Date("2027-01-04T08:00:00Z"), status: "done", late: true },
        failed: 0,
        skipped: 0,
      },
      {
        reminder: reminder({ id: "18", status: "paused", pausedReason: "conversation_gone" }),
        failed: 1,
        skipped: 2,
      },
    ];
    const [head, first, second] = listCards(t, listings);
    expect(head?.title).toBe("Erinnerungen");
    expect(JSON.stringify(first)).toContain("Montag, 4. Januar 2027, 9:00 Uhr – zugestellt, verspätet");
    expect(first?.buttons?.map((b) => b.label)).toEqual(["Pausieren", "Löschen", "Jetzt senden"]);
    expect(first?.buttons?.[1]).toMatchObject({ style: "danger", actionId: REMINDER_ACTIONS.remove });
    expect(second?.sections[0]?.facts).toContainEqual({
      label: "Status",
      value: "pausiert: Lotse ist nicht mehr in der Unterhaltung",
    });
    expect(second?.sections[0]?.facts).toContainEqual({
      label: "Ausgefallen",
      value: "1 fehlgeschlagen, 2 übersprungen",
    });
    expect(second?.buttons?.map((b) => b.label)).toEqual(["Fortsetzen", "Löschen"]);

    const many = Array.from({ length: MAX_LISTED + 3 }, (_, i) => ({
      reminder: reminder({ id: String(i + 1) }),
      failed: 0,
      skipped: 0,
    }));
    const cards = listCards(t, many);
    expect(cards).toHaveLength(MAX_LISTED + 1);
    expect(JSON.stringify(cards[0])).toContain("und 3 weitere");
    for (const c of cards) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(4000);
  });

  it("says how to create one when there is none", () => {
    const [only] = listCards(t, []);
    expect(only?.sections[0]?.text).toContain("erinnerung jeden Freitag um 9 Uhr");
    expect(only?.buttons).toBeUndefined();
  });

  it("builds the form with defaults: time 09:00, once, the audience by conversation kind, the current channel", () => {
    const form = reminderForm(t, {
      values: { text: "Indikatoren melden" },
      state: "{}",
      originKind: "personal",
    });
    const field = (id: string) => form.fields.find((f) => f.id === id);
    expect(form.id).toBe("reminder.create");
    expect(field("text")).toMatchObject({ required: true, initial: "Indikatoren melden" });
    expect(field("time")).toMatchObject({ type: "time", initial: "09:00" });
    expect(field("repeat")).toMatchObject({ type: "select", initial: "once" });
    expect(field("audience")).toMatchObject({ type: "select", initial: "personal" });
    expect(field("target")).toMatchObject({ type: "conversation", defaultToCurrent: true });
    const inChannel = reminderForm(t, { values: {}, state: "{}", originKind: "channel" });
    expect(inChannel.fields.find((f) => f.id === "audience")).toMatchObject({ initial: "channel" });
    expect(inChannel.errors).toBeUndefined();
  });

  it("says the lead days in words", () => {
    expect(daysInWords([2, 14])).toBe("14 und 2");
    expect(daysInWords([14, 7, 2])).toBe("14, 7 und 2");
    const card = subscribedCard(t, {
      created: true,
      deadlines: [{ title: "Indikatorenbericht", next: new Date("2027-03-31T07:00:00Z") }],
      leadDays: [14, 2],
    });
    expect(card.title).toBe("Fristen abonniert");
    expect(card.sections[0]?.text).toBe("Dieser Kanal wird jeweils 14 und 2 Tage vor jeder Frist erinnert.");
    expect(card.sections[1]?.items).toEqual(["Indikatorenbericht – nächste Frist: 31. März 2027"]);
    const lead = (leadDays: number[]) =>
      subscribedCard(t, { created: true, deadlines: [], leadDays }).sections[0]?.text;
    expect(lead([1])).toBe("Dieser Kanal wird jeweils einen Tag vor jeder Frist erinnert.");
    expect(lead([0])).toBe("Dieser Kanal wird jeweils am Tag jeder Frist erinnert.");
    expect(lead([7])).toBe("Dieser Kanal wird jeweils 7 Tage vor jeder Frist erinnert.");
  });

  it("introduces a list of one reminder in the singular", () => {
    const [head] = listCards(t, [{ reminder: reminder(), failed: 0, skipped: 0 }]);
    expect(head?.sections[0]?.text).toBe("Eine Erinnerung dieser Unterhaltung und von Ihnen:");
    const [two] = listCards(t, [
      { reminder: reminder(), failed: 0, skipped: 0 },
      { reminder: reminder({ id: "18" }), failed: 0, skipped: 0 },
    ]);
    expect(two?.sections[0]?.text).toBe("2 Erinnerungen dieser Unterhaltung und von Ihnen:");
  });
});

describe("'Erinnerung anlegen' under an answer that cites a deadline", () => {
  const cited = (docId: string) => ({
    docId,
    title: "Indikatorenbericht an den Rat",
    section: "Bis wann melden die Fachbereiche?",
    excerpt: "Die Fachbereiche melden ihre Indikatoren bis zum 31. März.",
  });
  const answer = plainAnswer("answer", "Bis zum 31. März.", {
    citations: [cited("musterstadt/fristen/indikatorenbericht"), cited("leitfaden/berichtswesen")],
    confidence: 0.8,
  });
  const message: MessageInbound = {
    kind: "message",
    platform: "slack",
    externalTenantId: "T0MUSTER",
    user: { id: "U0ERIKA01" },
    conversation: { id: "D0456EFGH", kind: "personal", channel: "D0456EFGH" },
    receivedAt: new Date("2026-12-02T08:00:00Z"),
    text: "Bis wann müssen die Indikatoren gemeldet werden?",
  };

  function questions(deadlineFor?: QuestionFeatureDeps["deadlineFor"]) {
    return new QuestionFeature({
      router: { answerFor: async () => answer } as unknown as Router,
      templates: t,
      turns: { record: async () => undefined, last: async () => undefined } as unknown as TurnStore,
      firstContact: { claim: async () => false } as unknown as FirstContact,
      log: silentLogger,
      followUpMinutes: 0,
      ...(deadlineFor ? { deadlineFor } : {}),
    });
  }
  const actions = async (feature: QuestionFeature) => {
    const [reply] = await feature.handle({ inbound: message, tenant: "musterstadt", user: "p-erika" });
    return (reply as AnswerReply).view.actions;
  };

  it("follows 👍/👎 with the button for the first cited deadline", async () => {
    const asked: string[][] = [];
    const list = await actions(
      questions(async (tenant, docIds) => {
        asked.push([tenant, ...docIds]);
        return docIds.find((d) => d.includes("/fristen/"));
      }),
    );
    expect(asked).toEqual([
      ["musterstadt", "musterstadt/fristen/indikatorenbericht", "leitfaden/berichtswesen"],
    ]);
    expect(list.map((b) => b.label)).toEqual(["👍 Hilfreich", "👎 Nicht hilfreich", "Erinnerung anlegen"]);
    const last = list.at(-1) as { actionId: string; value: string };
    expect(last.actionId).toBe(REMINDER_ACTIONS.open);
    expect(decodeDeadlineRef(last.value)).toBe("musterstadt/fristen/indikatorenbericht");
  });

  it("offers no button without a cited deadline, without the lookup, or when the lookup fails", async () => {
    for (const feature of [
      questions(async () => undefined),
      questions(),
      questions(async () => {
        throw new Error("connection terminated");
      }),
    ])
      expect((await actions(feature)).map((b) => b.label)).toEqual(["👍 Hilfreich", "👎 Nicht hilfreich"]);
  });

  it("offers none under 'no answer'", () => {
    const view = answerView({ ...answer, kind: "no_answer" }, t, {
      question: message.text,
      tenant: "musterstadt",
      deadlineDocId: "musterstadt/fristen/indikatorenbericht",
    });
    expect(view.actions.map((b) => b.label)).not.toContain("Erinnerung anlegen");
  });
});

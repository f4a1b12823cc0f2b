import type { LabelName, Templates } from "../assistant/templates.ts";
import type { ConversationAddress } from "../core/inbound.ts";
import type { Button, Card, CardSection, Form, FormField, Reply } from "../core/replies.ts";
import type { DeadlineRender } from "./deadline-notice-job.ts";
import { encodeDeadlineRef, encodeReminderRef, REMINDER_ACTIONS, REMINDER_FORM } from "./reminder-codec.ts";
import type { ReminderRender } from "./reminder-job.ts";
import type { Reminder } from "./reminder-store.ts";
import type { ReminderListing } from "./reminders.ts";
import { REPEAT_CHOICES } from "./schedule/form-schedule.ts";
import { formatDate, formatOccurrence } from "./schedule/german-format.ts";

/** What the create form shows, as strings (dates YYYY-MM-DD, times HH:MM). */
export interface FormValues {
  text?: string;
  when?: string;
  date?: string;
  time?: string;
  repeat?: string;
  link?: string;
  audience?: "channel" | "personal";
  target?: string;
}

/** Field ids of the create form (they come back as SubmitInbound.values). */
export const FIELDS = {
  text: "text",
  when: "when",
  date: "date",
  time: "time",
  repeat: "repeat",
  link: "link",
  audience: "audience",
  target: "target",
} as const;

/** The audience a new reminder gets where none is chosen: the channel in a channel or group, oneself in a 1:1 chat. */
export function defaultAudience(kind: ConversationAddress["kind"]): "channel" | "personal" {
  return kind === "personal" ? "personal" : "channel";
}

/** Shortens a reminder text for headings and quotes. */
export function shorten(text: string, max = 80): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The create form: text, the schedule in words or as date/time/repeat, an optional link, the audience and the
 * target channel (Slack's conversation picker preselects the current one; Teams fills it in).
 */
export function reminderForm(
  t: Templates,
  o: {
    values: FormValues;
    state: string;
    originKind: ConversationAddress["kind"];
    errors?: Record<string, string>;
  },
): Form {
  const v = o.values;
  const fields: FormField[] = [
    {
      id: FIELDS.text,
      label: t.label("reminder-field-text"),
      type: "longtext",
      required: true,
      maxLength: 3000,
      ...init(v.text),
    },
    {
      id: FIELDS.when,
      label: t.label("reminder-field-when"),
      type: "text",
      hint: t.label("reminder-field-when-hint"),
      maxLength: 300,
      ...init(v.when),
    },
    { id: FIELDS.date, label: t.label("reminder-field-date"), type: "date", ...init(v.date) },
    { id: FIELDS.time, label: t.label("reminder-field-time"), type: "time", initial: v.time || "09:00" },
    {
      id: FIELDS.repeat,
      label: t.label("reminder-field-repeat"),
      type: "select",
      options: REPEAT_CHOICES.map((c) => ({ label: c.label, value: c.value })),
      initial: v.repeat || "once",
    },
    {
      id: FIELDS.link,
      label: t.label("reminder-field-link"),
      type: "text",
      maxLength: 2000,
      placeholder: "https://",
      ...init(v.link),
    },
    {
      id: FIELDS.audience,
      label: t.label("reminder-field-audience"),
      type: "select",
      required: true,
      options: [
        { label: t.label("reminder-audience-channel"), value: "channel" },
        { label: t.label("reminder-audience-personal"), value: "personal" },
      ],
      initial: v.audience ?? defaultAudience(o.originKind),
    },
    {
      id: FIELDS.target,
      label: t.label("reminder-field-target"),
      type: "conversation",
      defaultToCurrent: true,
      ...init(v.target),
    },
  ];
  return {
    id: REMINDER_FORM,
    title: t.label("reminder-form-title"),
    intro: t.label("reminder-form-intro"),
    fields,
    submitLabel: t.label("reminder-form-submit"),
    state: o.state,
    ...(o.errors && Object.keys(o.errors).length > 0 ? { errors: o.errors } : {}),
  };
}

const init = (value: string | undefined) => (value ? { initial: value } : {});

/** Where a reminder goes, in words: "in diesem Kanal", "im gewählten Kanal", "persönlich an Sie". */
function where(t: Templates, r: Reminder): string {
  if (r.audience === "personal") return t.label("reminder-where-personal");
  return t.label(
    r.target === r.originConversation ? "reminder-where-channel" : "reminder-where-other-channel",
  );
}

const ref = (r: Reminder) => encodeReminderRef(r.id);

/** The draft as Lotse read it, with the next three dates, to be saved, changed or discarded. */
export function confirmationCard(t: Templates, r: Reminder, next: Date[]): Card {
  const facts = [
    { label: t.label("reminder-fact-when"), value: r.reading },
    { label: t.label("reminder-fact-where"), value: where(t, r) },
    ...(r.linkUrl ? [{ label: t.label("reminder-fact-link"), value: r.linkUrl }] : []),
  ];
  return {
    title: t.label("reminder-confirm-title"),
    sections: [
      { text: r.text },
      { facts },
      { heading: t.label("reminder-heading-next"), items: next.map(formatOccurrence) },
      { text: t.label("reminder-confirm-intro") },
    ],
    buttons: [
      {
        label: t.label("reminder-button-save"),
        actionId: REMINDER_ACTIONS.confirm,
        value: ref(r),
        style: "primary",
      },
      { label: t.label("reminder-button-edit"), actionId: REMINDER_ACTIONS.edit, value: ref(r) },
      { label: t.label("reminder-button-discard"), actionId: REMINDER_ACTIONS.discard, value: ref(r) },
    ],
  };
}

/** What replaces the confirmation once saved: the text and the next date. */
export function savedCard(t: Templates, r: Reminder, next: Date | undefined): Card {
  const text = next
    ? t.label("reminder-saved", { text: shorten(r.text), next: formatOccurrence(next) })
    : t.label("reminder-saved-no-next", { text: shorten(r.text) });
  return {
    title: t.label("reminder-saved-title"),
    sections: [{ text }, { facts: [{ label: t.label("reminder-fact-where"), value: where(t, r) }] }],
  };
}

/** A card with one line of text (discarded, deleted, sent now). */
export function textCard(text: string): Card {
  return { sections: [{ text }] };
}

/** Status in words; a reminder Lotse paused because it left the conversation says so. */
function status(t: Templates, r: Reminder): string {
  if (r.status === "paused" && r.pausedReason === "conversation_gone") return t.label("reminder-status-gone");
  const names: Record<Reminder["status"], LabelName> = {
    active: "reminder-status-active",
    paused: "reminder-status-paused",
    ended: "reminder-status-ended",
    draft: "reminder-status-draft",
  };
  return t.label(names[r.status]);
}

/** The last delivery: "Montag, 4. Januar 2027, 9:00 Uhr – zugestellt, verspätet". */
function lastDelivery(t: Templates, last: NonNullable<ReminderListing["last"]>): string {
  const marks: string[] = [];
  if (last.status === "done") marks.push(t.label("reminder-mark-done"));
  if (last.status === "skipped") marks.push(t.label("reminder-mark-skipped"));
  if (last.status === "failed") marks.push(t.label("reminder-mark-failed"));
  if (last.late && last.status === "done") marks.push(t.label("reminder-mark-late"));
  return `${formatOccurrence(last.dueAt)} – ${marks.join(", ")}`;
}

/** One reminder of a list with its own buttons: pause or resume, delete, send now. */
export function listingCard(t: Templates, l: ReminderListing): Card {
  const r = l.reminder;
  const facts: CardSection["facts"] = [
    { label: t.label("reminder-fact-when"), value: r.reading },
    ...(l.next ? [{ label: t.label("reminder-fact-next"), value: formatOccurrence(l.next) }] : []),
    { label: t.label("reminder-fact-creator"), value: r.creatorName ?? "–" },
    { label: t.label("reminder-fact-status"), value: status(t, r) },
    ...(l.last ? [{ label: t.label("reminder-fact-last"), value: lastDelivery(t, l.last) }] : []),
    ...(l.failed + l.skipped > 0
      ? [
          {
            label: t.label("reminder-fact-misses"),
            value: t.label("reminder-misses", { failed: l.failed, skipped: l.skipped }),
          },
        ]
      : []),
  ];
  const buttons: Button[] = [];
  if (r.status === "active")
    buttons.push({
      label: t.label("reminder-button-pause"),
      actionId: REMINDER_ACTIONS.pause,
      value: ref(r),
    });
  if (r.status === "paused")
    buttons.push({
      label: t.label("reminder-button-resume"),
      actionId: REMINDER_ACTIONS.resume,
      value: ref(r),
    });
  buttons.push({
    label: t.label("reminder-button-delete"),
    actionId: REMINDER_ACTIONS.remove,
    value: ref(r),
    style: "danger",
  });
  if (r.status === "active")
    buttons.push({
      label: t.label("reminder-button-send-now"),
      actionId: REMINDER_ACTIONS.sendNow,
      value: ref(r),
    });
  const personal = r.audience === "personal" ? ` ${t.label("reminder-personal-mark")}` : "";
  return { title: `${shorten(r.text, 60)}${personal}`, sections: [{ facts }], buttons };
}

/** At most this many reminders are listed, one small card each (every card stays far below Teams' ~28 KB). */
export const MAX_LISTED = 10;

/**
 * The list: a heading card (how many, how many more than shown) and one card per reminder with its buttons, or a
 * short text saying how to create one. Each card carries its own buttons, so an action updates only its card.
 */
export function listCards(t: Templates, listings: ReminderListing[]): Card[] {
  if (listings.length === 0) return [textCard(t.label("reminder-list-empty"))];
  const shown = listings.slice(0, MAX_LISTED);
  const intro =
    listings.length === 1
      ? t.label("reminder-list-intro-one")
      : t.label("reminder-list-intro", { count: listings.length });
  const sections: CardSection[] = [{ text: intro }];
  if (listings.length > shown.length)
    sections.push({ text: t.label("reminder-list-more", { count: listings.length - shown.length }) });
  return [{ title: t.label("reminder-list-title"), sections }, ...shown.map((l) => listingCard(t, l))];
}

/** The messages the reminder job sends: the delivery and the "conversation gone" notice to the creator. */
export function reminderRender(t: Templates): ReminderRender {
  return {
    delivery(r, occ): Reply {
      const sections: CardSection[] = [{ text: r.text }];
      if (occ.late) sections.push({ text: t.label("reminder-late", { due: formatOccurrence(occ.dueAt) }) });
      sections.push({
        text: r.creatorName ? t.label("reminder-by", { name: r.creatorName }) : t.label("reminder-by-lotse"),
      });
      return {
        kind: "card",
        card: {
          sections,
          ...(r.linkUrl ? { buttons: [{ label: t.label("reminder-button-link"), url: r.linkUrl }] } : {}),
        },
      };
    },
    gone(r): Reply {
      return { kind: "notice", text: t.label("reminder-gone", { text: shorten(r.text) }) };
    },
  };
}

/** "Frist in 14 Tagen: …" with the due date, the summary, the source and "Erinnerung anlegen". */
export function deadlineRender(t: Templates): DeadlineRender {
  return {
    notice(d, occ): Reply {
      const title =
        occ.leadDays === 0
          ? t.label("deadline-notice-title-today", { title: d.title })
          : occ.leadDays === 1
            ? t.label("deadline-notice-title-tomorrow", { title: d.title })
            : t.label("deadline-notice-title", { days: occ.leadDays, title: d.title });
      const buttons: Button[] = [
        ...(d.url ? [{ label: t.label("deadline-button-source"), url: d.url }] : []),
        {
          label: t.label("button-reminder-create"),
          actionId: REMINDER_ACTIONS.open,
          value: encodeDeadlineRef(d.docId),
        },
      ];
      return {
        kind: "card",
        card: {
          title,
          sections: [
            { text: t.label("deadline-due", { date: formatDate(occ.deadlineAt) }) },
            ...(d.summary ? [{ text: d.summary }] : []),
          ],
          buttons,
        },
      };
    },
  };
}

/** "14 und 2", "14, 7 und 2". */
export function daysInWords(days: number[]): string {
  const s = [...days].sort((a, b) => b - a).map(String);
  return s.length <= 1 ? s.join("") : `${s.slice(0, -1).join(", ")} und ${s.at(-1)}`;
}

/** "jeweils 14 und 2 Tage vor jeder Frist", in the singular for one day and as "am Tag" for none. */
function leadInWords(t: Templates, days: number[]): string {
  if (days.length === 1 && days[0] === 1) return t.label("deadline-subscribed-lead-one");
  if (days.length === 1 && days[0] === 0) return t.label("deadline-subscribed-lead-today");
  return t.label("deadline-subscribed-lead", { days: daysInWords(days) });
}

/** After "fristen abonnieren": the tenant's deadlines with their next dates and the lead days. */
export function subscribedCard(
  t: Templates,
  o: { created: boolean; deadlines: { title: string; next?: Date }[]; leadDays: number[] },
): Card {
  const items = o.deadlines.map((d) =>
    d.next ? `${d.title} – ${t.label("deadline-next", { date: formatDate(d.next) })}` : d.title,
  );
  return {
    title: t.label(o.created ? "deadline-subscribed-title" : "deadline-already-subscribed-title"),
    sections: [
      { text: leadInWords(t, o.leadDays) },
      items.length > 0 ? { items } : { text: t.label("deadline-subscribed-none") },
    ],
  };
}

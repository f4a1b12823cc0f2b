import { z } from "zod";
import type { ConversationAddress } from "../core/inbound.ts";

/** Action ids of the reminders feature (it owns the "reminder." namespace of actions and forms). */
export const REMINDER_ACTIONS = {
  confirm: "reminder.confirm",
  edit: "reminder.edit",
  discard: "reminder.discard",
  pause: "reminder.pause",
  resume: "reminder.resume",
  remove: "reminder.delete",
  sendNow: "reminder.send-now",
  /** "Erinnerung anlegen" under an answer or a deadline notice: the create form for a deadline. */
  open: "reminder.open",
  /** "Formular öffnen" where the platform shows no form in reply to a message (Slack needs a button's trigger). */
  form: "reminder.form",
} as const;

/** Form id of the create (and change) form. */
export const REMINDER_FORM = "reminder.create";

/** A reminder id as Reminders issues them (bigserial). */
const REMINDER_ID = /^[1-9][0-9]{0,17}$/;
/** Document ids are paths like "musterstadt/fristen/indikatorenbericht": printable, bounded. */
const DOC_ID = /^[^\s\p{Cc}]{1,200}$/u;

/** The value of a button about one reminder. */
export function encodeReminderRef(id: string): string {
  return `r:${id}`;
}

/** The reminder id a button value names, or undefined for a value Lotse did not write. */
export function decodeReminderRef(value: string | undefined): string | undefined {
  if (!value?.startsWith("r:")) return undefined;
  const id = value.slice(2);
  return REMINDER_ID.test(id) ? id : undefined;
}

/** The value of "Erinnerung anlegen" for a deadline document. */
export function encodeDeadlineRef(docId: string): string {
  return `d:${docId}`;
}

/** The deadline document a button value names, or undefined for a value Lotse did not write. */
export function decodeDeadlineRef(value: string | undefined): string | undefined {
  if (!value?.startsWith("d:")) return undefined;
  const docId = value.slice(2);
  return DOC_ID.test(docId) ? docId : undefined;
}

/** The value of "Formular öffnen": the free text of the message, shortened to fit a button value. */
export function encodeFormRequest(free: string): string {
  return `f:${free.slice(0, 1500)}`;
}

/** The free text a "Formular öffnen" value carries, or undefined for a value Lotse did not write. */
export function decodeFormRequest(value: string | undefined): string | undefined {
  if (!value?.startsWith("f:") || value.length > 1502) return undefined;
  return value.slice(2);
}

/** What the create form carries from its opening to its submission. */
export interface FormState {
  /** The conversation the form was opened in: the reminder's list shows it there, channel reminders default to it. */
  origin: string;
  originKind: ConversationAddress["kind"];
  /** "chat" or "deadline:<doc id>". */
  source: string;
  /** The draft this submission replaces (the form opened by "Ändern"): discarded once the new draft is saved. */
  replaces?: string;
}

const MAX_STATE = 2000;
const stateSchema = z.object({
  o: z.string().min(1).max(500),
  k: z.enum(["personal", "group", "channel", "thread"]),
  s: z.union([z.literal("chat"), z.string().regex(/^deadline:[^\s\p{Cc}]{1,200}$/u)]),
  r: z.string().regex(REMINDER_ID).optional(),
});

/** The form's state as it travels (a modal's private metadata, a card's submit data). */
export function encodeFormState(s: FormState): string {
  return JSON.stringify({
    o: s.origin,
    k: s.originKind,
    s: s.source,
    ...(s.replaces ? { r: s.replaces } : {}),
  });
}

/** The state a submission carried, or undefined for one Lotse did not write. */
export function decodeFormState(value: string | undefined): FormState | undefined {
  if (!value || value.length > MAX_STATE) return undefined;
  try {
    const r = stateSchema.safeParse(JSON.parse(value));
    if (!r.success) return undefined;
    return {
      origin: r.data.o,
      originKind: r.data.k,
      source: r.data.s,
      ...(r.data.r ? { replaces: r.data.r } : {}),
    };
  } catch {
    return undefined;
  }
}

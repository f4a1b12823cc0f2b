import type { Turn } from "../core/feature.ts";
import type { SubmitInbound } from "../core/inbound.ts";
import type { Reply } from "../core/replies.ts";
import { decodeFormState, encodeFormState } from "./reminder-codec.ts";
import { isChat, opt, type ReminderKit } from "./reminder-kit.ts";
import type { NewReminder } from "./reminder-store.ts";
import {
  confirmationCard,
  defaultAudience,
  FIELDS,
  type FormValues,
  reminderForm,
} from "./reminder-views.ts";
import { REPEAT_CHOICES, scheduleFromForm } from "./schedule/form-schedule.ts";
import { nextOccurrences } from "./schedule/occurrences.ts";
import { readSchedule } from "./schedule/read-schedule.ts";

/** How many dates the confirmation shows. */
const PREVIEW = 3;

/** The first string of a submitted value (pickers may send arrays), trimmed; undefined when empty. */
function one(v: string | string[] | undefined): string | undefined {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
}

/** An http(s) URL, or undefined. */
function httpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A submitted form: invalid → the form again with its errors; valid → a draft shown for confirmation. */
export async function submitReminder(kit: ReminderKit, turn: Turn<SubmitInbound>): Promise<Reply[]> {
  const { inbound } = turn;
  const state = decodeFormState(inbound.state);
  if (!state || !isChat(inbound.platform)) {
    kit.deps.log.warn({ code: "REQUEST_INVALID", formId: inbound.formId }, "reminder form state refused");
    return kit.privately(kit.label("reminder-not-found"));
  }
  const v = inbound.values;
  const audienceValue = one(v[FIELDS.audience]);
  const values: FormValues = {
    ...opt("text", one(v[FIELDS.text])),
    ...opt("when", one(v[FIELDS.when])),
    ...opt("date", one(v[FIELDS.date])),
    ...opt("time", one(v[FIELDS.time])),
    ...opt("repeat", one(v[FIELDS.repeat])),
    ...opt("link", one(v[FIELDS.link])),
    ...opt("target", one(v[FIELDS.target])),
    audience:
      audienceValue === "channel" || audienceValue === "personal"
        ? audienceValue
        : defaultAudience(state.originKind),
  };
  const now = kit.now();
  const errors: Record<string, string> = {};
  let schedule: { rrule: string; reading: string } | undefined;
  if (values.when) {
    const read = readSchedule(values.when, now);
    if (read.ok) {
      schedule = read;
      if (!values.text && read.rest?.trim()) values.text = read.rest.trim();
    } else errors[FIELDS.when] = read.message;
  } else if (values.date || (values.repeat && values.repeat !== "once")) {
    const repeat = REPEAT_CHOICES.find((c) => c.value === values.repeat)?.value;
    const read = scheduleFromForm(
      {
        ...opt("date", values.date),
        ...opt("time", values.time),
        ...(repeat ? { repeat } : {}),
      },
      now,
    );
    if (read.ok) schedule = read;
    else errors[FIELDS.date] = read.message;
  } else errors[FIELDS.when] = kit.label("reminder-error-when-missing");
  if (!values.text) errors[FIELDS.text] = kit.label("reminder-error-text");
  if (values.link && !httpUrl(values.link)) errors[FIELDS.link] = kit.label("reminder-error-link");
  const next = schedule ? nextOccurrences(schedule.rrule, now, PREVIEW, { inclusive: true }) : [];
  if (schedule && next.length === 0)
    errors[values.when ? FIELDS.when : FIELDS.date] = kit.label("reminder-error-past");
  // Teams has no conversation picker: its adapter fills the field with the conversation the card was submitted in,
  // but the invoke's data can be written by hand, so on Teams the channel target is that conversation's channel
  // (posted to as a new thread), whatever the values say (Slack's picker values come signed from Slack and name
  // channels of the one workspace).
  const channelTarget =
    inbound.platform === "teams" ? inbound.conversation.channel : (values.target ?? state.origin);
  const target = values.audience === "personal" ? inbound.user.id : channelTarget;
  if (values.audience === "channel" && !(await kit.coordinator(turn)))
    errors[FIELDS.audience] = await kit.refused(turn);
  if (Object.keys(errors).length > 0 || !schedule || !values.text) {
    const form = reminderForm(kit.deps.templates, {
      values,
      state: inbound.state ?? encodeFormState(state),
      originKind: state.originKind,
      errors,
    });
    return [{ kind: "form", form }];
  }
  const draft: NewReminder = {
    tenant: turn.tenant,
    audience: values.audience ?? "personal",
    platform: inbound.platform,
    target,
    originConversation: state.origin,
    text: values.text,
    ...(values.link ? { linkUrl: values.link } : {}),
    rrule: schedule.rrule,
    reading: schedule.reading,
    creatorPseudonym: turn.user,
    ...(inbound.user.name ? { creatorName: inbound.user.name } : {}),
    creatorUserId: inbound.user.id,
    source: state.source,
  };
  const saved = await kit.deps.reminders.draft(draft);
  if (state.replaces) await dropDraft(kit, turn, state.replaces);
  kit.deps.log.info(
    { event: "reminder_drafted", reminder: saved.id, tenant: turn.tenant, audience: saved.audience },
    "reminder drafted",
  );
  return [{ kind: "card", card: confirmationCard(kit.deps.templates, saved, next), private: true }];
}

/** Removes the draft an edited form replaces, if it is still a draft of this user. */
async function dropDraft(kit: ReminderKit, turn: Turn, id: string): Promise<void> {
  const old = await kit.deps.reminders.get(id, turn.tenant);
  if (old?.status === "draft" && old.creatorPseudonym === turn.user)
    await kit.deps.reminders.remove(id, turn.tenant);
}

import type { Turn } from "../core/feature.ts";
import type { ActionInbound } from "../core/inbound.ts";
import type { Reply } from "../core/replies.ts";
import { toLotseError } from "../errors.ts";
import {
  decodeDeadlineRef,
  decodeFormRequest,
  decodeReminderRef,
  REMINDER_ACTIONS,
} from "./reminder-codec.ts";
import { opt, type ReminderKit } from "./reminder-kit.ts";
import type { Reminder } from "./reminder-store.ts";
import { type FormValues, listingCard, savedCard, shorten, textCard } from "./reminder-views.ts";
import type { ReminderListing } from "./reminders.ts";
import { toBerlin } from "./schedule/berlin-time.ts";
import { nextOccurrences } from "./schedule/occurrences.ts";
import { readSchedule } from "./schedule/read-schedule.ts";

/** A button: the reminder it names is looked up by id and tenant and changed only by whoever may. */
export async function actOnReminder(kit: ReminderKit, turn: Turn<ActionInbound>): Promise<Reply[]> {
  const { inbound } = turn;
  if (inbound.actionId === REMINDER_ACTIONS.open) return openForDeadline(kit, turn);
  if (inbound.actionId === REMINDER_ACTIONS.form) {
    const free = decodeFormRequest(inbound.value);
    return free === undefined ? kit.privately(kit.label("reminder-not-found")) : kit.openForm(turn, free);
  }
  const id = decodeReminderRef(inbound.value);
  const r = id ? await kit.deps.reminders.get(id, turn.tenant) : undefined;
  if (!id || !r) {
    kit.deps.log.warn(
      { code: "REMINDER_NOT_FOUND", actionId: inbound.actionId, tenant: turn.tenant },
      "reminder action refused: unknown reminder",
    );
    return kit.privately(kit.label("reminder-not-found"));
  }
  const refused = await kit.refusal(turn, r);
  if (refused) {
    kit.deps.log.info(
      {
        event: "reminder_refused",
        code: "REMINDER_FORBIDDEN",
        actionId: inbound.actionId,
        reminder: r.id,
        tenant: turn.tenant,
      },
      "reminder change refused",
    );
    return kit.privately(refused);
  }
  try {
    return await change(kit, turn, r);
  } catch (err) {
    const e = toLotseError(err);
    const reason = e.details.reason;
    if (e.code !== "REQUEST_INVALID" && e.code !== "REMINDER_NOT_FOUND" && e.code !== "REMINDER_IN_PAST")
      throw e;
    kit.deps.log.info(
      { code: e.code, reason, actionId: inbound.actionId, reminder: r.id },
      "reminder action not possible",
    );
    if (reason === "reminder_in_past") return kit.privately(kit.label("reminder-no-next"));
    if (reason === "reminder_not_active") return kit.privately(kit.label("reminder-not-active"));
    if (reason === "reminder_not_pausable") return kit.privately(kit.label("reminder-not-pausable"));
    if (reason === "reminder_not_paused") return kit.privately(kit.label("reminder-not-resumable"));
    return kit.privately(kit.label("reminder-not-found"));
  }
}

async function change(kit: ReminderKit, turn: Turn<ActionInbound>, r: Reminder): Promise<Reply[]> {
  const { reminders, templates } = kit.deps;
  const { tenant } = turn;
  const now = kit.now();
  switch (turn.inbound.actionId) {
    case REMINDER_ACTIONS.confirm: {
      if (r.status !== "draft" && r.status !== "active")
        return kit.privately(kit.label("reminder-not-found"));
      const saved = await reminders.confirm(r.id, tenant, now);
      const next = nextOccurrences(saved.rrule, now, 1, { inclusive: true })[0];
      return [{ kind: "update", card: savedCard(templates, saved, next) }];
    }
    case REMINDER_ACTIONS.edit:
      if (r.status !== "draft") return kit.privately(kit.label("reminder-not-found"));
      return kit.openForm(
        turn,
        "",
        { origin: r.originConversation, source: r.source, replaces: r.id },
        {
          text: r.text,
          ...scheduleValues(r, now),
          ...opt("link", r.linkUrl),
          audience: r.audience,
          ...(r.audience === "channel" ? { target: r.target } : {}),
        },
      );
    case REMINDER_ACTIONS.discard:
      if (r.status !== "draft") return kit.privately(kit.label("reminder-not-found"));
      await reminders.remove(r.id, tenant);
      return [{ kind: "update", card: textCard(kit.label("reminder-discarded")) }];
    case REMINDER_ACTIONS.pause:
      return updated(kit, turn, await reminders.pause(r.id, tenant));
    case REMINDER_ACTIONS.resume:
      return updated(kit, turn, await reminders.resume(r.id, tenant, now));
    case REMINDER_ACTIONS.remove:
      await reminders.remove(r.id, tenant);
      return [{ kind: "update", card: textCard(kit.label("reminder-deleted", { text: shorten(r.text) })) }];
    case REMINDER_ACTIONS.sendNow:
      await reminders.sendNow(r.id, tenant, now);
      return kit.privately(kit.label("reminder-sent-now", { text: shorten(r.text) }));
    default:
      kit.deps.log.warn(
        { code: "REQUEST_INVALID", actionId: turn.inbound.actionId },
        "unknown reminder action",
      );
      return [];
  }
}

/** The reminder's card in the list, re-rendered after a change (with its last delivery where the list has it). */
async function updated(kit: ReminderKit, turn: Turn, r: Reminder): Promise<Reply[]> {
  const listed = (await kit.listings(turn)).find((l) => l.reminder.id === r.id);
  const next = r.status === "active" ? nextOccurrences(r.rrule, kit.now(), 1)[0] : undefined;
  const listing: ReminderListing = listed ?? {
    reminder: r,
    ...(next ? { next } : {}),
    failed: 0,
    skipped: 0,
  };
  return [{ kind: "update", card: listingCard(kit.deps.templates, listing) }];
}

/** "Erinnerung anlegen" for a deadline: the form pre-filled with its title and its schedule. */
async function openForDeadline(kit: ReminderKit, turn: Turn<ActionInbound>): Promise<Reply[]> {
  const docId = decodeDeadlineRef(turn.inbound.value);
  const deadline = docId ? await kit.deps.deadlines.get(turn.tenant, docId) : undefined;
  if (!docId || !deadline) return kit.privately(kit.label("deadline-unknown"));
  return kit.openForm(
    turn,
    "",
    { source: `deadline:${docId}` },
    { text: deadline.title, when: deadline.due },
  );
}

/**
 * A saved schedule as the form shows it again: its reading where the grammar reads it back (recurrences), else the
 * next date and time (a one-off's reading names a weekday and a year the grammar does not take).
 */
function scheduleValues(r: Reminder, now: Date): FormValues {
  if (readSchedule(r.reading, now).ok) return { when: r.reading };
  const first = nextOccurrences(r.rrule, now, 1, { inclusive: true })[0];
  if (!first) return {};
  const z = toBerlin(first);
  const two = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${z.year}-${two(z.month)}-${two(z.day)}`,
    time: `${two(z.hour)}:${two(z.minute)}`,
    repeat: "once",
  };
}

import type { Templates } from "../assistant/templates.ts";
import { isCoordinator } from "../core/coordinators.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { ActionInbound, Inbound, MessageInbound, SubmitInbound } from "../core/inbound.ts";
import { notice, type Reply } from "../core/replies.ts";
import type { Roster } from "../core/roster.ts";
import type { TenantSettings } from "../core/tenant-settings.ts";
import { toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Deadlines } from "./deadlines/deadlines.ts";
import {
  decodeDeadlineRef,
  decodeFormRequest,
  decodeFormState,
  decodeReminderRef,
  encodeFormRequest,
  encodeFormState,
  type FormState,
  REMINDER_ACTIONS,
  REMINDER_FORM,
} from "./reminder-codec.ts";
import { reminderIntent } from "./reminder-intents.ts";
import type { NewReminder, Reminder } from "./reminder-store.ts";
import {
  confirmationCard,
  defaultAudience,
  FIELDS,
  type FormValues,
  listCards,
  listingCard,
  reminderForm,
  savedCard,
  shorten,
  textCard,
} from "./reminder-views.ts";
import type { ReminderListing, Reminders } from "./reminders.ts";
import { toBerlin } from "./schedule/berlin-time.ts";
import { REPEAT_CHOICES, scheduleFromForm } from "./schedule/form-schedule.ts";
import { nextOccurrences } from "./schedule/occurrences.ts";
import { readSchedule } from "./schedule/read-schedule.ts";

export interface ReminderFeatureDeps {
  reminders: Pick<
    Reminders,
    "draft" | "confirm" | "get" | "list" | "pause" | "resume" | "remove" | "sendNow"
  >;
  deadlines: Pick<Deadlines, "get">;
  templates: Templates;
  tenantSettings: TenantSettings;
  rosters: Map<Roster["platform"], Roster>;
  log: Logger;
  clock?: () => Date;
  /**
   * Who a refused user can ask (the tenant's coordinators' role or contact, e.g. "Stabsstelle Nachhaltigkeit,
   * nachhaltigkeit@musterstadt.de"), named in the refusal; absent or undefined: the refusal names the role only.
   */
  whoCanHelp?: (tenant: string) => Promise<string | undefined>;
}

/** How many dates the confirmation shows. */
const PREVIEW = 3;

type Chat = "slack" | "teams";
const isChat = (p: Inbound["platform"]): p is Chat => p === "slack" || p === "teams";

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

/**
 * Reminders from chat: "erinnerung …" opens the create form (pre-filled from the phrase), its submission is shown
 * as a draft with the next three dates and saved only on "Speichern"; "erinnerungen" lists the conversation's and
 * one's own reminders with pause/resume, delete and "jetzt senden". Channel reminders are the coordinators'; anyone
 * may set and change personal ones of their own. Button values and form state are parsed, never trusted.
 */
export class ReminderFeature implements Feature {
  readonly name = "reminders";
  private readonly deps: ReminderFeatureDeps;
  private readonly now: () => Date;

  constructor(deps: ReminderFeatureDeps) {
    this.deps = deps;
    this.now = deps.clock ?? (() => new Date());
  }

  owns(inbound: Inbound): boolean {
    if (inbound.kind === "message") {
      const intent = reminderIntent(inbound.text);
      return intent?.kind === "create" || intent?.kind === "list";
    }
    if (inbound.kind === "action") return inbound.actionId.startsWith("reminder.");
    if (inbound.kind === "submit") return inbound.formId === REMINDER_FORM;
    return false;
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const inbound = turn.inbound;
    if (inbound.kind === "message") {
      const intent = reminderIntent(inbound.text);
      if (intent?.kind === "list") return this.list(turn as Turn<MessageInbound>);
      const free = intent?.kind === "create" ? intent.text : "";
      // A Slack modal needs the trigger of a command or a button, which a message event has not: offer a button.
      if (inbound.platform === "slack" && inbound.private !== true) return this.formButton(free);
      return this.openForm(turn, free);
    }
    if (inbound.kind === "submit") return this.submit(turn as Turn<SubmitInbound>);
    if (inbound.kind === "action") return this.act(turn as Turn<ActionInbound>);
    return [];
  }

  private label(name: Parameters<Templates["label"]>[0], vars: Record<string, string | number> = {}): string {
    return this.deps.templates.label(name, vars);
  }

  /** A private card with "Formular öffnen", carrying the message's free text to the form. */
  private formButton(free: string): Reply[] {
    return [
      {
        kind: "card",
        private: true,
        card: {
          sections: [{ text: this.label("reminder-open-form-intro") }],
          buttons: [
            {
              label: this.label("reminder-button-open-form"),
              actionId: REMINDER_ACTIONS.form,
              value: encodeFormRequest(free),
              style: "primary",
            },
          ],
        },
      },
    ];
  }

  private privately(text: string): Reply[] {
    return [notice(text, { private: true })];
  }

  /** The create form, pre-filled from the free text: its schedule phrase under "Wann", the rest as the text. */
  private openForm(
    turn: Turn,
    free: string,
    extra: Partial<FormState> = {},
    values: FormValues = {},
  ): Reply[] {
    const { inbound } = turn;
    if (!isChat(inbound.platform)) return this.privately(this.label("reminder-platform-only"));
    const prefill: FormValues = { ...values };
    if (free) {
      const read = readSchedule(free, this.now());
      if (read.ok) {
        const rest = read.rest?.trim();
        prefill.text = rest || prefill.text;
        prefill.when =
          rest && free.endsWith(rest)
            ? free.slice(0, free.length - rest.length).replace(/[\s:,–-]+$/, "")
            : free;
      } else prefill.text = free;
    }
    const state: FormState = {
      // A reminder belongs to the channel, not to the thread (a Teams post, a Slack thread) it was set in.
      origin: inbound.conversation.channel,
      originKind: inbound.conversation.kind,
      source: "chat",
      ...extra,
    };
    const form = reminderForm(this.deps.templates, {
      values: prefill,
      state: encodeFormState(state),
      originKind: state.originKind,
    });
    return [{ kind: "form", form }];
  }

  /** Whether the user of an input is one of the tenant's coordinators. */
  private async coordinator(turn: Turn): Promise<boolean> {
    const { inbound } = turn;
    const roster = isChat(inbound.platform) ? this.deps.rosters.get(inbound.platform) : undefined;
    return isCoordinator(inbound, this.deps.tenantSettings.of(turn.tenant), roster);
  }

  /** Why the user may not change a reminder (a German refusal), or undefined when they may. */
  private async refusal(turn: Turn, r: Reminder): Promise<string | undefined> {
    if (r.audience === "personal")
      return r.creatorPseudonym === turn.user ? undefined : this.label("reminder-refused-other");
    if (turn.inbound.platform !== "cli" && r.platform !== turn.inbound.platform) return this.refused(turn);
    return (await this.coordinator(turn)) ? undefined : this.refused(turn);
  }

  /** "Channel reminders are the coordinators'", naming whom to ask where the tenant has a contact for it. */
  private async refused(turn: Turn): Promise<string> {
    const who = await this.deps.whoCanHelp?.(turn.tenant).catch((err: unknown) => {
      this.deps.log.warn({ code: toLotseError(err).code, tenant: turn.tenant }, "reminder contact not found");
      return undefined;
    });
    const text = this.label("reminder-refused");
    return who ? `${text} ${this.label("reminder-refused-contact", { who })}` : text;
  }

  /** A submitted form: invalid → the form again with its errors; valid → a draft shown for confirmation. */
  private async submit(turn: Turn<SubmitInbound>): Promise<Reply[]> {
    const { inbound } = turn;
    const state = decodeFormState(inbound.state);
    if (!state || !isChat(inbound.platform)) {
      this.deps.log.warn({ code: "REQUEST_INVALID", formId: inbound.formId }, "reminder form state refused");
      return this.privately(this.label("reminder-not-found"));
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
    const now = this.now();
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
    } else errors[FIELDS.when] = this.label("reminder-error-when-missing");
    if (!values.text) errors[FIELDS.text] = this.label("reminder-error-text");
    if (values.link && !httpUrl(values.link)) errors[FIELDS.link] = this.label("reminder-error-link");
    const next = schedule ? nextOccurrences(schedule.rrule, now, PREVIEW, { inclusive: true }) : [];
    if (schedule && next.length === 0)
      errors[values.when ? FIELDS.when : FIELDS.date] = this.label("reminder-error-past");
    // Teams has no conversation picker: its adapter fills the field with the conversation the card was submitted in,
    // but the invoke's data can be written by hand, so on Teams the channel target is that conversation's channel
    // (posted to as a new thread), whatever the values say (Slack's picker values come signed from Slack and name
    // channels of the one workspace).
    const channelTarget =
      inbound.platform === "teams" ? inbound.conversation.channel : (values.target ?? state.origin);
    const target = values.audience === "personal" ? inbound.user.id : channelTarget;
    if (values.audience === "channel" && !(await this.coordinator(turn)))
      errors[FIELDS.audience] = await this.refused(turn);
    if (Object.keys(errors).length > 0 || !schedule || !values.text) {
      const form = reminderForm(this.deps.templates, {
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
    const saved = await this.deps.reminders.draft(draft);
    if (state.replaces) await this.dropDraft(turn, state.replaces);
    this.deps.log.info(
      { event: "reminder_drafted", reminder: saved.id, tenant: turn.tenant, audience: saved.audience },
      "reminder drafted",
    );
    return [{ kind: "card", card: confirmationCard(this.deps.templates, saved, next), private: true }];
  }

  /** Removes the draft an edited form replaces, if it is still a draft of this user. */
  private async dropDraft(turn: Turn, id: string): Promise<void> {
    const old = await this.deps.reminders.get(id, turn.tenant);
    if (old?.status === "draft" && old.creatorPseudonym === turn.user)
      await this.deps.reminders.remove(id, turn.tenant);
  }

  /** The conversation's reminders and one's own, one card each with its buttons. */
  private async list(turn: Turn<MessageInbound>): Promise<Reply[]> {
    const { inbound } = turn;
    const listings = await this.listings(turn);
    // One's own reminders are nobody else's business: a list posted for everyone in a channel leaves out the
    // personal ones and one's channel reminders of other (perhaps private) channels; a private list shows them.
    const publicInShared = inbound.private !== true && inbound.conversation.kind !== "personal";
    const here = inbound.conversation.channel;
    const shown = publicInShared
      ? listings.filter(
          ({ reminder: r }) =>
            r.audience === "channel" && (r.originConversation === here || r.target === here),
        )
      : listings;
    return listCards(this.deps.templates, shown).map((card) => ({
      kind: "card",
      card,
      ...(inbound.private ? { private: true } : {}),
    }));
  }

  private async listings(turn: Turn): Promise<ReminderListing[]> {
    const { inbound } = turn;
    if (!isChat(inbound.platform)) return this.deps.reminders.list({ tenant: turn.tenant }, this.now());
    return this.deps.reminders.list(
      {
        tenant: turn.tenant,
        platform: inbound.platform,
        conversation: inbound.conversation.channel,
        creatorPseudonym: turn.user,
      },
      this.now(),
    );
  }

  /** A button: the reminder it names is looked up by id and tenant and changed only by whoever may. */
  private async act(turn: Turn<ActionInbound>): Promise<Reply[]> {
    const { inbound } = turn;
    if (inbound.actionId === REMINDER_ACTIONS.open) return this.openForDeadline(turn);
    if (inbound.actionId === REMINDER_ACTIONS.form) {
      const free = decodeFormRequest(inbound.value);
      return free === undefined
        ? this.privately(this.label("reminder-not-found"))
        : this.openForm(turn, free);
    }
    const id = decodeReminderRef(inbound.value);
    const r = id ? await this.deps.reminders.get(id, turn.tenant) : undefined;
    if (!id || !r) {
      this.deps.log.warn(
        { code: "REQUEST_INVALID", actionId: inbound.actionId, tenant: turn.tenant },
        "reminder action refused: unknown reminder",
      );
      return this.privately(this.label("reminder-not-found"));
    }
    const refused = await this.refusal(turn, r);
    if (refused) {
      this.deps.log.info(
        { event: "reminder_refused", actionId: inbound.actionId, reminder: r.id, tenant: turn.tenant },
        "reminder change refused",
      );
      return this.privately(refused);
    }
    try {
      return await this.change(turn, r);
    } catch (err) {
      const e = toLotseError(err);
      const reason = e.details.reason;
      if (e.code !== "REQUEST_INVALID" && e.code !== "REMINDER_NOT_FOUND" && e.code !== "REMINDER_IN_PAST")
        throw e;
      this.deps.log.info(
        { code: e.code, reason, actionId: inbound.actionId, reminder: r.id },
        "reminder action not possible",
      );
      if (reason === "reminder_in_past") return this.privately(this.label("reminder-no-next"));
      if (reason === "reminder_not_active") return this.privately(this.label("reminder-not-active"));
      if (reason === "reminder_not_pausable") return this.privately(this.label("reminder-not-pausable"));
      if (reason === "reminder_not_paused") return this.privately(this.label("reminder-not-resumable"));
      return this.privately(this.label("reminder-not-found"));
    }
  }

  private async change(turn: Turn<ActionInbound>, r: Reminder): Promise<Reply[]> {
    const { reminders, templates } = this.deps;
    const { tenant } = turn;
    const now = this.now();
    switch (turn.inbound.actionId) {
      case REMINDER_ACTIONS.confirm: {
        if (r.status !== "draft" && r.status !== "active")
          return this.privately(this.label("reminder-not-found"));
        const saved = await reminders.confirm(r.id, tenant, now);
        const next = nextOccurrences(saved.rrule, now, 1, { inclusive: true })[0];
        return [{ kind: "update", card: savedCard(templates, saved, next) }];
      }
      case REMINDER_ACTIONS.edit:
        if (r.status !== "draft") return this.privately(this.label("reminder-not-found"));
        return this.openForm(
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
        if (r.status !== "draft") return this.privately(this.label("reminder-not-found"));
        await reminders.remove(r.id, tenant);
        return [{ kind: "update", card: textCard(this.label("reminder-discarded")) }];
      case REMINDER_ACTIONS.pause:
        return this.updated(turn, await reminders.pause(r.id, tenant));
      case REMINDER_ACTIONS.resume:
        return this.updated(turn, await reminders.resume(r.id, tenant, now));
      case REMINDER_ACTIONS.remove:
        await reminders.remove(r.id, tenant);
        return [
          { kind: "update", card: textCard(this.label("reminder-deleted", { text: shorten(r.text) })) },
        ];
      case REMINDER_ACTIONS.sendNow:
        await reminders.sendNow(r.id, tenant, now);
        return this.privately(this.label("reminder-sent-now", { text: shorten(r.text) }));
      default:
        this.deps.log.warn(
          { code: "REQUEST_INVALID", actionId: turn.inbound.actionId },
          "unknown reminder action",
        );
        return [];
    }
  }

  /** The reminder's card in the list, re-rendered after a change (with its last delivery where the list has it). */
  private async updated(turn: Turn, r: Reminder): Promise<Reply[]> {
    const listed = (await this.listings(turn)).find((l) => l.reminder.id === r.id);
    const next = r.status === "active" ? nextOccurrences(r.rrule, this.now(), 1)[0] : undefined;
    const listing: ReminderListing = listed ?? {
      reminder: r,
      ...(next ? { next } : {}),
      failed: 0,
      skipped: 0,
    };
    return [{ kind: "update", card: listingCard(this.deps.templates, listing) }];
  }

  /** "Erinnerung anlegen" for a deadline: the form pre-filled with its title and its schedule. */
  private async openForDeadline(turn: Turn<ActionInbound>): Promise<Reply[]> {
    const docId = decodeDeadlineRef(turn.inbound.value);
    const deadline = docId ? await this.deps.deadlines.get(turn.tenant, docId) : undefined;
    if (!docId || !deadline) return this.privately(this.label("deadline-unknown"));
    return this.openForm(
      turn,
      "",
      { source: `deadline:${docId}` },
      { text: deadline.title, when: deadline.due },
    );
  }
}

/** `{ [key]: value }` when the value is present (exactOptionalPropertyTypes leaves no room for undefined). */
function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: string });
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

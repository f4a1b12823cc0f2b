import type { Templates } from "../assistant/templates.ts";
import { isCoordinator } from "../core/coordinators.ts";
import type { Turn } from "../core/feature.ts";
import type { Inbound } from "../core/inbound.ts";
import { notice, type Reply } from "../core/replies.ts";
import type { Roster } from "../core/roster.ts";
import type { TenantSettings } from "../core/tenant-settings.ts";
import { toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Deadlines } from "./deadlines/deadlines.ts";
import { encodeFormState, type FormState } from "./reminder-codec.ts";
import type { Reminder } from "./reminder-store.ts";
import { type FormValues, reminderForm } from "./reminder-views.ts";
import type { ReminderListing, Reminders } from "./reminders.ts";
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

type Chat = "slack" | "teams";
/** Whether an input came from a chat platform (reminders live in Teams and Slack, not in the CLI). */
export const isChat = (p: Inbound["platform"]): p is Chat => p === "slack" || p === "teams";

/** `{ [key]: value }` when the value is present (exactOptionalPropertyTypes leaves no room for undefined). */
export function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: string });
}

/**
 * What the reminder feature's parts share (src/reminders/reminder-feature.ts, -submit.ts, -actions.ts): its deps and
 * clock, German labels, the create form, and who may do what.
 */
export class ReminderKit {
  readonly deps: ReminderFeatureDeps;
  readonly now: () => Date;

  constructor(deps: ReminderFeatureDeps) {
    this.deps = deps;
    this.now = deps.clock ?? (() => new Date());
  }

  /** A German label of prompts/de/labels.yaml. */
  label(name: Parameters<Templates["label"]>[0], vars: Record<string, string | number> = {}): string {
    return this.deps.templates.label(name, vars);
  }

  /** A notice only the user sees. */
  privately(text: string): Reply[] {
    return [notice(text, { private: true })];
  }

  /** The create form, pre-filled from the free text: its schedule phrase under "Wann", the rest as the text. */
  openForm(turn: Turn, free: string, extra: Partial<FormState> = {}, values: FormValues = {}): Reply[] {
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
  async coordinator(turn: Turn): Promise<boolean> {
    const { inbound } = turn;
    const roster = isChat(inbound.platform) ? this.deps.rosters.get(inbound.platform) : undefined;
    return isCoordinator(inbound, this.deps.tenantSettings.of(turn.tenant), roster);
  }

  /** Why the user may not change a reminder (a German refusal), or undefined when they may. */
  async refusal(turn: Turn, r: Reminder): Promise<string | undefined> {
    if (r.audience === "personal")
      return r.creatorPseudonym === turn.user ? undefined : this.label("reminder-refused-other");
    if (turn.inbound.platform !== "cli" && r.platform !== turn.inbound.platform) return this.refused(turn);
    return (await this.coordinator(turn)) ? undefined : this.refused(turn);
  }

  /** "Channel reminders are the coordinators'", naming whom to ask where the tenant has a contact for it. */
  async refused(turn: Turn): Promise<string> {
    const who = await this.deps.whoCanHelp?.(turn.tenant).catch((err: unknown) => {
      this.deps.log.warn({ code: toLotseError(err).code, tenant: turn.tenant }, "reminder contact not found");
      return undefined;
    });
    const text = this.label("reminder-refused");
    return who ? `${text} ${this.label("reminder-refused-contact", { who })}` : text;
  }

  /** The reminders a list in this conversation shows: the channel's and one's own (all of the tenant's on the CLI). */
  async listings(turn: Turn): Promise<ReminderListing[]> {
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
}

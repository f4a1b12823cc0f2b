import type { Feature, Turn } from "../core/feature.ts";
import type { ActionInbound, Inbound, MessageInbound, SubmitInbound } from "../core/inbound.ts";
import type { Reply } from "../core/replies.ts";
import { actOnReminder } from "./reminder-actions.ts";
import { encodeFormRequest, REMINDER_ACTIONS, REMINDER_FORM } from "./reminder-codec.ts";
import { reminderIntent } from "./reminder-intents.ts";
import { type ReminderFeatureDeps, ReminderKit } from "./reminder-kit.ts";
import { submitReminder } from "./reminder-submit.ts";
import { listCards } from "./reminder-views.ts";

export type { ReminderFeatureDeps } from "./reminder-kit.ts";

/**
 * Reminders from chat: "erinnerung …" opens the create form (pre-filled from the phrase), its submission is shown
 * as a draft with the next three dates and saved only on "Speichern" (reminder-submit.ts); "erinnerungen" lists the
 * channel's and one's own reminders with pause/resume, delete and "jetzt senden" (reminder-actions.ts). Channel
 * reminders are the coordinators'; anyone may set and change personal ones of their own. Button values and form
 * state are parsed, never trusted.
 */
export class ReminderFeature implements Feature {
  readonly name = "reminders";
  private readonly kit: ReminderKit;

  constructor(deps: ReminderFeatureDeps) {
    this.kit = new ReminderKit(deps);
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
      return this.kit.openForm(turn, free);
    }
    if (inbound.kind === "submit") return submitReminder(this.kit, turn as Turn<SubmitInbound>);
    if (inbound.kind === "action") return actOnReminder(this.kit, turn as Turn<ActionInbound>);
    return [];
  }

  /** A private card with "Formular öffnen", carrying the message's free text to the form. */
  private formButton(free: string): Reply[] {
    return [
      {
        kind: "card",
        private: true,
        card: {
          sections: [{ text: this.kit.label("reminder-open-form-intro") }],
          buttons: [
            {
              label: this.kit.label("reminder-button-open-form"),
              actionId: REMINDER_ACTIONS.form,
              value: encodeFormRequest(free),
              style: "primary",
            },
          ],
        },
      },
    ];
  }

  /** The conversation's reminders and one's own, one card each with its buttons. */
  private async list(turn: Turn<MessageInbound>): Promise<Reply[]> {
    const { inbound } = turn;
    const listings = await this.kit.listings(turn);
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
    return listCards(this.kit.deps.templates, shown).map((card) => ({
      kind: "card",
      card,
      ...(inbound.private ? { private: true } : {}),
    }));
  }
}

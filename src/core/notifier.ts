import type { Reply } from "./replies.ts";

/** Where to post: into a stored conversation (a reply in its thread), or as a new thread in a channel. */
export type NotifyTarget =
  | { kind: "conversation"; conversationId: string }
  | { kind: "new-thread"; channelConversationId: string };

/**
 * What became of a message nobody asked for: delivered (to this conversation), or the conversation is gone — Lotse
 * was removed, the channel archived or deleted (Teams 403/404 such as BotNotInConversationRoster or
 * ConversationNotFound; Slack channel_not_found, not_in_channel, is_archived). Other failures throw.
 */
export type NotifyOutcome = { ok: true; conversationId: string } | { ok: false; reason: "gone" };

/**
 * The port for messages that no user triggered (reminders, onboarding nudges, digests): one implementation per
 * platform, registered in Runtime.notifiers when its adapter starts. Any reply kind can be sent, except that Slack
 * refuses a form (REQUEST_INVALID: a modal needs a user's trigger) — send a card with a button that opens it.
 */
export interface Notifier {
  readonly platform: "teams" | "slack";
  send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome>;
}

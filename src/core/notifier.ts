import type { Reply } from "./replies.ts";

/**
 * Where to post: into a stored conversation (a reply in its thread), as a new thread in a channel, or personally to a
 * user of a tenant (Slack: the app's direct message; Teams: the personal chat with the bot, created where none is
 * stored yet). `userId` is the platform's user id (Slack U…, Teams the user's id in the activity's `from`).
 */
export type NotifyTarget =
  | { kind: "conversation"; conversationId: string }
  | { kind: "new-thread"; channelConversationId: string }
  | { kind: "user"; userId: string; tenant: string };

/**
 * What became of a message nobody asked for:
 * - delivered (to this conversation);
 * - `gone`: the conversation is gone — Lotse was removed, the channel archived or deleted (Teams 403/404 such as
 *   BotNotInConversationRoster or ConversationNotFound; Slack channel_not_found, not_in_channel, is_archived), or a
 *   user cannot be reached personally (Slack user_not_found, account_inactive; Teams: the app is not installed for
 *   the user);
 * - `rate-limited`: the platform asked to wait (Slack 429 ratelimited with Retry-After; Teams 429, with Retry-After
 *   where it sends one): nothing was posted; try again after `retryAfterMs`.
 * Other failures throw (LotseError with a stable code; the scheduler retries them with backoff).
 */
export type NotifyOutcome =
  | { ok: true; conversationId: string }
  | { ok: false; reason: "gone" }
  | { ok: false; reason: "rate-limited"; retryAfterMs: number };

/**
 * The port for messages that no user triggered (reminders, onboarding nudges, digests): one implementation per
 * platform, registered in Runtime.notifiers when its adapter starts. Any reply kind can be sent, except that Slack
 * refuses a form (REQUEST_INVALID: a modal needs a user's trigger) — send a card with a button that opens it.
 */
export interface Notifier {
  readonly platform: "teams" | "slack";
  send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome>;
}

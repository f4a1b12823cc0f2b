import type { Answer } from "../assistant/answer.ts";

/** A message nobody asked for: plain text, or an answer rendered the platform's way. */
export type OutboundMessage = { kind: "text"; text: string } | { kind: "answer"; answer: Answer };

/** Where to post: into a stored conversation (a reply in its thread), or as a new thread in a channel. */
export type NotifyTarget =
  | { kind: "conversation"; conversationId: string }
  | { kind: "new-thread"; channelConversationId: string };

/**
 * The port for messages that no user triggered (reminders, onboarding nudges): one implementation per platform.
 * Resolves with the id of the conversation the message went to.
 */
export interface Notifier {
  readonly platform: "teams" | "slack";
  send(target: NotifyTarget, message: OutboundMessage): Promise<{ conversationId: string }>;
}

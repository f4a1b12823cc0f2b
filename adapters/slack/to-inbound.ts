import { z } from "zod";
import type { ConversationAddress, MessageInbound } from "../../src/core/inbound.ts";
import { LIMITS } from "./render-blocks.ts";

/** The fields of a Slack message-like event that Lotse reads (app_mention, message.im, thread replies). */
export interface SlackMessageEvent {
  type: string;
  user?: string;
  text?: string;
  channel?: string;
  channel_type?: string;
  ts?: string;
  thread_ts?: string;
  team?: string;
}

/** The question without Lotse's own mention ("<@U0LOTSE> Frage" → "Frage"). */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g") : /^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, " ").replace(/\s+/g, " ").trim();
}

/** Slack's encoding of &, < and > in message text, undone: the question as the user typed it. */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** A Slack message event as a platform-neutral Inbound. */
export function toInbound(
  event: SlackMessageEvent,
  options: { teamId: string | undefined; botUserId: string | undefined; now: Date },
): MessageInbound {
  const thread = event.thread_ts ?? (event.channel_type === "im" ? undefined : event.ts);
  const kind: ConversationAddress["kind"] =
    event.channel_type === "im"
      ? "personal"
      : event.thread_ts
        ? "thread"
        : event.channel_type === "mpim"
          ? "group"
          : "channel";
  return {
    kind: "message",
    platform: "slack",
    ...(options.teamId ? { externalTenantId: options.teamId } : {}),
    user: { id: event.user ?? "unknown" },
    conversation: { id: thread ? `${event.channel}:${thread}` : (event.channel ?? "unknown"), kind },
    text: decodeSlackText(stripBotMention(event.text ?? "", options.botUserId)),
    receivedAt: options.now,
  };
}

// What feedbackValue() in render-blocks.ts writes: the question and at most ten cited document ids.
const feedbackValueSchema = z.object({
  q: z.string().min(1).max(LIMITS.buttonValue),
  d: z.array(z.string().min(1).max(200)).max(10),
});

/** The question and cited documents a 👍/👎 button carries, or undefined for a value Lotse did not write. */
export function parseFeedbackValue(
  value: string | undefined,
): { question: string; docIds: string[] } | undefined {
  // Slack refuses longer button values, so a longer one is forged: refused before it is parsed.
  if (!value || value.length > LIMITS.buttonValue) return undefined;
  try {
    const r = feedbackValueSchema.safeParse(JSON.parse(value));
    return r.success ? { question: r.data.q, docIds: r.data.d } : undefined;
  } catch {
    return undefined; // not JSON
  }
}

import type { MessageInbound } from "../../src/core/inbound.ts";

/** The terminal as a platform: the question comes from argv, the user is the local account. */
export function toInbound(
  words: string[],
  options: { tenant?: string; user?: string; now?: Date },
): MessageInbound {
  return {
    kind: "message",
    platform: "cli",
    ...(options.tenant ? { tenant: options.tenant } : {}),
    user: { id: options.user ?? "cli" },
    conversation: { id: "cli", kind: "personal", channel: "cli" },
    text: words.join(" "),
    receivedAt: options.now ?? new Date(),
  };
}

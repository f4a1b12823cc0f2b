import type { ConversationStore } from "../../src/core/conversation-store.ts";
import type { Notifier, NotifyTarget, OutboundMessage } from "../../src/core/notifier.ts";
import { tenantDisplayName } from "../../src/core/tenancy.ts";
import { renderAnswerBlocks } from "./render-blocks.ts";
import type { SlackPoster } from "./slack-poster.ts";

/**
 * Proactive Slack messages with chat.postMessage: into a channel or DM ("C123"), a thread ("C123:1764064800.000100"),
 * or as a new top-level message that starts a thread.
 */
export class SlackNotifier implements Notifier {
  readonly platform = "slack" as const;
  private readonly deps: { poster: SlackPoster; conversations: ConversationStore; defaultTenant: string };

  constructor(deps: { poster: SlackPoster; conversations: ConversationStore; defaultTenant: string }) {
    this.deps = deps;
  }

  async send(target: NotifyTarget, message: OutboundMessage): Promise<{ conversationId: string }> {
    const id = target.kind === "conversation" ? target.conversationId : target.channelConversationId;
    const [channel, threadTs] = id.split(":") as [string, string | undefined];
    // The tenant whose goals the card names: the one stored with the conversation, else the default.
    const stored = message.kind === "answer" ? await this.deps.conversations.get("slack", id) : undefined;
    const content =
      message.kind === "text"
        ? { text: message.text }
        : renderAnswerBlocks(message.answer, {
            question: "",
            tenantName: tenantDisplayName(stored?.tenant ?? this.deps.defaultTenant),
            feedback: false,
          });
    const thread = target.kind === "conversation" ? threadTs : undefined;
    const ts = await this.deps.poster.post({ channel, ...(thread ? { thread_ts: thread } : {}), ...content });
    return { conversationId: target.kind === "new-thread" && ts ? `${channel}:${ts}` : id };
  }
}

import type { ConversationParameters, ConversationReference } from "@microsoft/agents-activity";
import {
  CardFactory,
  type CloudAdapter,
  MessageFactory,
  type OutboundUrlPolicy,
} from "@microsoft/agents-hosting";
import type { ConversationStore } from "../../src/core/conversation-store.ts";
import type { Notifier, NotifyTarget, OutboundMessage } from "../../src/core/notifier.ts";
import { tenantDisplayName } from "../../src/core/tenancy.ts";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { renderAnswerCard } from "./render-card.ts";
import { hostOf } from "./service-hosts.ts";

type NotifierDeps = {
  adapter: CloudAdapter;
  appId: string;
  conversations: ConversationStore;
  log: Logger;
  /** Which service URLs may be posted to (Lotse's token goes with every post). */
  policy: OutboundUrlPolicy;
};

/** Audience of tokens for the Bot Connector service. */
const BOT_CONNECTOR_AUDIENCE = "https://api.botframework.com";

/**
 * Proactive Teams messages from stored conversation references: into a conversation (as a reply in its thread),
 * or as a new thread in a channel. A reference whose service URL the policy refuses (stored before the allowlist,
 * or by a forged activity) is never posted to: OUTBOUND_HOST_REFUSED.
 */
export class TeamsNotifier implements Notifier {
  readonly platform = "teams" as const;
  private readonly deps: NotifierDeps;

  constructor(deps: NotifierDeps) {
    this.deps = deps;
  }

  async send(target: NotifyTarget, message: OutboundMessage): Promise<{ conversationId: string }> {
    const id = target.kind === "conversation" ? target.conversationId : target.channelConversationId;
    const stored = await this.deps.conversations.get("teams", id);
    if (!stored)
      throw new LotseError("CONVERSATION_UNKNOWN", `no stored Teams conversation ${id}`, {
        details: { conversationId: id },
      });
    const reference = stored.reference as ConversationReference;
    if (!this.deps.policy.isAllowed(reference.serviceUrl)) {
      const host = hostOf(reference.serviceUrl);
      this.deps.log.warn(
        { code: "OUTBOUND_HOST_REFUSED", host, conversation: id },
        "proactive Teams message refused: the stored serviceUrl is no Teams service host",
      );
      throw new LotseError("OUTBOUND_HOST_REFUSED", `service URL of ${id} is not allowed`, {
        details: { conversationId: id, host },
      });
    }
    const activity =
      message.kind === "text"
        ? MessageFactory.text(message.text)
        : MessageFactory.attachment(
            CardFactory.adaptiveCard(
              renderAnswerCard(message.answer, {
                question: "",
                tenantName: tenantDisplayName(stored.tenant),
                feedback: false,
              }),
            ),
          );
    try {
      if (target.kind === "conversation") {
        await this.deps.adapter.continueConversation(this.deps.appId, reference, async (ctx) => {
          await ctx.sendActivity(activity);
        });
        return { conversationId: id };
      }
      if (stored.kind !== "channel" && stored.kind !== "thread")
        throw new LotseError("CONVERSATION_UNKNOWN", `Teams conversation ${id} is not a channel`, {
          details: { conversationId: id },
        });
      // The channel itself is the conversation id without the reply chain (";messageid=…").
      const channelId = id.split(";")[0] as string;
      let created = channelId;
      const params = {
        isGroup: true,
        channelData: { channel: { id: channelId } },
        activity,
        ...(stored.externalTenantId ? { tenantId: stored.externalTenantId } : {}),
      } as ConversationParameters;
      await this.deps.adapter.createConversationAsync(
        this.deps.appId,
        "msteams",
        reference.serviceUrl ?? "",
        BOT_CONNECTOR_AUDIENCE,
        params,
        async (ctx) => {
          created = ctx.activity.conversation?.id ?? channelId;
        },
      );
      return { conversationId: created };
    } catch (err) {
      if (err instanceof LotseError) throw err;
      const status = (err as { status?: number }).status;
      this.deps.log.error(
        { code: "TEAMS_SEND_FAILED", status, conversation: id },
        "proactive Teams message failed",
      );
      throw new LotseError("TEAMS_SEND_FAILED", `proactive message to ${id} failed`, {
        cause: err,
        details: { status },
      });
    }
  }
}

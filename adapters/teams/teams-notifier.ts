import type { ConversationParameters, ConversationReference } from "@microsoft/agents-activity";
import type { CloudAdapter, OutboundUrlPolicy } from "@microsoft/agents-hosting";
import type { ConversationStore } from "../../src/core/conversation-store.ts";
import type { Notifier, NotifyOutcome, NotifyTarget } from "../../src/core/notifier.ts";
import type { Reply } from "../../src/core/replies.ts";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { replyActivity } from "./render-reply.ts";
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
 * Error codes of the Bot Connector that mean the conversation is gone for Lotse: removed from the team or chat,
 * blocked by the user, the conversation deleted. Any 404 counts too; another 403 (a token or permission fault of
 * Lotse's own) throws like every other failure.
 */
const GONE_CODES = new Set([
  "BotNotInConversationRoster",
  "ConversationBlockedByUser",
  "ConversationNotFound",
]);

/** The connector's status and error code of a failed post (the SDK's HttpError carries the response). */
function failureOf(err: unknown): { status: number | undefined; code: string | undefined } {
  const e = err as { status?: number; response?: { status?: number; data?: { error?: { code?: unknown } } } };
  const status = e.status ?? e.response?.status;
  const code = e.response?.data?.error?.code;
  return { status, code: typeof code === "string" ? code : undefined };
}

function isGone({ status, code }: { status: number | undefined; code: string | undefined }): boolean {
  return status === 404 || (status === 403 && code !== undefined && GONE_CODES.has(code));
}

/**
 * Proactive Teams messages from stored conversation references: any reply kind, rendered as for a turn, into a
 * conversation (as a reply in its thread) or as a new thread in a channel. A conversation Lotse was removed from is
 * the outcome `{ ok: false, reason: "gone" }`; a conversation never stored throws CONVERSATION_UNKNOWN, a reference
 * whose service URL the policy refuses (stored before the allowlist, or by a forged activity) is never posted to
 * (OUTBOUND_HOST_REFUSED), any other failure throws TEAMS_SEND_FAILED.
 */
export class TeamsNotifier implements Notifier {
  readonly platform = "teams" as const;
  private readonly deps: NotifierDeps;

  constructor(deps: NotifierDeps) {
    this.deps = deps;
  }

  async send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
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
    const activity = replyActivity(reply);
    try {
      if (target.kind === "conversation") {
        // The SDK hands an error inside the logic to onTurnError and resolves: it is caught here and rethrown.
        let failed: { err: unknown } | undefined;
        await this.deps.adapter.continueConversation(this.deps.appId, reference, async (ctx) => {
          try {
            await ctx.sendActivity(activity);
          } catch (err) {
            failed = { err };
          }
        });
        if (failed) throw failed.err;
        return { ok: true, conversationId: id };
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
      return { ok: true, conversationId: created };
    } catch (err) {
      if (err instanceof LotseError) throw err;
      const failure = failureOf(err);
      const { status } = failure;
      if (isGone(failure)) {
        this.deps.log.info(
          { event: "conversation_gone", status, reason: failure.code, conversation: id },
          "proactive Teams message not delivered: Lotse is no longer in the conversation",
        );
        return { ok: false, reason: "gone" };
      }
      this.deps.log.error(
        { code: "TEAMS_SEND_FAILED", status, reason: failure.code, conversation: id },
        "proactive Teams message failed",
      );
      throw new LotseError("TEAMS_SEND_FAILED", `proactive message to ${id} failed`, {
        cause: err,
        details: { status },
      });
    }
  }
}

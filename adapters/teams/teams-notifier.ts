import type { Activity, ConversationParameters, ConversationReference } from "@microsoft/agents-activity";
import type { CloudAdapter, OutboundUrlPolicy } from "@microsoft/agents-hosting";
import type { ConversationRef, ConversationStore } from "../../src/core/conversation-store.ts";
import type { Notifier, NotifyOutcome, NotifyTarget } from "../../src/core/notifier.ts";
import type { Reply } from "../../src/core/replies.ts";
import { SEND_TIMEOUT_MS, withTimeout } from "../../src/core/send-timeout.ts";
import type { Queryable } from "../../src/db/database.ts";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { failureOf, isGone, retryAfterMs } from "./connector-failure.ts";
import { replyActivity } from "./render-reply.ts";
import { hostOf } from "./service-hosts.ts";
import { type StoredTeamsReference, TenantReferences } from "./tenant-reference.ts";
import { channelOf } from "./to-inbound.ts";

type NotifierDeps = {
  adapter: CloudAdapter;
  appId: string;
  conversations: ConversationStore;
  /** Read-only, for a user's personal chat and a tenant's service URL (tenant-reference.ts). */
  db: Queryable;
  log: Logger;
  /** Which service URLs may be posted to (Lotse's token goes with every post). */
  policy: OutboundUrlPolicy;
  /** For a Retry-After given as a date; default the system clock. */
  now?: () => Date;
  /** Bound of one send (default SEND_TIMEOUT_MS, well below the scheduler's lease). */
  sendTimeoutMs?: number;
};

/** Audience of tokens for the Bot Connector service. */
const BOT_CONNECTOR_AUDIENCE = "https://api.botframework.com";

/** The channel account of Lotse itself in Teams (bots are "28:" + their app id). */
const botAccount = (appId: string) => ({ id: `28:${appId}` });

/**
 * Proactive Teams messages: any reply kind, rendered as for a turn, into a stored conversation (as a reply in its
 * thread), as a new thread in a channel (found by its own reference or its newest thread's; in a personal or group
 * chat, which has no threads, a new message in the chat), or into a user's personal chat with Lotse — the stored one, else created
 * through the Bot Connector (POST /v3/conversations, with the user's Entra object id as member: Teams accepts it when
 * the app is installed for the user) on the service URL and Entra tenant of the tenant's newest stored conversation.
 * Outcomes: a conversation Lotse was removed from, a user Lotse cannot reach (the app not installed: 403/404 on
 * creation) or a tenant without any stored conversation is `gone`; a 429 is `rate-limited` with the Retry-After (the
 * SDK's HTTP client makes one attempt and never retries, so the scheduler decides). A conversation never stored
 * throws CONVERSATION_UNKNOWN, a reference whose service URL the policy refuses (stored before the allowlist, or by a
 * forged activity) is never posted to (OUTBOUND_HOST_REFUSED), any other failure throws TEAMS_SEND_FAILED — so does
 * a send the connector has not answered within the send timeout (details.reason "timeout"), so the scheduler retries.
 */
export class TeamsNotifier implements Notifier {
  readonly platform = "teams" as const;
  private readonly deps: NotifierDeps;
  private readonly references: TenantReferences;

  constructor(deps: NotifierDeps) {
    this.deps = deps;
    this.references = new TenantReferences(deps.db);
  }

  /** Sends, bounded by the send timeout (TEAMS_SEND_FAILED with reason "timeout" when the connector never answers). */
  async send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
    const ms = this.deps.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    return withTimeout(this.deliver(target, reply), ms, () => {
      this.deps.log.error(
        { code: "TEAMS_SEND_FAILED", reason: "timeout", timeoutMs: ms, target: target.kind },
        "proactive Teams message failed: the connector did not answer in time",
      );
      return new LotseError("TEAMS_SEND_FAILED", `proactive Teams message not sent within ${ms} ms`, {
        details: { reason: "timeout", timeoutMs: ms },
      });
    });
  }

  private async deliver(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
    const activity = replyActivity(reply);
    if (target.kind === "user") return this.sendToUser(target, activity);
    const id = target.kind === "conversation" ? target.conversationId : target.channelConversationId;
    const stored =
      (await this.deps.conversations.get("teams", id)) ??
      (target.kind === "new-thread" ? await this.channelFromThreads(id) : undefined);
    if (!stored)
      throw new LotseError("CONVERSATION_UNKNOWN", `no stored Teams conversation ${id}`, {
        details: { conversationId: id },
      });
    const reference = stored.reference as ConversationReference;
    this.checkHost(reference.serviceUrl, id);
    if (target.kind === "conversation")
      return this.attempt(id, async () => {
        await this.continueIn(reference, activity);
        return id;
      });
    // A personal or group chat has no threads: a "new thread" there is a new message in the chat, not a reply.
    if (stored.kind === "personal" || stored.kind === "group")
      return this.attempt(id, async () => {
        await this.continueIn(reference, activity, { newMessage: true });
        return id;
      });
    const channelId = channelOf(id);
    return this.attempt(id, async () => {
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
      return created;
    });
  }

  /**
   * A channel known only by its threads: Lotse stores a reference per reply chain ("<channel>;messageid=…"), and
   * the channel itself only when Teams sent an activity of the channel (an installation, a join). The newest
   * thread's reference serves for the channel (its service URL and tenant), with the channel's id.
   */
  private async channelFromThreads(channelId: string): Promise<ConversationRef | undefined> {
    if (channelId.includes(";")) return undefined;
    const thread = await this.references.newestThread(channelId);
    if (!thread) return undefined;
    const reference: ConversationReference = {
      ...thread.reference,
      conversation: { ...thread.reference.conversation, id: channelId },
    };
    return {
      platform: "teams",
      conversationId: channelId,
      tenant: thread.tenant,
      ...(thread.externalTenantId ? { externalTenantId: thread.externalTenantId } : {}),
      kind: "channel",
      reference,
    };
  }

  /**
   * The user's personal chat: the stored one first; when that is gone (the user cleared the chat's history, or a
   * reference from before a reinstallation) or none is stored, the chat is created — Teams answers creating an
   * existing 1:1 chat with its id, so a repeated creation posts into the same chat.
   */
  private async sendToUser(
    target: Extract<NotifyTarget, { kind: "user" }>,
    activity: Activity,
  ): Promise<NotifyOutcome> {
    const chat = await this.references.personalChat(target.tenant, target.userId);
    if (chat) {
      this.checkHost(chat.reference.serviceUrl, chat.conversationId);
      const outcome = await this.attempt(chat.conversationId, async () => {
        await this.continueIn(chat.reference, activity);
        return chat.conversationId;
      });
      if (outcome.ok || outcome.reason === "rate-limited") return outcome;
    }
    const base = chat ?? (await this.references.latest(target.tenant));
    const entraTenant = base?.externalTenantId ?? base?.reference.conversation?.tenantId;
    if (!base || !entraTenant) {
      this.deps.log.info(
        { event: "conversation_gone", reason: "no_reference_for_tenant", tenant: target.tenant },
        "personal Teams message not delivered: no conversation of the tenant is stored",
      );
      return { ok: false, reason: "gone" };
    }
    return this.createPersonalChat(target.tenant, target.userId, entraTenant, base, activity);
  }

  private async createPersonalChat(
    tenant: string,
    userId: string,
    entraTenant: string,
    base: StoredTeamsReference,
    activity: Activity,
  ): Promise<NotifyOutcome> {
    const serviceUrl = base.reference.serviceUrl ?? "";
    this.checkHost(serviceUrl, base.conversationId);
    const agent = botAccount(this.deps.appId);
    const params = {
      isGroup: false,
      // The SDK names it `agent`; the Bot Connector reads `bot`.
      agent,
      bot: agent,
      members: [{ id: userId }],
      tenantId: entraTenant,
      channelData: { tenant: { id: entraTenant } },
    } as unknown as ConversationParameters;
    let created: string | undefined;
    let posted: { err: unknown } | undefined;
    try {
      await this.deps.adapter.createConversationAsync(
        this.deps.appId,
        "msteams",
        serviceUrl,
        BOT_CONNECTOR_AUDIENCE,
        params,
        async (ctx) => {
          created = ctx.activity.conversation?.id;
          // The SDK hands an error inside the logic to onTurnError and resolves: kept here and judged below.
          try {
            await ctx.sendActivity(activity);
          } catch (err) {
            posted = { err };
          }
        },
      );
    } catch (err) {
      const failure = failureOf(err);
      // Creation refused for the user: the app is not installed for them (or they left the organisation).
      if (failure.status === 403 || failure.status === 404) {
        this.deps.log.info(
          { event: "conversation_gone", status: failure.status, reason: failure.code, tenant },
          "personal Teams message not delivered: the user cannot be reached (app not installed for them?)",
        );
        return { ok: false, reason: "gone" };
      }
      return this.judge(err, `personal chat in ${tenant}`);
    }
    const conversationId = created ?? "unknown";
    if (posted) return this.judge(posted.err, conversationId);
    return { ok: true, conversationId };
  }

  /**
   * Posts into a stored conversation (a reply in its thread; with `newMessage` a message of its own, not a reply to
   * the stored activity); throws what the connector answered.
   */
  private async continueIn(
    reference: ConversationReference,
    activity: Activity,
    options: { newMessage?: boolean } = {},
  ): Promise<void> {
    // The SDK hands an error inside the logic to onTurnError and resolves: it is caught here and rethrown.
    let failed: { err: unknown } | undefined;
    await this.deps.adapter.continueConversation(this.deps.appId, reference, async (ctx) => {
      // The SDK makes every message of a continued turn a reply (to the stored activity, else a random id):
      // without replyToId it is posted to the conversation itself.
      if (options.newMessage)
        ctx.onSendActivities(async (_ctx, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
      try {
        await ctx.sendActivity(activity);
      } catch (err) {
        failed = { err };
      }
    });
    if (failed) throw failed.err;
  }

  /** Runs one delivery; its failure becomes an outcome (gone, rate-limited) or a LotseError. */
  private async attempt(id: string, deliver: () => Promise<string>): Promise<NotifyOutcome> {
    try {
      return { ok: true, conversationId: await deliver() };
    } catch (err) {
      return this.judge(err, id);
    }
  }

  private judge(err: unknown, id: string): NotifyOutcome {
    if (err instanceof LotseError) throw err;
    const failure = failureOf(err);
    const { status } = failure;
    if (status === 429) {
      const wait = retryAfterMs(failure.retryAfter, (this.deps.now ?? (() => new Date()))());
      this.deps.log.debug(
        { event: "rate_limited", retryAfterMs: wait, conversation: id },
        "proactive Teams message not posted: the connector asked to wait",
      );
      return { ok: false, reason: "rate-limited", retryAfterMs: wait };
    }
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

  /** Refuses a service URL the policy does not allow: Lotse's token never goes there. */
  private checkHost(serviceUrl: string | undefined, id: string): void {
    if (this.deps.policy.isAllowed(serviceUrl)) return;
    const host = hostOf(serviceUrl);
    this.deps.log.warn(
      { code: "OUTBOUND_HOST_REFUSED", host, conversation: id },
      "proactive Teams message refused: the stored serviceUrl is no Teams service host",
    );
    throw new LotseError("OUTBOUND_HOST_REFUSED", `service URL of ${id} is not allowed`, {
      details: { conversationId: id, host },
    });
  }
}

import {
  Activity,
  ActivityTypes,
  addAIToActivity,
  type ConversationReference,
} from "@microsoft/agents-activity";
import {
  type AuthConfiguration,
  authorizeJWT,
  CardFactory,
  CloudAdapter,
  getAuthConfigWithDefaults,
  MessageFactory,
  type TurnContext,
} from "@microsoft/agents-hosting";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Answer } from "../../src/assistant/answer.ts";
import type { Config } from "../../src/config.ts";
import type { Inbound } from "../../src/core/inbound.ts";
import { tenantDisplayName } from "../../src/core/tenancy.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { parseFeedback } from "./feedback-data.ts";
import { renderAnswerCard, renderTextCard } from "./render-card.ts";
import { TeamsNotifier } from "./teams-notifier.ts";
import { conversationKind, entraTenantId, mentionsRecipient, toInbound } from "./to-inbound.ts";

export interface TeamsDeps {
  config: Config;
  runtime: Pick<Runtime, "router" | "tenancy" | "templates" | "conversations" | "feedback" | "assistant">;
  log: Logger;
  now?: () => Date;
}

export interface TeamsAdapter {
  /** Mounts POST /api/messages on the express app. */
  mount(app: Express): void;
  notifier: TeamsNotifier;
}

/** The SDK's auth configuration from our validated config (a mismatch with the SDK's own env reading is refused). */
function authConfiguration(config: Config): AuthConfiguration {
  const auth = config.teamsAuth;
  return getAuthConfigWithDefaults(
    auth ? { clientId: auth.clientId, clientSecret: auth.clientSecret, tenantId: auth.tenantId } : {},
  );
}

/**
 * Microsoft Teams through the Microsoft 365 Agents SDK: messages in personal chats, group chats and channels
 * (@mention), welcome cards, 👍/👎 feedback (Action.Execute) and proactive messages. All Teams types stay here.
 * Production without Bot credentials and unauthenticated requests on a public HOST are refused by loadConfig.
 */
export function createTeamsAdapter(deps: TeamsDeps): TeamsAdapter {
  const { config, runtime, log } = deps;
  const now = deps.now ?? (() => new Date());
  const authConfig = authConfiguration(config);
  // The SDK merges variables of its own (clientId, Connections__…) into the configuration: they must not override ours.
  if ((authConfig.clientId || undefined) !== config.teamsAuth?.clientId)
    throw new LotseError(
      "CONFIG_INVALID",
      "Die Teams-Anmeldung würde Umgebungsvariablen des Agents SDK (clientId, tenantId, Connections__…) statt TEAMS_CLIENT_ID verwenden. Entfernen Sie diese Variablen; Lotse liest nur TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID.",
    );
  const adapter = new CloudAdapter(authConfig);
  const appId = config.teamsAuth?.clientId ?? "anonymous";
  const notifier = new TeamsNotifier({ adapter, appId, conversations: runtime.conversations, log });

  adapter.onTurnError = async (ctx, err) => {
    const e = toLotseError(err);
    log.error({ err: e, code: e.code, conversation: ctx.activity.conversation?.id }, "teams turn failed");
  };

  /** Sends and logs a reply the connector rejects with its status and the conversation; never throws. */
  async function send(ctx: TurnContext, activity: Activity | string): Promise<void> {
    try {
      await ctx.sendActivity(activity);
    } catch (err) {
      const status =
        (err as { status?: number; statusCode?: number }).status ??
        (err as { statusCode?: number }).statusCode;
      log.error(
        {
          code: "TEAMS_SEND_FAILED",
          status,
          conversation: ctx.activity.conversation?.id,
          err: toLotseError(err),
        },
        "connector rejected the reply",
      );
    }
  }

  /** The tenant of an activity, or undefined when its Entra tenant is not mapped. */
  function tenantOf(activity: Activity): string | undefined {
    try {
      const externalTenantId = entraTenantId(activity);
      return runtime.tenancy.resolve({
        platform: "teams",
        ...(externalTenantId ? { externalTenantId } : {}),
      });
    } catch {
      return undefined;
    }
  }

  async function remember(activity: Activity, tenant: string): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId || !activity.serviceUrl) return;
    try {
      const externalTenantId = entraTenantId(activity);
      await runtime.conversations.save({
        platform: "teams",
        conversationId,
        tenant,
        ...(externalTenantId ? { externalTenantId } : {}),
        kind: conversationKind(activity),
        reference: activity.getConversationReference() satisfies ConversationReference,
      });
    } catch (err) {
      log.error({ err: toLotseError(err), code: "INTERNAL" }, "storing the conversation reference failed");
    }
  }

  function answerActivity(answer: Answer, question: string, tenant: string | undefined): Activity {
    let activity: Activity;
    if (answer.kind === "smalltalk") activity = MessageFactory.text(answer.text);
    else if (answer.kind === "error")
      activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderTextCard(answer.text, answer)));
    else
      activity = MessageFactory.attachment(
        CardFactory.adaptiveCard(
          renderAnswerCard(answer, {
            question,
            tenantName: tenantDisplayName(tenant ?? config.defaultTenant),
          }),
        ),
      );
    if (answer.generatedBy === "llm") addAIToActivity(activity);
    return activity;
  }

  async function welcome(ctx: TurnContext): Promise<void> {
    await send(
      ctx,
      MessageFactory.attachment(
        CardFactory.adaptiveCard(renderTextCard(runtime.templates.render("welcome"))),
      ),
    );
  }

  async function onMessage(ctx: TurnContext): Promise<void> {
    // Teams delivers channel and group messages only with an @mention, unless the app has been granted more
    // (resource-specific consent): even then, Lotse does not answer a conversation it was not addressed in.
    if (conversationKind(ctx.activity) !== "personal" && !mentionsRecipient(ctx.activity)) return;
    const inbound: Inbound = toInbound(ctx.activity, now());
    // The typing indicator travels while Lotse searches; the answer is sent only after it, so it never arrives first.
    const typing = send(ctx, Activity.fromObject({ type: ActivityTypes.Typing }));
    const answer = await runtime.router.handle(inbound);
    await typing;
    if (answer.errorCode === "TENANT_UNKNOWN")
      log.warn(
        { code: "TENANT_UNKNOWN", entraTenantId: inbound.externalTenantId },
        "message from an unmapped Entra tenant refused",
      );
    await send(ctx, answerActivity(answer, inbound.text, tenantOf(ctx.activity)));
  }

  async function onInvoke(ctx: TurnContext, tenant: string | undefined): Promise<void> {
    const a = ctx.activity;
    let body: unknown = {};
    if (a.name === "adaptiveCard/action") {
      const feedback = parseFeedback(a.value);
      if (feedback && tenant) {
        await runtime.feedback.record({
          tenant,
          platform: "teams",
          userId: a.from?.aadObjectId ?? a.from?.id ?? "unknown",
          conversationId: a.conversation?.id,
          ...feedback,
        });
        log.info(
          { event: "feedback", platform: "teams", tenant, rating: feedback.rating, docIds: feedback.docIds },
          "feedback recorded",
        );
      }
      const message = tenant
        ? runtime.templates.render("feedback-thanks")
        : runtime.templates.render("error-tenant-unknown");
      body = { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: message };
    }
    // Unknown invokes are acknowledged quietly: Teams shows an error for anything but 200.
    await ctx.sendActivity(
      Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } }),
    );
  }

  /** One turn: every activity refreshes the stored conversation reference; unhandled types are acknowledged. */
  async function onTurn(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const tenant = tenantOf(a);
    if (tenant) await remember(a, tenant);
    switch (a.type) {
      case ActivityTypes.Message:
        await onMessage(ctx);
        return;
      case ActivityTypes.ConversationUpdate:
        // Greets people who join, never the bot itself (its own membersAdded is the installation).
        if (tenant && (a.membersAdded ?? []).some((m) => m.id !== a.recipient?.id)) await welcome(ctx);
        return;
      case ActivityTypes.InstallationUpdate:
        // "add" only: "add-upgrade" (a new app version) must not greet everyone again.
        if (tenant && a.action === "add") await welcome(ctx);
        return;
      case ActivityTypes.Invoke:
        await onInvoke(ctx, tenant);
        return;
      default:
        log.debug({ type: a.type }, "teams activity acknowledged");
    }
  }

  return {
    notifier,
    mount(app: Express) {
      app.post(
        "/api/messages",
        authorizeJWT(authConfig) as (req: Request, res: Response, next: NextFunction) => Promise<void>,
        express.json({ limit: "1mb" }),
        (err: unknown, _req: Request, _res: Response, next: NextFunction) =>
          next(new LotseError("REQUEST_INVALID", "body is not valid JSON", { cause: err })),
        async (req: Request, res: Response, next: NextFunction) => {
          const body = req.body as { type?: unknown; conversation?: { id?: unknown } } | undefined;
          if (!body || typeof body !== "object" || typeof body.type !== "string" || !body.conversation?.id) {
            next(new LotseError("REQUEST_INVALID", "not an activity: type and conversation.id are required"));
            return;
          }
          try {
            // The SDK validates the activity only inside process() and a failure there would be a 500.
            Activity.fromObject(body);
          } catch (cause) {
            next(new LotseError("REQUEST_INVALID", "not a valid activity", { cause }));
            return;
          }
          try {
            await adapter.process(req as never, res as never, onTurn);
          } catch (err) {
            next(err);
          }
        },
      );
    },
  };
}

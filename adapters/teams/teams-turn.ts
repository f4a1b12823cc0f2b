import { Activity, ActivityTypes, addAIToActivity } from "@microsoft/agents-activity";
import { CardFactory, MessageFactory, type TurnContext } from "@microsoft/agents-hosting";
import type { Answer } from "../../src/assistant/answer.ts";
import type { Config } from "../../src/config.ts";
import type { MessageInbound } from "../../src/core/inbound.ts";
import { tenantDisplayName } from "../../src/core/tenancy.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { conversationReferenceOf } from "./conversation-reference.ts";
import { parseFeedback } from "./feedback-data.ts";
import { renderAnswerCard, renderTextCard } from "./render-card.ts";
import {
  conversationKind,
  entraTenantId,
  entraTenantIds,
  mentionsRecipient,
  toInbound,
} from "./to-inbound.ts";

export interface TurnDeps {
  config: Config;
  runtime: Pick<Runtime, "router" | "tenancy" | "templates" | "conversations" | "feedback">;
  log: Logger;
  now: () => Date;
}

/** One turn; `signal` is aborted when shutdown's grace period ends (then the answer gives way to a notice). */
export type TurnHandler = (ctx: TurnContext, signal?: AbortSignal) => Promise<void>;

/**
 * One Teams turn: messages (personal chats; channels and group chats only when @mentioned), welcomes, 👍/👎 from
 * Action.Execute; every served activity refreshes the stored conversation reference, activities the tenancy refuses
 * (foreign Entra tenants) get the polite refusal and nothing else.
 */
export function createTurnHandler(deps: TurnDeps): TurnHandler {
  const { config, runtime, log, now } = deps;

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
    const reference = conversationReferenceOf(activity);
    if (!reference) {
      // An id no Teams service sends (missing, or of kilobytes): the answer still goes out, nothing is stored.
      log.warn(
        { code: "REQUEST_INVALID", reason: "reference_unusable", type: activity.type },
        "conversation reference not stored: an id is missing or too long",
      );
      return;
    }
    try {
      const externalTenantId = entraTenantId(activity);
      await runtime.conversations.save({
        platform: "teams",
        conversationId: reference.conversation.id,
        tenant,
        ...(externalTenantId ? { externalTenantId } : {}),
        kind: conversationKind(activity),
        reference,
      });
    } catch (err) {
      const e = toLotseError(err);
      if (e.code === "REQUEST_INVALID")
        log.warn({ code: e.code, ...e.details }, "conversation reference not stored: too large");
      else log.error({ err: e, code: "INTERNAL" }, "storing the conversation reference failed");
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

  const textCard = (text: string) =>
    MessageFactory.attachment(CardFactory.adaptiveCard(renderTextCard(text)));

  async function onMessage(ctx: TurnContext, signal: AbortSignal | undefined): Promise<void> {
    // Teams delivers channel and group messages only with an @mention, unless the app has been granted more
    // (resource-specific consent): even then, Lotse does not answer a conversation it was not addressed in.
    if (conversationKind(ctx.activity) !== "personal" && !mentionsRecipient(ctx.activity)) return;
    const inbound: MessageInbound = toInbound(ctx.activity, now());
    // The typing indicator travels while Lotse searches; the answer is sent only after it, so it never arrives first.
    const typing = send(ctx, Activity.fromObject({ type: ActivityTypes.Typing }));
    const answer = await runtime.router.handle(inbound);
    await typing;
    if (signal?.aborted) {
      // The grace period of a shutdown ended while Lotse searched: the database closes in a moment, and an answer
      // after the notice would contradict it. The user hears why and asks again.
      await send(ctx, textCard(runtime.templates.render("notice-restarting")));
      return;
    }
    if (answer.errorCode === "TENANT_UNKNOWN")
      log.warn(
        { code: "TENANT_UNKNOWN", entraTenantId: inbound.externalTenantId },
        "message from an unmapped Entra tenant refused",
      );
    await send(ctx, answerActivity(answer, inbound.text, tenantOf(ctx.activity)));
  }

  async function invokeResponse(ctx: TurnContext, body: unknown): Promise<void> {
    await ctx.sendActivity(
      Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } }),
    );
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
    await invokeResponse(ctx, body);
  }

  /** A foreign tenant hears the refusal where Lotse would have answered; nothing is stored or recorded. */
  async function refuse(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const refusal = runtime.templates.render("error-tenant-unknown");
    if (a.type === ActivityTypes.Invoke)
      await invokeResponse(
        ctx,
        a.name === "adaptiveCard/action"
          ? { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: refusal }
          : {},
      );
    else if (a.type === ActivityTypes.Message && (conversationKind(a) === "personal" || mentionsRecipient(a)))
      await send(ctx, textCard(refusal));
  }

  /** The tenancy's refusal of the activity's Entra tenants, or undefined when it may be served. */
  function foreignTenant(ctx: TurnContext): LotseError | undefined {
    try {
      runtime.tenancy.admit(
        "teams",
        entraTenantIds(ctx.activity, ctx.identity as Record<string, unknown> | undefined),
      );
      return undefined;
    } catch (err) {
      if (err instanceof LotseError && err.code === "TENANT_FOREIGN") return err;
      throw err;
    }
  }

  return async function onTurn(ctx: TurnContext, signal?: AbortSignal): Promise<void> {
    const a = ctx.activity;
    const foreign = foreignTenant(ctx);
    if (foreign) {
      log.warn(
        {
          code: "TENANT_FOREIGN",
          source: foreign.details.source,
          entraTenantId: foreign.details.externalTenantId,
          type: a.type,
        },
        "activity from a foreign Entra tenant refused",
      );
      await refuse(ctx);
      return;
    }
    const tenant = tenantOf(a);
    if (tenant) await remember(a, tenant);
    switch (a.type) {
      case ActivityTypes.Message:
        await onMessage(ctx, signal);
        return;
      case ActivityTypes.ConversationUpdate:
        // Greets people who join, never the bot itself (its own membersAdded is the installation).
        if (tenant && (a.membersAdded ?? []).some((m) => m.id !== a.recipient?.id))
          await send(ctx, textCard(runtime.templates.render("welcome")));
        return;
      case ActivityTypes.InstallationUpdate:
        // "add" only: "add-upgrade" (a new app version) must not greet everyone again.
        if (tenant && a.action === "add") await send(ctx, textCard(runtime.templates.render("welcome")));
        return;
      case ActivityTypes.Invoke:
        await onInvoke(ctx, tenant);
        return;
      default:
        log.debug({ type: a.type }, "teams activity acknowledged");
    }
  };
}

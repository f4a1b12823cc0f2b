import { Activity, ActivityTypes } from "@microsoft/agents-activity";
import type { TurnContext } from "@microsoft/agents-hosting";
import type { Inbound } from "../../src/core/inbound.ts";
import { notice, type Reply } from "../../src/core/replies.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { memberEmail } from "./member-email.ts";
import { invokeResponseOf, replyActivity } from "./render-reply.ts";
import { entraTenantIds, subjectAccountId, toInbound } from "./to-inbound.ts";

export interface TurnDeps {
  runtime: Pick<Runtime, "core" | "tenancy" | "templates">;
  log: Logger;
  now: () => Date;
}

/** One turn; `signal` is aborted when shutdown's grace period ends (the core then answers with the restart notice). */
export type TurnHandler = (ctx: TurnContext, signal?: AbortSignal) => Promise<void>;

/**
 * One Teams turn, translation only: the activity becomes an Inbound (to-inbound.ts), the core decides, and the
 * replies are rendered (render-reply.ts) and delivered the one way a turn has — a message turn's replies as activities
 * after the typing indicator, an invoke's as its invoke response (an update or a private notice) plus any further
 * activities. The one check of the adapter's own is authentication's (tenancy.admit with the token's tenants):
 * activities of a foreign Entra tenant get the polite refusal where Lotse would have answered and never reach the
 * core, so nothing of theirs is stored. Everything else about tenants (mapping, refusing unmapped ones, storing the
 * conversation reference) is the core's.
 */
export function createTurnHandler(deps: TurnDeps): TurnHandler {
  const { runtime, log, now } = deps;

  /** Sends and logs a reply the connector rejects with its status and the conversation; never throws. */
  async function send(ctx: TurnContext, activity: Activity): Promise<void> {
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

  async function sendInvokeResponse(ctx: TurnContext, body: unknown): Promise<void> {
    await ctx.sendActivity(
      Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } }),
    );
  }

  /**
   * Delivers the replies of one input. An invoke always gets its response (`{}` when nothing replaces the card or
   * answers privately: Teams keeps the card and shows no error); every other reply is posted into the conversation.
   */
  async function deliver(
    ctx: TurnContext,
    inbound: Inbound | undefined,
    replies: Reply[],
    typing?: Promise<void>,
  ): Promise<void> {
    const isInvoke = ctx.activity.type === ActivityTypes.Invoke;
    const { response, rest, unshown } = isInvoke
      ? invokeResponseOf(replies, inbound?.kind === "submit")
      : { response: undefined, rest: replies, unshown: 0 };
    if (unshown > 0)
      log.warn(
        { unshown, kind: inbound?.kind },
        "private notices beyond the invoke's one response not shown",
      );
    await typing;
    for (const reply of rest) await send(ctx, replyActivity(reply));
    if (isInvoke) await sendInvokeResponse(ctx, response ?? {});
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

  /** A foreign tenant hears the refusal where Lotse would have answered (an addressed message, a button). */
  function refusal(inbound: Inbound | undefined): Reply[] {
    const text = runtime.templates.render("error-tenant-unknown");
    if (inbound?.kind === "message") return inbound.addressed === false ? [] : [notice(text)];
    if (inbound?.kind === "action" || inbound?.kind === "submit") return [notice(text, { private: true })];
    return [];
  }

  return async function onTurn(ctx: TurnContext, signal?: AbortSignal): Promise<void> {
    const a = ctx.activity;
    let inbound = toInbound(a, now());
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
      await deliver(ctx, inbound, refusal(inbound));
      return;
    }
    if (!inbound) {
      log.debug({ type: a.type, name: a.name }, "teams activity acknowledged");
      if (a.type === ActivityTypes.Invoke) await sendInvokeResponse(ctx, {});
      return;
    }
    if (inbound.reference === undefined)
      // An id no Teams service sends (missing, or of kilobytes): answered all the same, nothing is stored.
      log.warn(
        { code: "REQUEST_INVALID", reason: "reference_unusable", type: a.type },
        "conversation reference not stored: an id is missing or too long",
      );
    // A member who joined or installed Lotse: their work email, for the core to link the same person on the tenant's
    // other platform (it stores only a pseudonym of it). A failed lookup costs the email, never the welcome.
    if (inbound.kind === "joined" || inbound.kind === "installed") {
      const email = await memberEmail(ctx, subjectAccountId(a), log);
      if (email) inbound = { ...inbound, user: { ...inbound.user, email } };
    }
    // The typing indicator travels while Lotse searches; replies are sent only after it, so they never arrive first.
    const typing =
      inbound.kind === "message" && inbound.addressed !== false
        ? send(ctx, Activity.fromObject({ type: ActivityTypes.Typing }))
        : undefined;
    let replies: Reply[] = [];
    try {
      replies = (await runtime.core.handle(inbound, signal)).replies;
    } catch (err) {
      const e = toLotseError(err);
      if (e.code === "SHUTTING_DOWN") log.warn({ code: e.code }, "not answered: shutting down");
      else log.error({ err: e, code: e.code }, "teams input not handled");
    }
    await deliver(ctx, inbound, replies, typing);
  };
}

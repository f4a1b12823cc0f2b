import type { Activity } from "@microsoft/agents-activity";
import type { ConnectorClient, TurnContext } from "@microsoft/agents-hosting";
import { withTimeout } from "../../src/core/send-timeout.ts";
import type { Logger } from "../../src/log.ts";

/** Bound of the member lookup: the welcome waits for it, and goes out without the email once it passed. */
export const MEMBER_LOOKUP_TIMEOUT_MS = 3000;

/**
 * The conversation a member is looked up in: the team (channelData.team.id) for a team's channel, where Teams knows
 * every member of the team; else the conversation itself (a personal or group chat).
 */
export function lookupConversationOf(activity: Activity): string | undefined {
  const team = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  if (typeof team === "string" && team) return team;
  const id = activity.conversation?.id;
  return id ? id.split(";messageid=")[0] : undefined;
}

/**
 * The work email of a Teams member from the Bot Connector (GET /v3/conversations/{team or chat}/members/{id}, what
 * TeamsInfo.getMember asks; no Graph permission needed): `email` of the TeamsChannelAccount, never the UPN, which
 * need not be an address. Undefined where Teams has none (a guest without mailbox), the lookup fails (404: not a
 * member, 403, a timeout) or the turn has no connector client: the welcome then goes out all the same, logged as a
 * warning TEAMS_MEMBER_LOOKUP_FAILED, and onboarding progress stays per platform.
 */
export async function memberEmail(
  ctx: TurnContext,
  memberId: string | undefined,
  log: Logger,
  timeoutMs = MEMBER_LOOKUP_TIMEOUT_MS,
): Promise<string | undefined> {
  const conversation = lookupConversationOf(ctx.activity);
  const client = ctx.turnState.get<ConnectorClient | undefined>(ctx.adapter.ConnectorClientKey);
  if (!memberId || !conversation || !client) return undefined;
  try {
    const member = await withTimeout(
      client.getConversationMember(memberId, conversation),
      timeoutMs,
      () => new Error(`member lookup not answered within ${timeoutMs} ms`),
    );
    const email = (member as { email?: unknown } | undefined)?.email;
    return typeof email === "string" && email.includes("@") ? email : undefined;
  } catch (err) {
    const status =
      (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    log.warn(
      { code: "TEAMS_MEMBER_LOOKUP_FAILED", status, type: ctx.activity.type },
      "Teams member lookup failed: welcomed without email",
    );
    return undefined;
  }
}

import type { Activity } from "@microsoft/agents-activity";
import type { ConversationAddress, MessageInbound } from "../../src/core/inbound.ts";
import { issuerTenant } from "./verify-token.ts";

/** Teams conversation type → the core's conversation kind; a channel reply chain has ";messageid=" in its id. */
export function conversationKind(activity: Activity): ConversationAddress["kind"] {
  const type = activity.conversation?.conversationType;
  if (type === "channel") return activity.conversation?.id?.includes(";messageid=") ? "thread" : "channel";
  if (type === "groupChat") return "group";
  return "personal";
}

/** The Entra tenant id of the sender's organisation. */
export function entraTenantId(activity: Activity): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  if (typeof fromChannelData === "string" && fromChannelData) return fromChannelData;
  return activity.conversation?.tenantId || undefined;
}

/**
 * The Entra tenants a request names, for the tenancy to admit or refuse: those its token was issued by (an Entra
 * issuer's tenant, `tid`) and those its activity names (channelData.tenant.id, conversation.tenantId).
 */
export function entraTenantIds(
  activity: Activity,
  identity: Record<string, unknown> | undefined,
): { issuedBy: string[]; named: string[] } {
  const strings = (values: unknown[]) => values.filter((v): v is string => typeof v === "string" && v !== "");
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  return {
    issuedBy: strings([issuerTenant(identity?.iss), identity?.tid]),
    named: strings([channelData?.tenant?.id, activity.conversation?.tenantId]),
  };
}

/** A Teams message activity as a platform-neutral Inbound; the @mention of Lotse is removed from the question. */
export function toInbound(activity: Activity, now: Date): MessageInbound {
  // removeRecipientMention drops "<at>Lotse</at>" where the mention entity names the bot; other tags are left to
  // the router's cleaning.
  const text = activity.recipient?.id ? activity.removeRecipientMention() : (activity.text ?? "");
  const externalTenantId = entraTenantId(activity);
  return {
    kind: "message",
    platform: "teams",
    ...(externalTenantId ? { externalTenantId } : {}),
    user: {
      id: activity.from?.aadObjectId ?? activity.from?.id ?? "unknown",
      ...(activity.from?.name ? { name: activity.from.name } : {}),
    },
    conversation: { id: activity.conversation?.id ?? "unknown", kind: conversationKind(activity) },
    text: text ?? "",
    receivedAt: now,
  };
}

/** Whether the activity @mentions its recipient (Lotse); in channels and group chats Lotse answers only then. */
export function mentionsRecipient(activity: Activity): boolean {
  const id = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (e) => e.type === "mention" && (e as { mentioned?: { id?: string } }).mentioned?.id === id,
  );
}

import type { Activity, ConversationReference } from "@microsoft/agents-activity";

/**
 * Longest id Lotse stores. Teams ids (conversation, user, bot, activity) stay well below 200 characters; a longer one
 * is no Teams id, and a shortened id would point nowhere.
 */
export const MAX_REFERENCE_ID_CHARS = 512;

const short = (value: unknown, max = MAX_REFERENCE_ID_CHARS): string | undefined =>
  typeof value === "string" && value !== "" && value.length <= max ? value : undefined;

/**
 * What a proactive message needs of an activity (continueConversation, createConversationAsync): its service URL,
 * channel, conversation (id, type, tenant), Lotse's own id, the user's ids, locale and the activity it answers. Names
 * and everything else an activity carries (up to the 1 MB a request may have) are left out; undefined when an id
 * Lotse needs is missing or longer than MAX_REFERENCE_ID_CHARS.
 */
export function conversationReferenceOf(activity: Activity): ConversationReference | undefined {
  const conversationId = short(activity.conversation?.id);
  const agentId = short(activity.recipient?.id);
  const serviceUrl = short(activity.serviceUrl, 2048);
  const channelId = short(activity.channelId, 64);
  if (!conversationId || !agentId || !serviceUrl || !channelId) return undefined;
  const conversation = activity.conversation;
  const conversationType = short(conversation?.conversationType, 32);
  const tenantId = short(conversation?.tenantId, 64);
  const userId = short(activity.from?.id);
  // The user's Entra object id (the id to-inbound gives users): a personal message to that user finds this chat.
  const aadObjectId = short(activity.from?.aadObjectId, 64);
  // The SDK's own choice of the activity a proactive message replies to (none for some channels' updates).
  const activityId = short(activity.getConversationReference().activityId);
  const locale = short(activity.locale, 35);
  return {
    serviceUrl,
    channelId,
    conversation: {
      id: conversationId,
      ...(conversationType ? { conversationType } : {}),
      ...(tenantId ? { tenantId } : {}),
      ...(typeof conversation?.isGroup === "boolean" ? { isGroup: conversation.isGroup } : {}),
    },
    agent: { id: agentId },
    ...(userId ? { user: { id: userId, ...(aadObjectId ? { aadObjectId } : {}) } } : {}),
    ...(activityId ? { activityId } : {}),
    ...(locale ? { locale } : {}),
  };
}

import { type Activity, ActivityTypes } from "@microsoft/agents-activity";
import type {
  ActionInbound,
  ConversationAddress,
  Inbound,
  InboundBase,
  MessageInbound,
  SubmitInbound,
} from "../../src/core/inbound.ts";
import { encodeFeedback, FEEDBACK_ACTIONS } from "../../src/feedback/feedback-codec.ts";
import { conversationReferenceOf } from "./conversation-reference.ts";
import { FORM_DATA_KEYS } from "./render-form.ts";
import { issuerTenant } from "./verify-token.ts";

/** Teams conversation type → the core's conversation kind; a channel reply chain has ";messageid=" in its id. */
export function conversationKind(activity: Activity): ConversationAddress["kind"] {
  const type = activity.conversation?.conversationType;
  if (type === "channel") return activity.conversation?.id?.includes(";messageid=") ? "thread" : "channel";
  if (type === "groupChat") return "group";
  return "personal";
}

/**
 * The conversation without its reply chain: a channel post "19:…@thread.tacv2;messageid=1764…" belongs to the
 * channel "19:…@thread.tacv2"; a personal or group chat has no reply chains and is its own channel.
 */
export function channelOf(conversationId: string): string {
  const at = conversationId.indexOf(";messageid=");
  return at === -1 ? conversationId : conversationId.slice(0, at);
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

type Mention = { type?: string; mentioned?: { id?: string }; text?: string };

/** The mentions of Lotse (the activity's recipient) among the activity's entities. */
function recipientMentions(activity: Activity): Mention[] {
  const id = activity.recipient?.id;
  if (!id) return [];
  return ((activity.entities ?? []) as Mention[]).filter(
    (e) => e.type === "mention" && e.mentioned?.id === id,
  );
}

/** Whether the activity @mentions its recipient (Lotse). */
export function mentionsRecipient(activity: Activity): boolean {
  return recipientMentions(activity).length > 0;
}

/** The message text without "<at>Lotse</at>" (other mentions stay for the router's cleaning); the activity is kept. */
function textWithoutMention(activity: Activity): string {
  let text = activity.text ?? "";
  for (const m of recipientMentions(activity)) if (m.text) text = text.replace(m.text, "");
  return text.trim();
}

/** Stable id of a Teams user: the Entra object id where Teams sends one, else the channel account id. */
function userOf(
  account: { id?: string; aadObjectId?: string; name?: string } | undefined,
): InboundBase["user"] {
  return {
    id: account?.aadObjectId || account?.id || "unknown",
    ...(account?.name ? { name: account.name } : {}),
  };
}

/** What every Teams input carries: platform, Entra tenant, user, conversation, reference and time. */
function base(activity: Activity, now: Date, user = userOf(activity.from)): InboundBase {
  const externalTenantId = entraTenantId(activity);
  const reference = conversationReferenceOf(activity);
  const id = activity.conversation?.id ?? "unknown";
  return {
    platform: "teams",
    ...(externalTenantId ? { externalTenantId } : {}),
    user,
    conversation: { id, kind: conversationKind(activity), channel: channelOf(id) },
    ...(reference ? { reference } : {}),
    receivedAt: now,
  };
}

/** Longest action id or form id Lotse reads back (its own are a few dozen characters). */
const MAX_VERB = 200;

/** Action.Execute of the 👍/👎 cards posted before the conversation core (verb "feedback"): still pressed today. */
type LegacyFeedback = { action: "feedback"; rating: "up" | "down"; question: string; docIds: string[] };

function legacyFeedback(data: Record<string, unknown>): LegacyFeedback | undefined {
  const { action, rating, question, docIds } = data;
  if (action !== "feedback" || (rating !== "up" && rating !== "down") || typeof question !== "string")
    return undefined;
  if (!Array.isArray(docIds) || !docIds.every((d): d is string => typeof d === "string")) return undefined;
  return { action, rating, question, docIds };
}

const FORM_KEYS = new Set<string>([...Object.values(FORM_DATA_KEYS), "msteams"]);

/** Most conversation fields a form names (Lotse's forms have one). */
const MAX_CONVERSATION_FIELDS = 10;

/**
 * The field values of a form's Action.Execute data: every string or string array but the form's own keys; each field
 * named in `conversationFields` (not shown on Teams, render-form.ts) is the conversation the card was submitted in.
 * Data is the user's to forge: a feature still checks that a conversation value is one it may post to.
 */
function formValues(data: Record<string, unknown>, conversationId: string): SubmitInbound["values"] {
  const values: SubmitInbound["values"] = {};
  for (const [key, value] of Object.entries(data)) {
    if (FORM_KEYS.has(key)) continue;
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) values[key] = value;
  }
  const named = data[FORM_DATA_KEYS.conversationFields];
  if (Array.isArray(named))
    for (const id of named.slice(0, MAX_CONVERSATION_FIELDS))
      if (typeof id === "string" && id !== "" && !FORM_KEYS.has(id)) values[id] = conversationId;
  return values;
}

/**
 * An adaptiveCard/action invoke (Action.Execute) as an action or a form submission; undefined for anything else.
 * Conventions: a button's verb is its action id and its data `{ value }`; a form's data carries `formId` (equal to
 * the verb), `state` and `conversationFields` besides the Input.* values (render-form.ts); the legacy 👍/👎 (verb
 * "feedback") becomes feedback.up / feedback.down with the feedback codec's value. `source` is the id of the message
 * the card is on.
 */
function cardAction(activity: Activity, now: Date): ActionInbound | SubmitInbound | undefined {
  const value = activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined;
  const verb = value?.action?.verb;
  if (typeof verb !== "string" || verb === "" || verb.length > MAX_VERB) return undefined;
  const raw = value?.action?.data;
  const data = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const source =
    typeof activity.replyToId === "string" && activity.replyToId ? activity.replyToId : undefined;
  const common = { ...base(activity, now), ...(source ? { source } : {}) };
  if (data[FORM_DATA_KEYS.formId] === verb) {
    const state = data[FORM_DATA_KEYS.state];
    return {
      ...common,
      kind: "submit",
      formId: verb,
      values: formValues(data, common.conversation.id),
      ...(typeof state === "string" ? { state } : {}),
    };
  }
  if (verb === "feedback") {
    const legacy = legacyFeedback(data);
    if (!legacy) return undefined;
    return {
      ...common,
      kind: "action",
      actionId: legacy.rating === "up" ? FEEDBACK_ACTIONS.up : FEEDBACK_ACTIONS.down,
      value: encodeFeedback({ question: legacy.question, docIds: legacy.docIds }),
    };
  }
  return {
    ...common,
    kind: "action",
    actionId: verb,
    value: typeof data.value === "string" ? data.value : "",
  };
}

/** The member a conversationUpdate welcomes: the first added who is not Lotse (one welcome per activity). */
export function joinedAccount(activity: Activity): { id?: string; aadObjectId?: string } | undefined {
  return (activity.membersAdded ?? []).find((m) => m.id && m.id !== activity.recipient?.id);
}

/**
 * The Teams channel account id (29:…) of the user an input is about: the member who joined, the user who installed
 * Lotse (for the member lookup, memberEmail).
 */
export function subjectAccountId(activity: Activity): string | undefined {
  const account =
    activity.type === ActivityTypes.ConversationUpdate ? joinedAccount(activity) : activity.from;
  return account?.id || undefined;
}

/**
 * A Teams activity as a platform-neutral Inbound, or undefined for one Lotse has nothing to do with (reactions,
 * edits, other invokes, the bot's own membersAdded, an app upgrade):
 * - message → MessageInbound; addressed in a personal chat or when it @mentions Lotse (the mention is removed from
 *   the text), not addressed otherwise (a channel or group chat message Teams delivered through resource-specific
 *   consent: the core answers it only in a thread where Lotse answered before);
 * - conversationUpdate with members other than Lotse added → JoinedInbound (the user is the first of them: one
 *   welcome per activity, not one per person);
 * - installationUpdate "add" (never "add-upgrade": a new app version must not greet everyone again) → InstalledInbound;
 * - invoke adaptiveCard/action → ActionInbound or SubmitInbound (see cardAction).
 * `reference` is the bounded conversation reference of conversation-reference.ts (absent when an id is unusable).
 */
export function toInbound(activity: Activity, now: Date): Inbound | undefined {
  switch (activity.type) {
    case ActivityTypes.Message: {
      const addressed = conversationKind(activity) === "personal" || mentionsRecipient(activity);
      const message: MessageInbound = {
        ...base(activity, now),
        kind: "message",
        text: textWithoutMention(activity),
        addressed,
      };
      return message;
    }
    case ActivityTypes.ConversationUpdate: {
      const joined = joinedAccount(activity);
      return joined ? { ...base(activity, now, userOf(joined)), kind: "joined", scope: "team" } : undefined;
    }
    case ActivityTypes.InstallationUpdate:
      return activity.action === "add" ? { ...base(activity, now), kind: "installed" } : undefined;
    case ActivityTypes.Invoke:
      return activity.name === "adaptiveCard/action" ? cardAction(activity, now) : undefined;
    default:
      return undefined;
  }
}

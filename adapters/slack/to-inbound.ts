import type {
  ActionInbound,
  ConversationAddress,
  HomeInbound,
  InboundBase,
  JoinedInbound,
  MessageInbound,
  SubmitInbound,
} from "../../src/core/inbound.ts";
import { routeAction } from "./slack-routes.ts";

/**
 * Slack payloads as platform-neutral Inbound, and nothing else: no tenant, no decision whether to answer. The
 * reference the core stores is a SlackReference; every other id is opaque to the core.
 */

/** Where Lotse can write into a conversation later: a channel or DM, and the thread in it. */
export interface SlackReference {
  channel: string;
  threadTs?: string;
}

/** The message an action came from, as ActionInbound.source carries it (JSON, opaque to the core). */
export interface SlackSource {
  channel: string;
  ts: string;
  ephemeral?: boolean;
}

/** The fields of a Slack message-like event that Lotse reads (app_mention, message.im, thread replies). */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  user?: string;
  text?: string;
  channel?: string;
  channel_type?: string;
  ts?: string;
  thread_ts?: string;
  team?: string;
}

export interface SlackContext {
  teamId: string | undefined;
  botUserId: string | undefined;
  now: Date;
}

/** The question without Lotse's own mention ("<@U0LOTSE> Frage" → "Frage"). */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g") : /^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, " ").replace(/\s+/g, " ").trim();
}

/** Slack's encoding of &, < and > in message text, undone: the question as the user typed it. */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Whether a message text mentions Lotse. */
export function mentions(text: string | undefined, botUserId: string | undefined): boolean {
  return botUserId !== undefined && (text ?? "").includes(`<@${botUserId}`);
}

function base(
  ctx: SlackContext,
  user: string | undefined,
  conversation: ConversationAddress,
  reference?: SlackReference,
  name?: string,
  email?: string,
): InboundBase {
  return {
    platform: "slack",
    ...(ctx.teamId ? { externalTenantId: ctx.teamId } : {}),
    user: { id: user ?? "unknown", ...(name ? { name } : {}), ...(email ? { email } : {}) },
    conversation,
    ...(reference ? { reference } : {}),
    receivedAt: ctx.now,
  };
}

/** The thread a reply to this message goes into: its thread, or the message itself (a DM answer too). */
export function replyThreadOf(event: Pick<SlackMessageEvent, "ts" | "thread_ts">): string | undefined {
  return event.thread_ts ?? event.ts;
}

/**
 * An app_mention, a DM (message.im) or a channel message as a MessageInbound. In a channel the conversation is the
 * message's thread (a top-level mention starts the thread Lotse answers in); a DM is the personal conversation. Messages in a
 * channel that do not mention Lotse are `addressed: false`: the core decides whether they are its business.
 * Undefined for what is no message a person wrote (edits, joins, events without channel).
 */
export function messageToInbound(event: SlackMessageEvent, ctx: SlackContext): MessageInbound | undefined {
  if (event.subtype !== undefined || !event.channel || !event.ts) return undefined;
  const personal = event.channel_type === "im";
  const threadTs = personal ? event.thread_ts : replyThreadOf(event);
  // A top-level message is in the channel (or group DM); Lotse's answer starts its thread, under the same id.
  const conversation: ConversationAddress = personal
    ? {
        id: threadTs ? `${event.channel}:${threadTs}` : event.channel,
        kind: "personal",
        channel: event.channel,
      }
    : {
        id: `${event.channel}:${threadTs}`,
        kind: event.thread_ts ? "thread" : event.channel_type === "mpim" ? "group" : "channel",
        channel: event.channel,
      };
  const addressed = personal || event.type === "app_mention" || mentions(event.text, ctx.botUserId);
  // A channel thread's reference is its id (channel and ts), and Lotse follows its threads by their turns: nothing to
  // store for each of them. A DM's is kept: a message to a person later needs the DM's channel.
  const reference = personal ? { channel: event.channel, ...(threadTs ? { threadTs } : {}) } : undefined;
  return {
    kind: "message",
    ...base(ctx, event.user, conversation, reference),
    text: decodeSlackText(stripBotMention(event.text ?? "", ctx.botUserId)),
    ...(addressed ? {} : { addressed: false }),
  };
}

/** The fields of a slash command Lotse reads. */
export interface SlackCommand {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  team_id?: string;
}

/** /lotse as a private message: answered ephemerally; "/lotse" alone or "hilfe" is the core's help. */
export function commandToInbound(command: SlackCommand, ctx: SlackContext): MessageInbound {
  return {
    kind: "message",
    ...base(
      ctx,
      command.user_id,
      { id: command.channel_id, kind: "channel", channel: command.channel_id },
      { channel: command.channel_id },
    ),
    text: command.text.trim(),
    private: true,
  };
}

type Body = Record<string, unknown>;
const record = (v: unknown): Body | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Body) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The parts of a block_actions payload Lotse reads. */
export interface SlackBlockActions {
  /** `username` (or the legacy `name`) is the handle Slack sends with interactions; events carry no name. */
  user: { id: string; username?: string; name?: string };
  team?: { id: string } | null;
  channel?: { id: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string };
  /** A button on a view: a modal, or the Home tab (type "home", its private_metadata written by homeMetadata). */
  view?: { id?: string; type?: string; private_metadata?: string };
}

/**
 * The user's DM with Lotse for a button pressed on the Home tab (a home view's block_actions names no channel and
 * carries no response_url): the D… channel the Home view was published for (its private_metadata), else the user id,
 * which chat.postMessage takes for the app's DM with that user (opening it where there is none).
 */
export function homeDmOf(body: Pick<SlackBlockActions, "user" | "view">): string | undefined {
  if (body.view?.type !== "home") return undefined;
  const dm = parseModalMetadata(body.view.private_metadata).channel;
  return dm && /^D[A-Z0-9]+$/.test(dm) ? dm : body.user.id;
}

/** The private_metadata of a Home view: the DM channel of the user it is published for (see homeDmOf). */
export function homeMetadata(dmChannel: string): string {
  return modalMetadata({ channel: dmChannel });
}

/**
 * A button click as an ActionInbound: the core's action id (legacy ids mapped), its value, and the message it was
 * on as `source`. Undefined for link buttons (Slack opened the URL) and ids Lotse does not know.
 */
export function actionToInbound(
  body: SlackBlockActions,
  action: { action_id: string; value?: string },
  ctx: SlackContext,
): ActionInbound | undefined {
  const actionId = routeAction(action.action_id);
  if (!actionId || actionId === "link") return undefined;
  // A button on the Home tab: the replies go to the user's DM with Lotse, the conversation of the action.
  const channel = str(body.channel?.id) ?? str(body.container?.channel_id) ?? homeDmOf(body);
  const ts = str(body.container?.message_ts) ?? str(body.message?.ts);
  const threadTs = str(body.container?.thread_ts) ?? str(body.message?.thread_ts);
  const conversation: ConversationAddress = channel
    ? threadTs
      ? { id: `${channel}:${threadTs}`, kind: "thread", channel }
      : { id: channel, kind: /^[DUW]/.test(channel) ? "personal" : "channel", channel }
    : { id: body.user.id, kind: "personal", channel: body.user.id };
  const source: SlackSource | undefined =
    channel && ts ? { channel, ts, ...(body.container?.is_ephemeral ? { ephemeral: true } : {}) } : undefined;
  return {
    kind: "action",
    ...base(
      ctx,
      body.user.id,
      conversation,
      channel ? { channel, ...(threadTs ? { threadTs } : {}) } : undefined,
      str(body.user.username) ?? str(body.user.name),
    ),
    actionId,
    value: action.value ?? "",
    ...(source ? { source: JSON.stringify(source) } : {}),
  };
}

/** What a modal Lotse opened carries in private_metadata: the form's own state and where it was opened. */
export interface ModalMetadata {
  state?: string;
  channel?: string;
  threadTs?: string;
}

/** ModalMetadata from private_metadata; a value Lotse did not write is taken as the form's state. */
export function parseModalMetadata(raw: string | undefined): ModalMetadata {
  if (!raw) return {};
  try {
    const m = record(JSON.parse(raw));
    if (m && (m.v === 1 || m.v === undefined) && ("s" in m || "c" in m))
      return {
        ...(str(m.s) ? { state: m.s as string } : {}),
        ...(str(m.c) ? { channel: m.c as string } : {}),
        ...(str(m.t) ? { threadTs: m.t as string } : {}),
      };
  } catch {
    // not Lotse's JSON
  }
  return { state: raw };
}

/** ModalMetadata as private_metadata (Slack allows 3,000 characters). */
export function modalMetadata(m: ModalMetadata): string {
  return JSON.stringify({
    v: 1,
    ...(m.state ? { s: m.state } : {}),
    ...(m.channel ? { c: m.channel } : {}),
    ...(m.threadTs ? { t: m.threadTs } : {}),
  });
}

/** One input element's state in a view_submission, by its type. */
function elementValue(el: Body): string | string[] | undefined {
  switch (el.type) {
    case "plain_text_input":
    case "number_input":
    case "email_text_input":
    case "url_text_input":
      return str(el.value);
    case "datepicker":
      return str(el.selected_date);
    case "timepicker":
      return str(el.selected_time);
    case "static_select":
    case "external_select":
    case "radio_buttons":
      return str(record(el.selected_option)?.value);
    case "conversations_select":
      return str(el.selected_conversation);
    case "channels_select":
      return str(el.selected_channel);
    case "users_select":
      return str(el.selected_user);
    case "multi_static_select":
    case "checkboxes":
      return Array.isArray(el.selected_options)
        ? el.selected_options.flatMap((o) => str(record(o)?.value) ?? [])
        : undefined;
    case "multi_conversations_select":
      return Array.isArray(el.selected_conversations) ? el.selected_conversations.filter(str) : undefined;
    case "multi_users_select":
      return Array.isArray(el.selected_users) ? el.selected_users.filter(str) : undefined;
    default:
      return undefined;
  }
}

/**
 * The values of a submitted modal by field id: the block_id (render-form.ts names each input block after its
 * field), or "block_id.action_id" where one block holds several inputs.
 */
export function flattenViewState(state: unknown): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  const values = record(record(state)?.values) ?? {};
  for (const [blockId, actions] of Object.entries(values)) {
    const entries = Object.entries(record(actions) ?? {});
    for (const [actionId, el] of entries) {
      const id = entries.length === 1 ? blockId : `${blockId}.${actionId}`;
      out[id] = elementValue(record(el) ?? {});
    }
  }
  return out;
}

/** The parts of a view_submission payload Lotse reads. */
export interface SlackViewSubmission {
  user: { id: string; username?: string; name?: string };
  team?: { id: string } | null;
  view: { id?: string; callback_id: string; private_metadata?: string; state?: unknown };
}

/** A submitted modal as a SubmitInbound: callback_id is the form id, the values by field id. */
export function submissionToInbound(body: SlackViewSubmission, ctx: SlackContext): SubmitInbound {
  const meta = parseModalMetadata(body.view.private_metadata);
  const conversation: ConversationAddress = meta.channel
    ? meta.threadTs
      ? { id: `${meta.channel}:${meta.threadTs}`, kind: "thread", channel: meta.channel }
      : {
          id: meta.channel,
          kind: meta.channel.startsWith("D") ? "personal" : "channel",
          channel: meta.channel,
        }
    : { id: body.user.id, kind: "personal", channel: body.user.id };
  return {
    kind: "submit",
    ...base(
      ctx,
      body.user.id,
      conversation,
      meta.channel
        ? { channel: meta.channel, ...(meta.threadTs ? { threadTs: meta.threadTs } : {}) }
        : undefined,
      // The reminder a modal creates says who set it ("Eingerichtet von …").
      str(body.user.username) ?? str(body.user.name),
    ),
    formId: body.view.callback_id,
    values: flattenViewState(body.view.state),
    ...(meta.state ? { state: meta.state } : {}),
    ...(body.view.id ? { source: JSON.stringify({ view: body.view.id }) } : {}),
  };
}

/** The Home tab opened (app_home_opened with tab "home") as a HomeInbound in the app's DM with the user. */
export function homeToInbound(event: { user: string; channel: string }, ctx: SlackContext): HomeInbound {
  return {
    kind: "home",
    ...base(
      ctx,
      event.user,
      { id: event.channel, kind: "personal", channel: event.channel },
      { channel: event.channel },
    ),
  };
}

/** A user as team_join and users.info give it (the fields Lotse reads). */
export interface SlackUser {
  id: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  /** The user's home workspace: another one than the event's for a Slack Connect member of a shared channel. */
  team_id?: string;
  /** Email only with users:read.email; absent for bots and where the scope was not granted. */
  profile?: { real_name?: string; display_name?: string; email?: string };
}

/** Slackbot's id: a user of every workspace that is a bot without is_bot. */
const SLACKBOT = "USLACKBOT";

/** Whether a user is a bot (an app's bot user, Slackbot, Lotse itself) or deactivated: no one to welcome. */
export function isBotUser(user: SlackUser, botUserId: string | undefined): boolean {
  return user.is_bot === true || user.id === SLACKBOT || user.id === botUserId || user.deleted === true;
}

/** A user's name as Slack shows it (real name, else the handle) and email, where Slack gave them. */
function nameAndEmail(user: SlackUser | undefined): { name?: string; email?: string } {
  const name = str(user?.real_name) ?? str(user?.profile?.real_name) ?? str(user?.name);
  const email = str(user?.profile?.email);
  return { ...(name ? { name } : {}), ...(email?.includes("@") ? { email } : {}) };
}

/**
 * A user who joined the workspace (team_join) as a JoinedInbound with scope "workspace": the conversation is the
 * user's DM with Lotse, `dm` (the D… channel conversations.open gave), else the user id (chat.postMessage posts to a
 * user id into that DM). The user's email where the app has users:read.email. Undefined for bots and Lotse itself.
 */
export function teamJoinToInbound(
  event: { user: SlackUser },
  ctx: SlackContext,
  dm?: string,
): JoinedInbound | undefined {
  const user = event.user;
  if (!str(user?.id) || isBotUser(user, ctx.botUserId)) return undefined;
  const channel = dm ?? user.id;
  const { name, email } = nameAndEmail(user);
  return {
    kind: "joined",
    scope: "workspace",
    ...base(ctx, user.id, { id: channel, kind: "personal", channel }, { channel }, name, email),
  };
}

/** The fields of a member_joined_channel event Lotse reads. */
export interface SlackMemberJoined {
  user: string;
  channel: string;
  /** "C" for a public channel, "G" for a private one. */
  channel_type?: string;
  team?: string;
  inviter?: string;
}

/**
 * A user who joined a channel Lotse is in (member_joined_channel) as a JoinedInbound with scope "channel": the
 * conversation is that channel (whether it starts onboarding is the tenant's setting, the core's decision). `profile`
 * is the user as users.info gave it (name, email with users:read.email, whether a bot). Undefined for Lotse's own
 * join (it was added to the channel), for bots, and for a member of another workspace (a Slack Connect channel).
 */
export function memberJoinedToInbound(
  event: SlackMemberJoined,
  ctx: SlackContext,
  profile?: SlackUser,
): JoinedInbound | undefined {
  if (!str(event.user) || !str(event.channel) || event.user === ctx.botUserId) return undefined;
  if (profile && isBotUser(profile, ctx.botUserId)) return undefined;
  // A member of another organisation joining a shared (Slack Connect) channel is not the tenant's staff.
  if (profile?.team_id && ctx.teamId && profile.team_id !== ctx.teamId) return undefined;
  const { name, email } = nameAndEmail(profile);
  return {
    kind: "joined",
    scope: "channel",
    ...base(
      ctx,
      event.user,
      { id: event.channel, kind: "channel", channel: event.channel },
      { channel: event.channel },
      name,
      email,
    ),
  };
}

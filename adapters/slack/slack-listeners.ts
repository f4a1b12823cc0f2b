import type { App, BlockAction, ButtonAction, SlackViewAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Config } from "../../src/config.ts";
import type { Inbound } from "../../src/core/inbound.ts";
import { toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import {
  ackUnhandled,
  claimEventsOnce,
  eventIdOf,
  ignoreBotEvents,
  refuseForeignResponseUrls,
  SLACK_RESPONSE_ORIGIN,
  trackWork,
} from "./bolt-middleware.ts";
import { type DeliveryTarget, deliver } from "./slack-deliver.ts";
import { type SlackPoster, slackErrorOf } from "./slack-poster.ts";
import { ACTION_ID_PATTERN, FORM_ID_PATTERN, LOTSE_COMMAND } from "./slack-routes.ts";
import {
  actionToInbound,
  commandToInbound,
  homeDmOf,
  homeToInbound,
  memberJoinedToInbound,
  mentions,
  messageToInbound,
  parseModalMetadata,
  replyThreadOf,
  type SlackBlockActions,
  type SlackContext,
  type SlackMemberJoined,
  type SlackMessageEvent,
  type SlackUser,
  type SlackViewSubmission,
  submissionToInbound,
  teamJoinToInbound,
} from "./to-inbound.ts";
import { workSignalOf } from "./work-signal.ts";

export interface ListenerContext {
  config: Config;
  runtime: Pick<Runtime, "core" | "templates" | "eventClaims" | "work">;
  log: Logger;
  poster: SlackPoster;
  /** The client for everything but chat.postMessage (views, ephemeral messages, assistant status). */
  client: () => WebClient;
  now: () => Date;
}

/** Suggested prompts in the agent view's Messages tab (the manifest lists the same four). */
export const SUGGESTED_PROMPTS = [
  { title: "Beschaffung", message: "Welche Kriterien gelten für die Beschaffung von Laptops?" },
  { title: "Fristen", message: "Bis wann muss die Wärmeplanung fertig sein?" },
  { title: "Unsere Ziele", message: "Welche Nachhaltigkeitsziele hat unsere Verwaltung?" },
  { title: "Zuständig", message: "Wer ist bei uns für Nachhaltigkeit zuständig?" },
];

/**
 * Slack's events, commands, actions and modals, translated: each listener turns its payload into an Inbound, hands
 * it to the conversation core and delivers the core's replies (slack-deliver.ts). Nothing here decides what to
 * answer. Before any listener: bot events ignored, foreign response_urls refused, payloads without a listener
 * acknowledged, the work tracked for shutdown, retried events skipped.
 */
export function registerListeners(bolt: App, ctx: ListenerContext): void {
  const { config, runtime, log, poster, client, now } = ctx;
  const deps = { poster, client, log };

  const responseOrigins = [
    SLACK_RESPONSE_ORIGIN,
    ...(config.slack?.apiUrl ? [new URL(config.slack.apiUrl).origin] : []),
  ];
  bolt.use(ignoreBotEvents(log));
  bolt.use(refuseForeignResponseUrls(responseOrigins, log));
  bolt.use(ackUnhandled(log));
  // Tracked before the claim: an event refused while shutting down is not claimed, so Slack's retry is answered.
  bolt.use(trackWork(runtime.work));
  bolt.use(claimEventsOnce(runtime.eventClaims, log));

  const slackContext = (teamId: string | undefined, botUserId?: string): SlackContext => ({
    teamId,
    botUserId,
    now: now(),
  });

  /** The core's replies to an input, delivered; logged at debug once done (tests wait for it, not for a time). */
  async function handle(
    inbound: Inbound,
    signal: AbortSignal,
    target: DeliveryTarget,
    label: Record<string, unknown>,
  ): Promise<void> {
    const { replies } = await runtime.core.handle(inbound, signal);
    const sent = await deliver(deps, replies, target);
    log.debug(
      { event: "slack_handled", kind: inbound.kind, replies: replies.length, sent, ...label },
      "handled",
    );
  }

  /** A message: the assistant status while Lotse works on an addressed one, then the replies in its thread. */
  async function onMessage(
    event: SlackMessageEvent,
    context: { teamId?: string; botUserId?: string },
    body: unknown,
    signal: AbortSignal,
  ): Promise<void> {
    const inbound = messageToInbound(event, slackContext(context.teamId, context.botUserId));
    if (!inbound || !event.channel) return;
    const threadTs = replyThreadOf(event);
    if (inbound.addressed !== false && threadTs)
      await client()
        .assistant.threads.setStatus({
          channel_id: event.channel,
          thread_ts: threadTs,
          status: runtime.templates.label("status-working"),
        })
        .catch((err: unknown) => log.debug({ err: toLotseError(err) }, "status not set"));
    await handle(
      inbound,
      signal,
      { kind: "thread", channel: event.channel, ...(threadTs ? { threadTs } : {}), user: inbound.user.id },
      { eventId: eventIdOf(body) },
    );
  }

  bolt.event("app_mention", async ({ event, context, body }) => {
    await onMessage(event as SlackMessageEvent, context, body, workSignalOf(context));
  });

  bolt.message(async ({ message, context, body }) => {
    const m = message as SlackMessageEvent;
    // In channels a mention arrives as app_mention too; Slack sends no app_mention for DMs.
    if (m.channel_type !== "im" && mentions(m.text, context.botUserId)) return;
    await onMessage(m, context, body, workSignalOf(context));
  });

  bolt.command(LOTSE_COMMAND, async ({ ack, respond, command, context }) => {
    await ack();
    await handle(
      commandToInbound(command, slackContext(command.team_id)),
      workSignalOf(context),
      {
        kind: "respond",
        respond,
        user: command.user_id,
        channel: command.channel_id,
        triggerId: command.trigger_id,
      },
      { command: LOTSE_COMMAND },
    );
  });

  // Every button slack-routes.ts knows; link buttons (Slack opened the URL) are only acknowledged.
  bolt.action<BlockAction<ButtonAction>>(
    { type: "block_actions", action_id: ACTION_ID_PATTERN },
    async ({ ack, action, body, respond, context }) => {
      await ack();
      const payload = body as unknown as SlackBlockActions;
      const inbound = actionToInbound(payload, action, slackContext(body.team?.id));
      if (!inbound) return;
      const channel = payload.channel?.id ?? payload.container?.channel_id;
      const threadTs = payload.container?.thread_ts ?? payload.message?.thread_ts;
      const homeDm = channel ? undefined : homeDmOf(payload);
      await handle(
        inbound,
        workSignalOf(context),
        homeDm
          ? { kind: "home-action", user: body.user.id, channel: homeDm, triggerId: body.trigger_id }
          : {
              kind: "respond",
              respond,
              user: body.user.id,
              ...(channel ? { channel } : {}),
              ...(threadTs ? { threadTs } : {}),
              triggerId: body.trigger_id,
            },
        { actionId: inbound.actionId },
      );
    },
  );

  bolt.view<SlackViewAction>(
    { type: "view_submission", callback_id: FORM_ID_PATTERN },
    async ({ ack, body, context }) => {
      const payload = body as unknown as SlackViewSubmission;
      const meta = parseModalMetadata(payload.view.private_metadata);
      // Answered within Slack's 3 s: the core's form reply (errors, next view) is the acknowledgement itself.
      await handle(
        submissionToInbound(payload, slackContext(body.team?.id ?? undefined)),
        workSignalOf(context),
        {
          kind: "submit",
          ack: (response) => ack(response as never),
          user: body.user.id,
          ...(meta.channel ? { channel: meta.channel } : {}),
          ...(meta.threadTs ? { threadTs: meta.threadTs } : {}),
        },
        { formId: payload.view.callback_id },
      );
    },
  );

  bolt.event("app_home_opened", async ({ event, context, body }) => {
    if (event.tab === "messages") {
      await client()
        .assistant.threads.setSuggestedPrompts({ channel_id: event.channel, prompts: SUGGESTED_PROMPTS })
        .catch((err: unknown) => log.debug({ err: toLotseError(err) }, "suggested prompts not set"));
      return;
    }
    await handle(
      homeToInbound(event, slackContext(context.teamId)),
      workSignalOf(context),
      { kind: "home", user: event.user, channel: event.channel },
      { eventId: eventIdOf(body) },
    );
  });

  // A new member of the workspace: welcomed in their DM with Lotse (opened first, so it is the DM's D… conversation
  // later messages come from; where that fails, chat.postMessage to the user id opens it).
  bolt.event("team_join", async ({ event, context, body }) => {
    const user = event.user as unknown as SlackUser;
    const ctx = slackContext(context.teamId, context.botUserId);
    if (!teamJoinToInbound({ user }, ctx)) {
      log.debug({ event: "bot_ignored", eventType: "team_join", eventId: eventIdOf(body) }, "bot joined");
      return;
    }
    const dm = await client()
      .conversations.open({ users: user.id })
      .then((r) => r.channel?.id)
      .catch((err: unknown) => {
        log.warn(
          { code: "SLACK_POST_FAILED", slackError: slackErrorOf(err), eventType: "team_join" },
          "DM not opened; the welcome goes to the user id",
        );
        return undefined;
      });
    const inbound = teamJoinToInbound({ user }, ctx, dm) as Inbound;
    const channel = dm ?? user.id;
    await handle(
      inbound,
      workSignalOf(context),
      { kind: "thread", channel, user: user.id },
      { eventId: eventIdOf(body), eventType: "team_join" },
    );
  });

  // A member joined a channel Lotse is in (Lotse's own join is none): users.info tells whether a bot joined, the name
  // and (users:read.email) the email; where it fails, the join goes on without them.
  bolt.event("member_joined_channel", async ({ event, context, body }) => {
    const joined = event as unknown as SlackMemberJoined;
    const ctx = slackContext(context.teamId ?? joined.team, context.botUserId);
    if (!memberJoinedToInbound(joined, ctx)) return;
    const profile = await client()
      .users.info({ user: joined.user })
      .then((r) => r.user as SlackUser | undefined)
      .catch((err: unknown) => {
        log.warn(
          {
            code: "SLACK_USER_LOOKUP_FAILED",
            slackError: slackErrorOf(err),
            eventType: "member_joined_channel",
          },
          "users.info failed; the join goes on without name and email",
        );
        return undefined;
      });
    const inbound = memberJoinedToInbound(joined, ctx, profile);
    if (!inbound) {
      log.debug(
        { event: "bot_ignored", eventType: "member_joined_channel", eventId: eventIdOf(body) },
        "bot joined",
      );
      return;
    }
    await handle(
      inbound,
      workSignalOf(context),
      { kind: "thread", channel: joined.channel, user: joined.user },
      { eventId: eventIdOf(body), eventType: "member_joined_channel" },
    );
  });
}

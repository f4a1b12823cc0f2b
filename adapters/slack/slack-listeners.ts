import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Config } from "../../src/config.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import {
  ackUnhandled,
  claimEventsOnce,
  ignoreBotEvents,
  refuseForeignResponseUrls,
  SLACK_RESPONSE_ORIGIN,
  trackWork,
} from "./bolt-middleware.ts";
import { escapeMrkdwn, renderTextBlocks } from "./render-blocks.ts";
import { slackAnswers } from "./slack-answers.ts";
import { registerHomeListener } from "./slack-home.ts";
import type { SlackPoster } from "./slack-poster.ts";
import { ACTION_IDS, LOTSE_COMMAND } from "./slack-routes.ts";
import { parseFeedbackValue, type SlackMessageEvent, toInbound } from "./to-inbound.ts";
import { workSignalOf } from "./work-signal.ts";

export interface ListenerContext {
  config: Config;
  runtime: Pick<
    Runtime,
    "router" | "tenancy" | "templates" | "conversations" | "feedback" | "eventClaims" | "work"
  >;
  log: Logger;
  poster: SlackPoster;
  now: () => Date;
}

/**
 * What Lotse does with Slack's events, commands and actions: mentions and DMs answered in their thread, follow-ups,
 * /lotse, share and 👍/👎 buttons, the Home tab and the agent view's suggested prompts. Before any listener: bot
 * events ignored, foreign response_urls refused, payloads without a listener acknowledged, the work tracked for
 * shutdown, retried events skipped. Work aborted at the end of the shutdown grace period posts the notice
 * "notice-restarting" where its answer would have gone (Slack does not deliver an acknowledged event again).
 */
export function registerListeners(bolt: App, ctx: ListenerContext): void {
  const { config, runtime, log, poster, now } = ctx;
  const { tenantOf, render, answerUnlessAborted, restartNotice, answerInThread } = slackAnswers(ctx);

  const responseOrigins = [
    SLACK_RESPONSE_ORIGIN,
    ...(config.slack?.apiUrl ? [new URL(config.slack.apiUrl).origin] : []),
  ];
  bolt.use(ignoreBotEvents(log));
  bolt.use(refuseForeignResponseUrls(responseOrigins, log));
  bolt.use(ackUnhandled(log));
  // Tracked before the claim: an event refused while shutting down is not claimed, so Slack's retry is answered.
  bolt.use(trackWork(runtime.work));
  bolt.use(claimEventsOnce(runtime.eventClaims, tenantOf, log));

  bolt.event("app_mention", async ({ event, context, client }) => {
    await answerInThread(
      event as SlackMessageEvent,
      context.teamId,
      client as unknown as WebClient,
      context.botUserId,
      workSignalOf(context),
    );
  });

  bolt.message(async ({ message, context, client }) => {
    const m = message as SlackMessageEvent & { subtype?: string };
    if (m.subtype !== undefined) return; // edits, joins (bots were ignored before any listener)
    // In channels a mention arrives as app_mention too; Slack sends no app_mention for DMs.
    if (m.channel_type !== "im" && context.botUserId && m.text?.includes(`<@${context.botUserId}>`)) return;
    if (m.channel_type !== "im") {
      // In channels only follow-ups in a thread Lotse has answered in.
      if (!m.thread_ts || !m.channel) return;
      if (!(await runtime.conversations.get("slack", `${m.channel}:${m.thread_ts}`))) return;
    }
    await answerInThread(
      m,
      context.teamId,
      client as unknown as WebClient,
      context.botUserId,
      workSignalOf(context),
    );
  });

  bolt.command(LOTSE_COMMAND, async ({ ack, respond, command, context }) => {
    await ack();
    const question = command.text.trim();
    if (question === "" || /^(hilfe|help|\?)$/i.test(question)) {
      await respond({ response_type: "ephemeral", ...renderTextBlocks(runtime.templates.render("help")) });
      return;
    }
    const answer = await answerUnlessAborted(
      toInbound(
        {
          type: "message",
          user: command.user_id,
          text: question,
          channel: command.channel_id,
          channel_type: "channel",
        },
        { teamId: command.team_id, botUserId: undefined, now: now() },
      ),
      workSignalOf(context),
      { command: LOTSE_COMMAND, channel: command.channel_id },
    );
    if (!answer) {
      await respond({ response_type: "ephemeral", ...restartNotice() });
      return;
    }
    await respond({
      response_type: "ephemeral",
      ...render(answer, question, command.team_id, answer.kind === "answer"),
    });
  });

  bolt.action<BlockAction<ButtonAction>>(
    ACTION_IDS.share,
    async ({ ack, action, body, respond, context }) => {
      await ack();
      const channel = body.channel?.id;
      if (!channel || !action.value) return;
      const answer = await answerUnlessAborted(
        toInbound(
          { type: "message", user: body.user.id, text: action.value, channel, channel_type: "channel" },
          { teamId: body.team?.id, botUserId: undefined, now: now() },
        ),
        workSignalOf(context),
        { action: ACTION_IDS.share, channel },
      );
      if (!answer) {
        // The ephemeral answer with its share button stays, so the user can share it once Lotse is back.
        await respond({ response_type: "ephemeral", replace_original: false, ...restartNotice() });
        return;
      }
      const shared = render(answer, action.value, body.team?.id);
      const intro = `<@${body.user.id}> hat Lotse gefragt: „${escapeMrkdwn(action.value)}“`;
      await poster
        .post({
          channel,
          text: shared.text,
          blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: intro }] }, ...shared.blocks],
        })
        .then(() => respond({ response_type: "ephemeral", delete_original: true }))
        .catch(() =>
          respond({
            response_type: "ephemeral",
            replace_original: false,
            text: runtime.templates.render("error-internal", { contact: "die Nachhaltigkeitskoordination" }),
          }),
        );
    },
  );

  bolt.action<BlockAction<ButtonAction>>(ACTION_IDS.feedback, async ({ ack, action, body, respond }) => {
    await ack();
    const tenant = tenantOf(body.team?.id);
    const parsed = parseFeedbackValue(action.value);
    if (!parsed) {
      log.warn({ code: "REQUEST_INVALID", actionId: action.action_id }, "feedback value refused");
      return;
    }
    if (!tenant) return;
    await runtime.feedback.record({
      tenant,
      platform: "slack",
      userId: body.user.id,
      ...(body.channel?.id ? { conversationId: body.channel.id } : {}),
      rating: action.action_id === "feedback_up" ? "up" : "down",
      question: parsed.question,
      docIds: parsed.docIds,
    });
    log.info({ event: "feedback", platform: "slack", tenant, rating: action.action_id }, "feedback recorded");
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: runtime.templates.render("feedback-thanks"),
    });
  });

  // Next-step buttons open their URL in the browser; Slack still sends block_actions, which must be acknowledged.
  bolt.action(ACTION_IDS.nextStep, async ({ ack }) => {
    await ack();
  });

  registerHomeListener(bolt, ctx);
}

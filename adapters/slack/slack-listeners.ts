import type { App, BlockAction, ButtonAction, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Answer } from "../../src/assistant/answer.ts";
import type { Config } from "../../src/config.ts";
import { tenantDisplayName } from "../../src/core/tenancy.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import {
  claimEventsOnce,
  ignoreBotEvents,
  refuseForeignResponseUrls,
  SLACK_RESPONSE_ORIGIN,
  trackWork,
} from "./bolt-middleware.ts";
import { type Block, escapeMrkdwn, renderAnswerBlocks, renderTextBlocks } from "./render-blocks.ts";
import { registerHomeListener } from "./slack-home.ts";
import type { SlackPoster } from "./slack-poster.ts";
import { parseFeedbackValue, type SlackMessageEvent, toInbound } from "./to-inbound.ts";

const STATUS_WHILE_WORKING = "sucht in den Leitfäden …";

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

/** An answer abandoned because Lotse is stopping: no apology is posted for it, the work ends as refused. */
function refuseIfShuttingDown(answer: Answer): void {
  if (answer.errorCode === "SHUTTING_DOWN")
    throw new LotseError("SHUTTING_DOWN", "answer abandoned: Lotse is shutting down");
}

/**
 * What Lotse does with Slack's events, commands and actions: mentions and DMs answered in their thread, follow-ups,
 * /lotse, share and 👍/👎 buttons, the Home tab and the agent view's suggested prompts. Before any listener: bot
 * events ignored, foreign response_urls refused, the work tracked for shutdown, retried events skipped.
 */
export function registerListeners(bolt: App, ctx: ListenerContext): void {
  const { config, runtime, log, poster, now } = ctx;

  function tenantOf(teamId: string | undefined): string | undefined {
    try {
      return runtime.tenancy.resolve({ platform: "slack", ...(teamId ? { externalTenantId: teamId } : {}) });
    } catch {
      return undefined;
    }
  }

  function render(
    answer: Answer,
    question: string,
    teamId: string | undefined,
    share = false,
  ): { text: string; blocks: Block[] } {
    if (answer.kind === "smalltalk" || answer.kind === "error") return renderTextBlocks(answer.text, answer);
    return renderAnswerBlocks(answer, {
      question,
      tenantName: tenantDisplayName(tenantOf(teamId) ?? config.defaultTenant),
      shareButton: share,
    });
  }

  /** Answers a message in its thread and remembers the thread, so follow-ups there need no new mention. */
  async function answerInThread(
    event: SlackMessageEvent,
    teamId: string | undefined,
    client: WebClient,
    botUserId: string | undefined,
  ): Promise<void> {
    if (!event.channel || !event.ts) return;
    const threadTs = event.thread_ts ?? event.ts;
    const inbound = toInbound(event, { teamId, botUserId, now: now() });
    await client.assistant.threads
      .setStatus({ channel_id: event.channel, thread_ts: threadTs, status: STATUS_WHILE_WORKING })
      .catch((err: unknown) => log.debug({ err: toLotseError(err) }, "status not set"));
    const answer = await runtime.router.handle(inbound);
    refuseIfShuttingDown(answer);
    if (answer.errorCode === "TENANT_UNKNOWN")
      log.warn(
        { code: "TENANT_UNKNOWN", slackTeamId: teamId },
        "message from an unmapped Slack team refused",
      );
    await poster
      .post({ channel: event.channel, thread_ts: threadTs, ...render(answer, inbound.text, teamId) })
      .catch(() => undefined);
    const tenant = tenantOf(teamId);
    if (tenant && event.channel_type !== "im")
      await runtime.conversations
        .save({
          platform: "slack",
          conversationId: `${event.channel}:${threadTs}`,
          tenant,
          ...(teamId ? { externalTenantId: teamId } : {}),
          kind: "thread",
          reference: { channel: event.channel, threadTs },
        })
        .catch((err: unknown) =>
          log.error({ err: toLotseError(err), code: "INTERNAL" }, "storing the Slack thread failed"),
        );
  }

  const responseOrigins = [
    SLACK_RESPONSE_ORIGIN,
    ...(config.slack?.apiUrl ? [new URL(config.slack.apiUrl).origin] : []),
  ];
  bolt.use(ignoreBotEvents(log));
  bolt.use(refuseForeignResponseUrls(responseOrigins, log));
  // Tracked before the claim: an event refused while shutting down is not claimed, so Slack's retry is answered.
  bolt.use(trackWork(runtime.work));
  bolt.use(claimEventsOnce(runtime.eventClaims, tenantOf, log));

  bolt.event("app_mention", async ({ event, context, client }) => {
    await answerInThread(
      event as SlackMessageEvent,
      context.teamId,
      client as unknown as WebClient,
      context.botUserId,
    );
  });

  bolt.message(async ({ message, context, client }) => {
    const m = message as SlackMessageEvent & { subtype?: string; bot_id?: string };
    if (m.subtype !== undefined || m.bot_id) return; // edits, joins, other bots
    // In channels a mention arrives as app_mention too; Slack sends no app_mention for DMs.
    if (m.channel_type !== "im" && context.botUserId && m.text?.includes(`<@${context.botUserId}>`)) return;
    if (m.channel_type !== "im") {
      // In channels only follow-ups in a thread Lotse has answered in.
      if (!m.thread_ts || !m.channel) return;
      if (!(await runtime.conversations.get("slack", `${m.channel}:${m.thread_ts}`))) return;
    }
    await answerInThread(m, context.teamId, client as unknown as WebClient, context.botUserId);
  });

  bolt.command("/lotse", async ({ ack, respond, command }: SlackCommandMiddlewareArgs) => {
    await ack();
    const question = command.text.trim();
    if (question === "" || /^(hilfe|help|\?)$/i.test(question)) {
      await respond({ response_type: "ephemeral", ...renderTextBlocks(runtime.templates.render("help")) });
      return;
    }
    const answer = await runtime.router.handle(
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
    );
    refuseIfShuttingDown(answer);
    await respond({
      response_type: "ephemeral",
      ...render(answer, question, command.team_id, answer.kind === "answer"),
    });
  });

  bolt.action<BlockAction<ButtonAction>>("share_answer", async ({ ack, action, body, respond }) => {
    await ack();
    const channel = body.channel?.id;
    if (!channel || !action.value) return;
    const answer = await runtime.router.handle(
      toInbound(
        { type: "message", user: body.user.id, text: action.value, channel, channel_type: "channel" },
        { teamId: body.team?.id, botUserId: undefined, now: now() },
      ),
    );
    refuseIfShuttingDown(answer);
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
  });

  bolt.action<BlockAction<ButtonAction>>(/^feedback_(up|down)$/, async ({ ack, action, body, respond }) => {
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
  bolt.action(/^next_step_\d+$/, async ({ ack }) => {
    await ack();
  });

  registerHomeListener(bolt, ctx);
}

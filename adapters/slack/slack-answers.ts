import type { WebClient } from "@slack/web-api";
import type { Answer } from "../../src/assistant/answer.ts";
import type { MessageInbound } from "../../src/core/inbound.ts";
import { tenantDisplayName } from "../../src/core/tenancy.ts";
import { toLotseError } from "../../src/errors.ts";
import { type Block, renderAnswerBlocks, renderTextBlocks } from "./render-blocks.ts";
import type { ListenerContext } from "./slack-listeners.ts";
import { type SlackMessageEvent, toInbound } from "./to-inbound.ts";
import { ABORTED, unlessAborted } from "./work-signal.ts";

const STATUS_WHILE_WORKING = "sucht in den Leitfäden …";

/**
 * How the listeners get an answer and post it: the tenant of a team, Block Kit for an answer, the router's answer
 * unless the work was aborted by shutdown (then the restart notice goes where the answer would have gone), and the
 * whole mention/DM flow in a thread.
 */
export function slackAnswers(ctx: ListenerContext) {
  const { config, runtime, log, poster, now } = ctx;

  /** The tenant a Slack team maps to, or undefined for an unmapped one. */
  function tenantOf(teamId: string | undefined): string | undefined {
    try {
      return runtime.tenancy.resolve({ platform: "slack", ...(teamId ? { externalTenantId: teamId } : {}) });
    } catch {
      return undefined;
    }
  }

  /** Block Kit for an answer; smalltalk and errors as plain text. */
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

  /**
   * The router's answer, or undefined once the work was aborted (checked right before the caller posts): the router
   * is then not started, or not waited for, and the caller posts the notice instead.
   */
  async function answerUnlessAborted(
    inbound: MessageInbound,
    signal: AbortSignal,
    where: Record<string, unknown>,
  ): Promise<Answer | undefined> {
    const answer = signal.aborted ? ABORTED : await unlessAborted(runtime.router.handle(inbound), signal);
    if (answer !== ABORTED && !signal.aborted) return answer;
    log.info(
      { code: "SHUTTING_DOWN", event: "answer_aborted", ...where },
      "shutdown grace period over: restart notice instead of the answer",
    );
    return undefined;
  }

  /** The "please ask again" notice that aborted work posts instead of its answer. */
  const restartNotice = () => renderTextBlocks(runtime.templates.render("notice-restarting"));

  /** Answers a message in its thread and remembers the thread, so follow-ups there need no new mention. */
  async function answerInThread(
    event: SlackMessageEvent,
    teamId: string | undefined,
    client: WebClient,
    botUserId: string | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    if (!event.channel || !event.ts) return;
    const threadTs = event.thread_ts ?? event.ts;
    const inbound = toInbound(event, { teamId, botUserId, now: now() });
    await client.assistant.threads
      .setStatus({ channel_id: event.channel, thread_ts: threadTs, status: STATUS_WHILE_WORKING })
      .catch((err: unknown) => log.debug({ err: toLotseError(err) }, "status not set"));
    const answer = await answerUnlessAborted(inbound, signal, { channel: event.channel, threadTs });
    if (!answer) {
      // No thread stored: the answer that would make follow-ups there Lotse's business was never given.
      await poster
        .post({ channel: event.channel, thread_ts: threadTs, ...restartNotice() })
        .catch(() => undefined);
      return;
    }
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

  return { tenantOf, render, answerUnlessAborted, restartNotice, answerInThread };
}

import type { Notifier, NotifyOutcome, NotifyTarget } from "../../src/core/notifier.ts";
import type { Reply } from "../../src/core/replies.ts";
import { SEND_TIMEOUT_MS, withTimeout } from "../../src/core/send-timeout.ts";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { renderMessage } from "./slack-deliver.ts";
import { GONE_ERRORS, type PostArgs, rateLimitOf, type SlackPoster, slackErrorOf } from "./slack-poster.ts";

type SlackNotifierDeps = {
  poster: SlackPoster;
  log: Logger;
  /** Bound of one send (default SEND_TIMEOUT_MS, well below the scheduler's lease). */
  sendTimeoutMs?: number;
};

/**
 * Messages nobody asked for, with chat.postMessage: into a stored conversation (a channel or DM "C123", a thread
 * "C123:1764064800.000100" — the ids to-inbound.ts gives conversations), as a new top-level message that starts a
 * thread, or to a user personally (Slack posts a message to a user id into the app's DM with them, opening it where
 * there is none; the outcome names that DM). A conversation Lotse can no longer write to is the outcome "gone", a
 * 429 the outcome "rate-limited" (not waited out here: the scheduler paces its deliveries), not exceptions. A post
 * Slack has not answered within the send timeout throws SLACK_POST_FAILED (details.reason "timeout").
 */
export class SlackNotifier implements Notifier {
  readonly platform = "slack" as const;
  private readonly deps: SlackNotifierDeps;

  constructor(deps: SlackNotifierDeps) {
    this.deps = deps;
  }

  /** Sends one message, bounded by the send timeout (SLACK_POST_FAILED with reason "timeout": the scheduler retries). */
  async send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
    if (reply.kind === "form")
      // A modal opens only on a user's click or command (trigger_id); a proactive form is a button that opens it.
      throw new LotseError("REQUEST_INVALID", "Slack opens a form only on a user's trigger, not proactively");
    const where = destination(target);
    const ms = this.deps.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    try {
      const posted = await withTimeout(
        this.deps.poster.postMessage(
          { ...where.args, ...renderMessage(reply) },
          { waitOutRateLimits: false },
        ),
        ms,
        () => {
          this.deps.log.error(
            { code: "SLACK_POST_FAILED", reason: "timeout", timeoutMs: ms, target: target.kind },
            "proactive Slack message failed: Slack did not answer in time",
          );
          return new LotseError("SLACK_POST_FAILED", `proactive Slack message not sent within ${ms} ms`, {
            details: { reason: "timeout", timeoutMs: ms },
          });
        },
      );
      return { ok: true, conversationId: where.conversationId(posted) };
    } catch (err) {
      const retryAfterMs = rateLimitOf(err);
      if (retryAfterMs !== undefined) return { ok: false, reason: "rate-limited", retryAfterMs };
      const slackError = slackErrorOf(err);
      if (slackError && GONE_ERRORS.has(slackError)) {
        this.deps.log.info(
          { event: "conversation_gone", platform: "slack", target: target.kind, slackError },
          "conversation gone",
        );
        return { ok: false, reason: "gone" };
      }
      throw err;
    }
  }
}

/** The channel (and thread) a target posts into, and the conversation id of what was posted. */
function destination(target: NotifyTarget): {
  args: Pick<PostArgs, "channel" | "thread_ts">;
  conversationId: (posted: { ts?: string; channel?: string }) => string;
} {
  switch (target.kind) {
    case "conversation": {
      const [channel = "", threadTs] = target.conversationId.split(":");
      return {
        args: { channel, ...(threadTs ? { thread_ts: threadTs } : {}) },
        conversationId: () => target.conversationId,
      };
    }
    case "new-thread": {
      // A channel's id; a thread's id names its channel first.
      const [channel = ""] = target.channelConversationId.split(":");
      return { args: { channel }, conversationId: (p) => (p.ts ? `${channel}:${p.ts}` : channel) };
    }
    case "user":
      // The DM's id as to-inbound.ts names a DM: its channel (D…), as Slack answered.
      return { args: { channel: target.userId }, conversationId: (p) => p.channel ?? target.userId };
  }
}

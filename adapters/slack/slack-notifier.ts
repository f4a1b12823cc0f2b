import type { Notifier, NotifyOutcome, NotifyTarget } from "../../src/core/notifier.ts";
import type { Reply } from "../../src/core/replies.ts";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { renderMessage } from "./slack-deliver.ts";
import { GONE_ERRORS, type SlackPoster, slackErrorOf } from "./slack-poster.ts";

/**
 * Messages nobody asked for, with chat.postMessage: into a stored conversation (a channel or DM "C123", a thread
 * "C123:1764064800.000100" — the ids to-inbound.ts gives conversations), or as a new top-level message that starts a
 * thread. A conversation Lotse can no longer write to is the outcome "gone", not an exception.
 */
export class SlackNotifier implements Notifier {
  readonly platform = "slack" as const;
  private readonly deps: { poster: SlackPoster; log: Logger };

  constructor(deps: { poster: SlackPoster; log: Logger }) {
    this.deps = deps;
  }

  async send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
    if (reply.kind === "form")
      // A modal opens only on a user's click or command (trigger_id); a proactive form is a button that opens it.
      throw new LotseError("REQUEST_INVALID", "Slack opens a form only on a user's trigger, not proactively");
    const id = target.kind === "conversation" ? target.conversationId : target.channelConversationId;
    const [channel = "", threadTs] = id.split(":");
    const thread = target.kind === "conversation" && threadTs ? { thread_ts: threadTs } : {};
    try {
      const ts = await this.deps.poster.post({ channel, ...thread, ...renderMessage(reply) });
      return { ok: true, conversationId: target.kind === "new-thread" && ts ? `${channel}:${ts}` : id };
    } catch (err) {
      const slackError = slackErrorOf(err);
      if (slackError && GONE_ERRORS.has(slackError)) {
        this.deps.log.info(
          { event: "conversation_gone", platform: "slack", slackError },
          "conversation gone",
        );
        return { ok: false, reason: "gone" };
      }
      throw err;
    }
  }
}

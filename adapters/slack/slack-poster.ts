import type { WebClient } from "@slack/web-api";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Block } from "./render-blocks.ts";

/** A 429 with a longer Retry-After is not waited out: an answer half an hour late helps nobody. */
const MAX_RETRY_AFTER_S = 30;
const MAX_RATE_LIMIT_RETRIES = 2;

export type PostArgs = { channel: string; thread_ts?: string; text: string; blocks?: Block[] };

/** Slack's answers that mean the conversation is gone for Lotse: removed from it, or it was archived or deleted. */
export const GONE_ERRORS: ReadonlySet<string> = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
]);

/** Slack's error string of a failed Web API call (data.error), or the client's code, through a LotseError's cause. */
export function slackErrorOf(err: unknown): string | undefined {
  const e = (err instanceof LotseError && err.cause !== undefined ? err.cause : err) as {
    code?: string;
    data?: { error?: string };
  };
  return e?.data?.error ?? e?.code;
}

/**
 * chat.postMessage with a bounded retry policy: transport errors are retried by the Web API client (2 retries, at most
 * ~10 s); a 429 is retried after its Retry-After when that is short; anything else is logged with a code.
 */
export class SlackPoster {
  private readonly client: () => WebClient;
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    client: () => WebClient,
    log: Logger,
    sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ) {
    this.client = client;
    this.log = log;
    this.sleep = sleep;
  }

  /** Posts and resolves with the message ts; throws SLACK_POST_FAILED after logging when Slack refuses for good. */
  async post(args: PostArgs): Promise<string | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.client().chat.postMessage(
          args as Parameters<WebClient["chat"]["postMessage"]>[0],
        );
        return r.ts;
      } catch (err) {
        const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
        if (
          e.code === "slack_webapi_rate_limited_error" &&
          (e.retryAfter ?? Number.POSITIVE_INFINITY) <= MAX_RETRY_AFTER_S &&
          attempt < MAX_RATE_LIMIT_RETRIES
        ) {
          await this.sleep((e.retryAfter ?? 1) * 1000);
          continue;
        }
        const slackError = e.data?.error ?? e.code;
        // A conversation that is gone is an outcome the caller handles (the notifier reports it), not a fault.
        this.log[slackError && GONE_ERRORS.has(slackError) ? "warn" : "error"](
          { code: "SLACK_POST_FAILED", slackError, retryAfter: e.retryAfter, channel: args.channel },
          "posting to Slack failed",
        );
        throw new LotseError("SLACK_POST_FAILED", `chat.postMessage to ${args.channel} failed`, {
          cause: err,
        });
      }
    }
  }
}

import type { WebClient } from "@slack/web-api";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Block } from "./render-blocks.ts";

/** A 429 with a longer Retry-After is not waited out: an answer half an hour late helps nobody. */
const MAX_RETRY_AFTER_S = 30;
const MAX_RATE_LIMIT_RETRIES = 2;
/** Slack refusing with "ratelimited" in the body (no Retry-After header) is retried after a second. */
const DEFAULT_RETRY_AFTER_S = 1;

export type PostArgs = { channel: string; thread_ts?: string; text: string; blocks?: Block[] };

/** A posted message: its ts, and the channel Slack put it in (a DM's D… id when posted to a user id). */
export type Posted = { ts?: string; channel?: string };

export interface PostOptions {
  /**
   * Whether a short Retry-After is waited out here (the default, for answers a user waits for). A scheduler that
   * paces its own deliveries sets false: a 429 then throws at once, with rateLimitOf() telling how long to wait.
   */
  waitOutRateLimits?: boolean;
}

/**
 * Slack's answers that mean the conversation is gone for Lotse: removed from it, it was archived or deleted, or the
 * user it was addressed to personally can no longer be written to (deactivated, unknown, a bot).
 */
export const GONE_ERRORS: ReadonlySet<string> = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "user_not_found",
  "user_disabled",
  "account_inactive",
  "cannot_dm_bot",
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
 * How long Slack asked to wait, in ms, when a call was rate-limited (a 429's Retry-After, through a LotseError's
 * cause; a "ratelimited" answer without one: a second); undefined for any other failure.
 */
export function rateLimitOf(err: unknown): number | undefined {
  const e = (err instanceof LotseError && err.cause !== undefined ? err.cause : err) as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string };
  };
  if (e?.code === "slack_webapi_rate_limited_error")
    return Math.max(0, e.retryAfter ?? DEFAULT_RETRY_AFTER_S) * 1000;
  if (e?.data?.error === "ratelimited" || e?.data?.error === "rate_limited")
    return DEFAULT_RETRY_AFTER_S * 1000;
  return undefined;
}

/**
 * The channel as logs may name it: a channel, private channel or DM id (C…, G…, D…); a post to a person's user id
 * (U…, W…: a personal delivery) is "user", since logs never carry user ids.
 */
export function loggedChannel(channel: string): string {
  return /^[CGD][A-Z0-9]+$/.test(channel) ? channel : "user";
}

/**
 * chat.postMessage with a bounded retry policy: transport errors are retried by the Web API client (the adapter
 * configures none for posting: a retry after a timeout could post twice); a 429 is retried after its Retry-After when
 * that is short and the caller waits (PostOptions); anything else is logged with a code.
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
  async post(args: PostArgs, options: PostOptions = {}): Promise<string | undefined> {
    return (await this.postMessage(args, options)).ts;
  }

  /** Posts and resolves with the message's ts and channel; throws SLACK_POST_FAILED like post(). */
  async postMessage(args: PostArgs, options: PostOptions = {}): Promise<Posted> {
    const wait = options.waitOutRateLimits ?? true;
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.client().chat.postMessage(
          args as Parameters<WebClient["chat"]["postMessage"]>[0],
        );
        return { ...(r.ts ? { ts: r.ts } : {}), ...(r.channel ? { channel: r.channel } : {}) };
      } catch (err) {
        const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
        const retryAfterMs = rateLimitOf(err);
        if (
          wait &&
          retryAfterMs !== undefined &&
          retryAfterMs <= MAX_RETRY_AFTER_S * 1000 &&
          attempt < MAX_RATE_LIMIT_RETRIES
        ) {
          await this.sleep(retryAfterMs);
          continue;
        }
        const slackError = e.data?.error ?? e.code;
        // A conversation that is gone, or a rate limit its caller paces itself by, is an outcome the caller handles
        // (the notifier reports it), not a fault.
        const level =
          !wait && retryAfterMs !== undefined
            ? "info"
            : slackError && GONE_ERRORS.has(slackError)
              ? "warn"
              : "error";
        this.log[level](
          {
            code: "SLACK_POST_FAILED",
            slackError,
            retryAfter: e.retryAfter,
            channel: loggedChannel(args.channel),
          },
          "posting to Slack failed",
        );
        throw new LotseError(
          "SLACK_POST_FAILED",
          `chat.postMessage to ${loggedChannel(args.channel)} failed`,
          {
            cause: err,
            ...(retryAfterMs !== undefined ? { details: { retryAfterMs } } : {}),
          },
        );
      }
    }
  }
}

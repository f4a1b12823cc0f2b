import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { EventClaims } from "../../src/core/event-claims.ts";
import type { WorkTracker } from "../../src/core/work-tracker.ts";
import type { Logger } from "../../src/log.ts";
import { unhandledPayload } from "./slack-routes.ts";
import { setWorkSignal } from "./work-signal.ts";

/** Where Slack's response_url points: its own webhook host, nowhere else (Bolt's respond() posts there). */
export const SLACK_RESPONSE_ORIGIN = "https://hooks.slack.com";

/** In these events `user` is whom the event is about (who joined), not who wrote it. */
const USER_IS_SUBJECT = new Set(["member_joined_channel", "member_left_channel"]);

type Body = Record<string, unknown>;

const record = (v: unknown): Body | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Body) : undefined;

/** The Events API id of a request (event_id), if it is an event. */
export function eventIdOf(body: unknown): string | undefined {
  const id = record(body)?.event_id;
  return typeof id === "string" ? id : undefined;
}

/** Whether an event was written by a bot: another app, a legacy integration, or Lotse itself. */
export function isFromBot(event: Body, botUserId: string | undefined): boolean {
  if (typeof event.bot_id === "string" && event.bot_id !== "") return true;
  if (record(event.bot_profile)) return true;
  if (event.subtype === "bot_message") return true;
  return (
    botUserId !== undefined && event.user === botUserId && !USER_IS_SUBJECT.has(String(event.type ?? ""))
  );
}

/**
 * Events written by bots are never handled, whatever their type: two bots that answer each other's mentions would
 * loop, and Lotse must not answer itself. One place, before any listener.
 */
export function ignoreBotEvents(log: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const event = record(record(body)?.event);
    if (event && isFromBot(event, context.botUserId)) {
      log.debug(
        { event: "bot_ignored", eventType: event.type, eventId: eventIdOf(body), botId: event.bot_id },
        "slack event from a bot ignored",
      );
      return;
    }
    await next();
  };
}

/** True for a response_url on one of the allowed origins (https://hooks.slack.com, plus SLACK_API_URL's for tests). */
export function isAllowedResponseUrl(url: unknown, allowedOrigins: readonly string[]): boolean {
  if (typeof url !== "string") return false;
  try {
    const u = new URL(url);
    return u.username === "" && u.password === "" && allowedOrigins.includes(u.origin);
  } catch {
    return false;
  }
}

function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * Commands, actions and views carry a response_url that Bolt's respond() posts to. A signed request whose
 * response_url leads anywhere but Slack (an internal address, a metadata service) is acknowledged and dropped before
 * any listener runs, so no connection is made there.
 */
export function refuseForeignResponseUrls(
  allowedOrigins: readonly string[],
  log: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = record(args.body) ?? {};
    const urls = [
      ...("response_url" in body ? [body.response_url] : []),
      ...(Array.isArray(body.response_urls) ? body.response_urls.map((r) => record(r)?.response_url) : []),
    ];
    const foreign = urls.findIndex((u) => !isAllowedResponseUrl(u, allowedOrigins));
    if (foreign >= 0) {
      log.warn(
        { code: "OUTBOUND_HOST_REFUSED", host: hostOf(urls[foreign]) },
        "response_url outside Slack refused",
      );
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await args.next();
  };
}

/**
 * Commands and interactive payloads no listener takes (see unhandledPayload) are acknowledged at once with an empty
 * 200: Slack then shows the user nothing (a modal closes), where an unacknowledged one would show an error after
 * 3 s. Logged as a warning with its type, since it means a stale button, a misrouted command or a forged request.
 */
export function ackUnhandled(log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const unhandled = unhandledPayload(args.body);
    const ack = (args as { ack?: () => Promise<void> }).ack;
    if (!unhandled || !ack) {
      await args.next();
      return;
    }
    log.warn(
      { code: "REQUEST_INVALID", reason: "no_listener", ...unhandled },
      "slack payload without a listener acknowledged",
    );
    await ack();
  };
}

/**
 * Everything a request sets off runs as tracked work, so shutdown waits for it before closing the database; once
 * shutdown began, track() refuses with SHUTTING_DOWN and nothing below (claim, listeners) runs. The work's abort
 * signal goes into the context, where the listeners check it before they post.
 */
export function trackWork(work: Pick<WorkTracker, "track">): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = eventIdOf(body);
    await work.track({ platform: "slack", ...(eventId ? { eventId } : {}) }, (signal) => {
      setWorkSignal(context, signal);
      return next();
    });
  };
}

/**
 * Retried events (X-Slack-Retry-Num, same event_id) and events another replica already took are skipped. The claim
 * names no tenant: resolving it is the core's business, and nothing reads it from a claim.
 */
export function claimEventsOnce(
  claims: Pick<EventClaims, "claim">,
  log: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = eventIdOf(body);
    if (eventId && !(await claims.claim("slack", eventId))) {
      log.info(
        { event: "duplicate", eventId, retryNum: context.retryNum, retryReason: context.retryReason },
        "slack event already handled",
      );
      return;
    }
    await next();
  };
}

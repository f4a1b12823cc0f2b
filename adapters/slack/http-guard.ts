import type { IncomingMessage } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { isValidSlackRequest } from "@slack/bolt";
import type { NextFunction, RequestHandler, Response } from "express";
import { z } from "zod";
import type { WorkTracker } from "../../src/core/work-tracker.ts";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { INTERACTIVE_TYPES } from "./slack-routes.ts";

/** Slack's payloads are a few kilobytes (a full modal some hundred); anything beyond this is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Slack rejects requests older than this; Lotse also rejects those from the future (Bolt checks only the past). */
const MAX_CLOCK_SKEW_S = 300;

const FORM = "application/x-www-form-urlencoded";

const jsonPayload = z.union([
  z.object({ type: z.literal("url_verification"), challenge: z.string() }),
  z.object({ type: z.literal("event_callback"), event: z.object({ type: z.string() }) }),
  z.object({ type: z.literal("app_rate_limited"), minute_rate_limited: z.number().optional() }),
  z.object({
    // Any other type would wait 3 s for an ack that never comes.
    type: z.enum(INTERACTIVE_TYPES),
    // Bolt treats any body with `event` as an event and reads `actions` as a list.
    event: z.never().optional(),
    actions: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
]);

const formPayload = z.union([
  z.object({ command: z.string().regex(/^\/\S+$/) }),
  z.object({ ssl_check: z.string() }),
]);

export type SlackPayload = z.infer<typeof jsonPayload> | { type: "command" } | { type: "ssl_check" };

/** What a verified body is, parsed as Bolt will parse it; undefined for anything Slack does not send. */
export function slackPayload(body: string, contentType: string | undefined): SlackPayload | undefined {
  try {
    // The same rule as Bolt's parser: only this exact content type is a form, everything else is JSON.
    if (contentType === FORM) {
      const fields = parseQuery(body);
      // Interactivity: the JSON in `payload`, which Bolt reads in place of every other field.
      if (typeof fields.payload === "string") {
        const inner = jsonPayload.safeParse(JSON.parse(fields.payload));
        return inner.success && inner.data.type !== "event_callback" ? inner.data : undefined;
      }
      const form = formPayload.safeParse(fields);
      if (!form.success) return undefined;
      return "command" in form.data ? { type: "command" } : { type: "ssl_check" };
    }
    const json = jsonPayload.safeParse(JSON.parse(body));
    return json.success ? json.data : undefined;
  } catch {
    return undefined; // not JSON
  }
}

class BodyTooLarge extends Error {}

/** The body, or BodyTooLarge once it passes max bytes; the rest is then read and discarded, not buffered. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else {
        stop();
        req.resume();
        reject(new BodyTooLarge());
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** Closes the connection with the response: whatever of the request body is still unread must not poison it. */
function refuse(res: Response, next: NextFunction, err: LotseError): void {
  res.set("Connection", "close");
  next(err);
}

export interface GuardOptions {
  signingSecret: string;
  work: Pick<WorkTracker, "accepting">;
  log: Logger;
  now: () => Date;
  maxBodyBytes?: number;
}

/**
 * What runs on POST /slack/events before Bolt, so that Bolt only ever sees a signed Slack payload: refused while
 * shutting down (503, Slack retries elsewhere), future timestamps and bad signatures (401), bodies over
 * MAX_BODY_BYTES (413, connection closed), bodies that are no Slack payload (400, at once). Errors go to the app's
 * error handler; the verified body is handed to Bolt as req.rawBody, which its receiver reads instead of the stream.
 */
export function slackRequestGuard(options: GuardOptions): RequestHandler[] {
  const { signingSecret, work, log, now } = options;
  const max = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const shuttingDown = () => new LotseError("SHUTTING_DOWN", "Lotse is shutting down; Slack will retry");

  const refuseWhileDraining: RequestHandler = (_req, res, next) => {
    if (work.accepting) next();
    else refuse(res, next, shuttingDown());
  };

  const rejectFutureTimestamps: RequestHandler = (req, _res, next) => {
    const ts = Number(req.header("x-slack-request-timestamp"));
    if (Number.isFinite(ts) && ts - Math.floor(now().getTime() / 1000) > MAX_CLOCK_SKEW_S)
      next(
        new LotseError("AUTH_REJECTED", "Slack request timestamp lies in the future", {
          details: { reason: "timestamp" },
        }),
      );
    else next();
  };

  const verifiedPayload: RequestHandler = async (req, res, next) => {
    if (Number(req.header("content-length")) > max) {
      refuse(res, next, new LotseError("PAYLOAD_TOO_LARGE", `Slack request body over ${max} bytes`));
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, max);
    } catch (err) {
      if (err instanceof BodyTooLarge)
        refuse(res, next, new LotseError("PAYLOAD_TOO_LARGE", `Slack request body over ${max} bytes`));
      else
        refuse(res, next, new LotseError("REQUEST_INVALID", "Slack request body unreadable", { cause: err }));
      return;
    }
    const body = raw.toString("utf8");
    const signed = isValidSlackRequest({
      signingSecret,
      body,
      headers: {
        "x-slack-signature": req.header("x-slack-signature") ?? "",
        "x-slack-request-timestamp": Number(req.header("x-slack-request-timestamp")),
      },
      nowMilliseconds: now().getTime(),
    });
    if (!signed) {
      next(
        new LotseError("AUTH_REJECTED", "Slack request signature invalid or stale", {
          details: { reason: "signature" },
        }),
      );
      return;
    }
    const payload = slackPayload(body, req.header("content-type"));
    if (!payload) {
      next(
        new LotseError("REQUEST_INVALID", "signed body is not a Slack payload", {
          details: { reason: "not_slack_payload" },
        }),
      );
      return;
    }
    if (payload.type === "app_rate_limited") {
      // Slack tells us it dropped events for a minute; there is nothing to answer, only to report.
      log.warn(
        { event: "app_rate_limited", minuteRateLimited: payload.minute_rate_limited },
        "Slack rate-limited event delivery",
      );
      res.status(200).end();
      return;
    }
    // Checked again: reading the body may have taken a while, and a request Bolt acknowledges is no longer retried.
    if (!work.accepting) {
      refuse(res, next, shuttingDown());
      return;
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
    next();
  };

  return [refuseWhileDraining, rejectFutureTimestamps, verifiedPayload];
}

import { App, ExpressReceiver } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import express, { type Express, type RequestHandler } from "express";
import type { Config } from "../../src/config.ts";
import { toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { boltLogger } from "./bolt-logger.ts";
import { registerListeners } from "./slack-listeners.ts";
import { SlackNotifier } from "./slack-notifier.ts";
import { SlackPoster } from "./slack-poster.ts";

/** Slack rejects requests older than this; Lotse also rejects those from the future (Bolt checks only the past). */
const MAX_CLOCK_SKEW_S = 300;

export interface SlackDeps {
  config: Config;
  runtime: Pick<Runtime, "router" | "tenancy" | "templates" | "conversations" | "feedback" | "eventClaims">;
  log: Logger;
  now?: () => Date;
}

export interface SlackAdapter {
  readonly mode: "http" | "socket";
  /** HTTP mode: mounts POST /slack/events (before any body parser: Bolt verifies the raw body). */
  mount(app: Express): void;
  /** Resolves the bot's identity (auth.test); in Socket Mode also opens the WebSocket. */
  start(): Promise<void>;
  stop(): Promise<void>;
  notifier: SlackNotifier;
  /** The Bolt app (tests inspect its configuration). */
  bolt: App;
}

/** Rejects requests whose timestamp lies more than five minutes in the future, before Bolt sees them. */
export function rejectFutureTimestamps(now: () => Date): RequestHandler {
  return (req, res, next) => {
    const ts = Number(req.header("x-slack-request-timestamp"));
    if (Number.isFinite(ts) && ts - Math.floor(now().getTime() / 1000) > MAX_CLOCK_SKEW_S) {
      res
        .status(401)
        .json({ error: { code: "REQUEST_INVALID", message: "Zeitstempel liegt in der Zukunft." } });
      return;
    }
    next();
  };
}

/**
 * Slack through Bolt for JavaScript 5: app mentions (answered in the thread), DMs and the agent view, thread
 * follow-ups, /lotse, 👍/👎, the Home tab. Events are acknowledged at once and answered asynchronously; retried events
 * are claimed in PostgreSQL so one question gets one answer across replicas. All Slack types stay here.
 */
export function createSlackAdapter(deps: SlackDeps): SlackAdapter {
  const { config, runtime, log } = deps;
  const slack = config.slack;
  if (!slack) throw new Error("createSlackAdapter needs config.slack");
  const now = deps.now ?? (() => new Date());
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    // Bounded: at most two retries within ~10 s for transport errors (the default would retry for half an hour).
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5000, maxRetryTime: 10_000 },
    timeout: 10_000,
    // 429s come back to SlackPoster, which waits out only a short Retry-After.
    rejectRateLimitedCalls: true,
  };
  const logger = boltLogger(log, config.logMessages);
  const router = express.Router();
  let receiver: ExpressReceiver | undefined;
  let bolt: App;
  if (slack.mode === "http") {
    router.post("/slack/events", rejectFutureTimestamps(now));
    receiver = new ExpressReceiver({
      signingSecret: slack.signingSecret,
      endpoints: "/slack/events",
      router,
      processBeforeResponse: false,
      logger,
      processEventErrorHandler: async ({ error, response }) => {
        log.error({ err: toLotseError(error), code: "INTERNAL" }, "slack request failed");
        if (!response.headersSent) {
          response.writeHead(500);
          response.end();
        }
        return false;
      },
    });
    bolt = new App({ token: slack.botToken, receiver, logger, deferInitialization: true, clientOptions });
  } else {
    bolt = new App({
      token: slack.botToken,
      appToken: slack.appToken,
      socketMode: true,
      logger,
      deferInitialization: true,
      clientOptions,
    });
  }
  // Posting has its own client without automatic retries: a retry after a timeout could post the answer twice.
  const postClient = new WebClient(slack.botToken, { ...clientOptions, retryConfig: { retries: 0 }, logger });
  const poster = new SlackPoster(() => postClient, log);
  const notifier = new SlackNotifier({
    poster,
    conversations: runtime.conversations,
    defaultTenant: config.defaultTenant,
  });

  registerListeners(bolt, { config, runtime, log, poster, now });

  return {
    mode: slack.mode,
    bolt,
    notifier,
    mount(app: Express) {
      if (receiver) app.use(router);
    },
    async start() {
      await bolt.init();
      if (slack.mode === "socket") await bolt.start();
    },
    async stop() {
      if (slack.mode === "socket") await bolt.stop();
    },
  };
}

import { App, ExpressReceiver } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import express, { type Express } from "express";
import type { Config } from "../../src/config.ts";
import { toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { boltLogger } from "./bolt-logger.ts";
import { MAX_BODY_BYTES, slackRequestGuard } from "./http-guard.ts";
import { registerListeners } from "./slack-listeners.ts";
import { SlackNotifier } from "./slack-notifier.ts";
import { SlackPoster } from "./slack-poster.ts";
import { SlackRoster } from "./slack-roster.ts";

export interface SlackDeps {
  config: Config;
  runtime: Pick<Runtime, "core" | "templates" | "eventClaims" | "work" | "notifiers" | "rosters">;
  log: Logger;
  now?: () => Date;
}

export interface SlackAdapter {
  readonly mode: "http" | "socket";
  /** HTTP mode: mounts POST /slack/events (before any body parser: Bolt verifies the raw body). */
  mount(app: Express): void;
  /**
   * Resolves the bot's identity (auth.test), registers the notifier in runtime.notifiers and the roster in
   * runtime.rosters; in Socket Mode also opens the WebSocket.
   */
  start(): Promise<void>;
  /** Socket Mode: disconnects, so that no new events arrive while shutdown drains the running work. */
  stop(): Promise<void>;
  notifier: SlackNotifier;
  roster: SlackRoster;
  /** The Bolt app (tests inspect its configuration). */
  bolt: App;
}

/**
 * Slack through Bolt for JavaScript 5: app mentions, DMs and the agent view, thread messages, /lotse, buttons, modals
 * and the Home tab, translated into the conversation core's inputs and its replies rendered as Block Kit. Events are
 * acknowledged at once and answered asynchronously; retried events are claimed in PostgreSQL so one question gets
 * one answer across replicas. All Slack types stay here.
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
    router.post(
      "/slack/events",
      ...slackRequestGuard({ signingSecret: slack.signingSecret, work: runtime.work, log, now }),
    );
    receiver = new ExpressReceiver({
      signingSecret: slack.signingSecret,
      endpoints: "/slack/events",
      router,
      processBeforeResponse: false,
      bodyLimit: MAX_BODY_BYTES,
      logger,
      processEventErrorHandler: async ({ error, response }) => {
        const e = toLotseError(error);
        // SHUTTING_DOWN was logged by the error handler below; a request not yet acknowledged gets 503, so Slack
        // retries it (at another replica, or after the restart).
        const status = e.code === "SHUTTING_DOWN" ? 503 : 500;
        if (status === 500) log.error({ err: e, code: "INTERNAL" }, "slack request failed");
        if (!response.headersSent) {
          response.writeHead(status, status === 503 ? { connection: "close" } : {});
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
  const notifier = new SlackNotifier({ poster, log });
  const roster = new SlackRoster({ client: () => bolt.client, log });

  registerListeners(bolt, { config, runtime, log, poster, client: () => bolt.client, now });
  bolt.error(async (error) => {
    const e = toLotseError(error);
    if (e.code !== "SHUTTING_DOWN") {
      log.error({ err: e, code: e.code }, "slack handler failed");
      return;
    }
    log.warn({ code: "SHUTTING_DOWN" }, "slack request refused: shutting down");
    // Over HTTP the receiver turns it into a 503 where nothing was acknowledged yet; Socket Mode has no such answer.
    if (slack.mode === "http") throw e;
  });

  return {
    mode: slack.mode,
    bolt,
    notifier,
    roster,
    mount(app: Express) {
      if (receiver) app.use(router);
    },
    async start() {
      await bolt.init();
      runtime.notifiers.set("slack", notifier);
      runtime.rosters.set("slack", roster);
      if (slack.mode === "socket") await bolt.start();
    },
    async stop() {
      if (slack.mode === "socket") await bolt.stop();
    },
  };
}

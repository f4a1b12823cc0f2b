/**
 * Composition root: reads the configuration, wires the core with the adapters and runs the `lotse` CLI
 * (`npm start` is `lotse serve`). The only file in src/ that imports from adapters/.
 */
import { runCli } from "../adapters/cli/cli.ts";
import { ProgressBar } from "../adapters/cli/progress-bar.ts";
import { configFromEnvironment, isInteractive } from "./config.ts";
import { useBaselineWasmCompiler } from "./db/pglite-compiler.ts";
import { LotseError } from "./errors.ts";
import { createLogger } from "./log.ts";
import type { Runtime } from "./runtime.ts";
import { createApp } from "./server/app.ts";
import { listen, shutdownOnSignals } from "./server/serve.ts";

async function serve(runtime: Runtime, log: ReturnType<typeof createLogger>): Promise<void> {
  // Platform SDKs are loaded only when configured: each costs start-up time and memory.
  const teams = runtime.config.teamsEnabled
    ? (await import("../adapters/teams/teams-app.ts")).createTeamsAdapter({
        config: runtime.config,
        runtime,
        log,
      })
    : undefined;
  const slack = runtime.config.slack
    ? (await import("../adapters/slack/slack-app.ts")).createSlackAdapter({
        config: runtime.config,
        runtime,
        log,
      })
    : undefined;
  const app = createApp({
    log,
    ready: () => runtime.ready(),
    // Shown, not gating: a Teams token failure must not take Slack on the same replica off the load balancer.
    readiness: teams ? [async () => ({ ok: true, details: teams.health() })] : [],
    mount: (a) => {
      teams?.mount(a);
      slack?.mount(a);
    },
  });
  try {
    await slack?.start();
  } catch (cause) {
    throw new LotseError(
      "CONFIG_INVALID",
      `Slack lässt sich nicht verbinden (${(cause as Error).message}). Prüfen Sie SLACK_BOT_TOKEN${runtime.config.slack?.mode === "socket" ? " und SLACK_APP_TOKEN" : ""} und die Verbindung zu Slack (SLACK_API_URL).`,
      { cause },
    );
  }
  const { port, host } = runtime.config;
  const server = await listen(app, port, host);
  log.info(
    {
      port,
      host,
      database: runtime.db.kind,
      retrieval: runtime.retriever.mode,
      teams: teams ? (runtime.config.teamsAuth ? "authenticated" : "unauthenticated (local trial)") : "off",
      slack: slack ? slack.mode : "off",
    },
    `Lotse listening on http://${host}:${port}`,
  );
  const documents = (await runtime.ready()).documents;
  if (documents === 0)
    log.warn(
      { code: "KNOWLEDGE_EMPTY" },
      "no knowledge ingested: every question gets no answer and /readyz reports 503 — run `lotse ingest`",
    );
  // Reminders and deadline notices: the notifiers are registered now (Teams at creation, Slack at start).
  if (runtime.config.schedulerEnabled) runtime.scheduler.start();
  else
    log.info(
      { event: "scheduler_off" },
      "scheduler off (LOTSE_SCHEDULER=false): run `lotse reminders run-due`",
    );
  shutdownOnSignals(server, log, {
    work: runtime.work,
    graceMs: runtime.config.shutdownGraceMs,
    stopSources: async () => {
      // Claims not finished are released, so another replica or the next start delivers them.
      await runtime.scheduler.stop();
      await slack?.stop();
    },
    release: async (unfinished) => {
      for (const label of unfinished)
        if (label.eventId) await runtime.eventClaims.release(label.platform, label.eventId);
    },
    close: () => runtime.close(),
  });
}

async function main(): Promise<number> {
  const loaded = configFromEnvironment();
  if ("error" in loaded) {
    process.stderr.write(`${loaded.error}\n`);
    return 2;
  }
  const { config } = loaded;
  const log = createLogger(config.logLevel);
  return runCli(process.argv.slice(2), {
    config,
    log,
    io: {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
      progress: new ProgressBar(process.stderr, isInteractive()),
      now: () => new Date(),
    },
    serve: (rt) => serve(rt, log),
    // `lotse reminders run-due` delivers through the platforms without serving: the adapters are created (Teams
    // registers its notifier then), Slack's notifier registered without opening Socket Mode.
    startNotifiers: async (rt) => {
      if (rt.config.teamsEnabled)
        (await import("../adapters/teams/teams-app.ts")).createTeamsAdapter({
          config: rt.config,
          runtime: rt,
          log,
        });
      if (rt.config.slack) {
        const slack = (await import("../adapters/slack/slack-app.ts")).createSlackAdapter({
          config: rt.config,
          runtime: rt,
          log,
        });
        rt.notifiers.set("slack", slack.notifier);
      }
    },
    // The embedded database in a long-running server: bounded memory over faster SQL (see pglite-compiler.ts).
    beforeServe: () => {
      if (!config.databaseUrl) useBaselineWasmCompiler();
    },
  });
}

const code = await main();
// The server keeps the process alive; commands that finished set the exit code.
process.exitCode = code;

/**
 * Child process of `npm run bench`: Slack latency over HTTP (Events API), for Lotse and, side by side, for a bare Bolt
 * app whose app_mention handler does nothing.
 *
 * Two roles in one file, so that the load generator never shares an event loop with the server it measures:
 * - the driver (spawned by run.ts) plays Slack: a fake Web API on 127.0.0.1 and an open-loop stream of correctly signed
 *   app_mention events (sent on schedule, never waiting for earlier responses), timing each POST /slack/events until
 *   its response has been read (the acknowledgement) and, for Lotse, until chat.postMessage arrives in the event's
 *   thread at the fake Web API (same process, same clock);
 * - the server (`--serve lotse|bare`, spawned by the driver, one after the other) is configured like `lotse serve`:
 *   V8's baseline compiler for PGlite set before the runtime is created, in-memory PGlite with the bundled knowledge,
 *   info logs written to the null device. It also reports how busy its event loop was over the measured stream.
 *
 * Reads a JSON request on argv[2], prints the result (latencies in ms) as JSON on stdout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Agent, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { devNull } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance as perf } from "node:perf_hooks";
import { App, ExpressReceiver } from "@slack/bolt";
import express from "express";
import pino from "pino";
import { createSlackAdapter } from "../adapters/slack/slack-app.ts";
import { loadConfig } from "../src/config.ts";
import { useBaselineWasmCompiler } from "../src/db/pglite-compiler.ts";
import { createLogger } from "../src/log.ts";
import { createRuntime } from "../src/runtime.ts";
import { createApp } from "../src/server/app.ts";
import { listen } from "../src/server/serve.ts";
import { type FakeSlackApi, startFakeSlackApi } from "../test/fakes/slack-api.ts";

export type SlackBenchRequest = {
  knowledgeDir: string;
  questionsFile: string;
  /** Events per second of the open-loop stream. */
  rate: number;
  /** Length of the measured stream in seconds. */
  seconds: number;
  /** Events at the head of the stream that are sent at the same rate but not counted. */
  warmup: number;
  /** Events of the separate sequential run (Lotse only: event → chat.postMessage without load). */
  sequential: number;
  /** Extra Node options for the server processes (e.g. --cpu-prof for profiling by hand). */
  serverNodeArgs?: string[];
};

/** Over the measured stream: share of time the server's event loop was busy, and how late a 1 ms timer ran (ms). */
export type ServerStats = { busy: number; loopDelayP99: number; loopDelayMax: number };

export type SlackBenchResult = {
  bare: { ack: number[]; server: ServerStats };
  lotse: {
    ack: number[];
    post: number[];
    sequentialPost: number[];
    withSources: number;
    server: ServerStats;
  };
  /** Largest delay of a send behind its schedule in the driver (ms). */
  maxSendLag: number;
};

type ServeConfig = { apiUrl: string; knowledgeDir: string };
type ToServer = { cmd: "reset" } | { cmd: "stats" };
type FromServer = { port: number } | { stats: ServerStats };

const ROOT = path.resolve(import.meta.dirname, "..");
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const BOT_TOKEN = "xoxb-17653672481-19874698323-benchTokenBenchTok";

// Whatever happens, this process ends by itself.
setTimeout(() => {
  process.stderr.write("slack-latency.ts: no result within 5 minutes\n");
  process.exit(1);
}, 300_000).unref();

// ---------------------------------------------------------------------------------------------------------------
// Server role
// ---------------------------------------------------------------------------------------------------------------

/** Lotse as `lotse serve` runs it in HTTP mode: createApp with the Slack adapter mounted, auth.test before listening. */
async function lotseServer(cfg: ServeConfig): Promise<Server> {
  const config = loadConfig(
    {
      LOTSE_DATA_DIR: ":memory:",
      LOTSE_KNOWLEDGE_DIR: cfg.knowledgeDir,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: cfg.apiUrl,
    },
    ROOT,
  );
  const log = createLogger(config.logLevel, pino.destination({ dest: devNull, sync: true }));
  const rt = await createRuntime(config, log, { autoIngest: true });
  const slack = createSlackAdapter({ config, runtime: rt, log });
  const app = createApp({ log, ready: () => rt.ready(), mount: (a) => slack.mount(a) });
  await slack.start();
  return listen(app, 0, "127.0.0.1");
}

/** Bolt's own minimum: ExpressReceiver on a router mounted in an express app, as Lotse mounts its receiver. */
async function bareServer(cfg: ServeConfig): Promise<Server> {
  const router = express.Router();
  const receiver = new ExpressReceiver({
    signingSecret: SECRET,
    endpoints: "/slack/events",
    router,
    processBeforeResponse: false,
  });
  const bolt = new App({
    token: BOT_TOKEN,
    receiver,
    deferInitialization: true,
    clientOptions: { slackApiUrl: cfg.apiUrl },
  });
  bolt.event("app_mention", async () => {});
  await bolt.init();
  const app = express();
  app.use(router);
  return listen(app, 0, "127.0.0.1");
}

async function serve(kind: string, cfg: ServeConfig): Promise<void> {
  useBaselineWasmCompiler();
  const server = kind === "lotse" ? await lotseServer(cfg) : await bareServer(cfg);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let elu = perf.eventLoopUtilization();
  const send = (m: FromServer) => process.send?.(m);
  process.on("message", (m: ToServer) => {
    if (m.cmd === "reset") {
      loop.reset();
      elu = perf.eventLoopUtilization();
    } else if (m.cmd === "stats") {
      send({
        stats: {
          busy: perf.eventLoopUtilization(elu).utilization,
          loopDelayP99: loop.percentile(99) / 1e6,
          loopDelayMax: loop.max / 1e6,
        },
      });
    }
  });
  // The driver going away (or closing the channel) ends the server.
  process.on("disconnect", () => {
    server.closeAllConnections();
    process.exit(0);
  });
  send({ port: (server.address() as AddressInfo).port });
}

// ---------------------------------------------------------------------------------------------------------------
// Driver role
// ---------------------------------------------------------------------------------------------------------------

type Running = { child: ChildProcess; port: number; next(): Promise<FromServer> };

async function startServer(kind: "lotse" | "bare", cfg: ServeConfig, nodeArgs: string[]): Promise<Running> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, import.meta.filename, "--serve", kind, JSON.stringify(cfg)],
    // A clean environment; the server's stdout goes to stderr (the driver's stdout carries the result).
    { cwd: ROOT, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", 2, "inherit", "ipc"] },
  );
  const inbox: FromServer[] = [];
  const waiting: ((m: FromServer) => void)[] = [];
  child.on("message", (m: FromServer) => {
    const w = waiting.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const next = () =>
    new Promise<FromServer>((resolve, reject) => {
      const m = inbox.shift();
      if (m) return resolve(m);
      const onExit = (code: number | null) => reject(new Error(`${kind} server exited with ${String(code)}`));
      child.once("exit", onExit);
      waiting.push((msg) => {
        child.off("exit", onExit);
        resolve(msg);
      });
    });
  const first = await next();
  if (!("port" in first)) throw new Error(`${kind} server did not report its port`);
  return { child, port: first.port, next };
}

async function stopServer(s: Running): Promise<void> {
  const closed = new Promise((r) => s.child.once("exit", r));
  s.child.disconnect();
  await closed;
}

async function serverStats(s: Running): Promise<ServerStats> {
  s.child.send({ cmd: "stats" } satisfies ToServer);
  const m = await s.next();
  if (!("stats" in m)) throw new Error("server did not report its stats");
  return m.stats;
}

let eventNo = 0;

/** An app_mention in a channel as Slack delivers it, with a unique event_id and a unique ts (= the reply's thread). */
function appMention(question: string): { body: Buffer; ts: string } {
  const n = ++eventNo;
  const ts = `${1764064800 + n}.000100`;
  const event = {
    token: "XXYYZZ",
    team_id: "T0MUSTER1",
    api_app_id: "A0LOTSE01",
    event: {
      type: "app_mention",
      user: "U0ERIKA01",
      text: `<@U0LOTSE01> ${question}`,
      ts,
      channel: "C0NACHHALT",
      event_ts: ts,
      team: "T0MUSTER1",
      blocks: [
        {
          type: "rich_text",
          block_id: "Bq2X",
          elements: [
            {
              type: "rich_text_section",
              elements: [
                { type: "user", user_id: "U0LOTSE01" },
                { type: "text", text: ` ${question}` },
              ],
            },
          ],
        },
      ],
    },
    type: "event_callback",
    event_id: `Ev0BENCH${String(n).padStart(6, "0")}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: "T0MUSTER1",
        user_id: "U0LOTSE01",
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: "4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDBNVVNURVIxIiwiYWlkIjoiQTBMT1RTRTAxIn0",
  };
  return { body: Buffer.from(JSON.stringify(event)), ts };
}

/**
 * POSTs one event signed as Slack signs it; resolves with the status and the time from just before the request was
 * written until its response was read completely.
 */
function postEvent(
  agent: Agent,
  port: number,
  body: Buffer,
): Promise<{ status: number; t0: number; ms: number }> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:`).update(body).digest("hex")}`;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = httpRequest(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/slack/events",
        headers: {
          "content-type": "application/json",
          "content-length": body.length,
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": signature,
        },
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve({ status: res.statusCode ?? 0, t0, ms: performance.now() - t0 }));
        res.once("error", reject);
      },
    );
    req.once("error", reject);
    req.end(body);
  });
}

/**
 * The open-loop stream: event i is sent at start + i / rate whether or not earlier ones were answered. The first
 * `warmup` events are not counted. With `api`, also the time from sending to chat.postMessage in the event's thread.
 */
async function openLoop(
  port: number,
  questions: string[],
  req: SlackBenchRequest,
  onMeasuredStart: () => void,
  api?: FakeSlackApi,
): Promise<{ ack: number[]; post: number[]; withSources: number; maxLag: number }> {
  const total = req.warmup + req.rate * req.seconds;
  const interval = 1000 / req.rate;
  const events = Array.from({ length: total }, (_, i) =>
    appMention(questions[i % questions.length] as string),
  );
  const agent = new Agent({ keepAlive: true });
  const acks: Promise<{ status: number; t0: number; ms: number }>[] = [];
  const posts: Promise<{ ms: number; sources: boolean }>[] = [];
  let maxLag = 0;
  const start = performance.now() + 20;
  let i = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      while (i < total && start + i * interval <= performance.now()) {
        const { body, ts } = events[i] as { body: Buffer; ts: string };
        if (i === req.warmup) onMeasuredStart();
        const lag = performance.now() - (start + i * interval);
        const ack = postEvent(agent, port, body);
        if (i >= req.warmup) {
          maxLag = Math.max(maxLag, lag);
          acks.push(ack);
          if (api)
            posts.push(
              Promise.all([ack, api.postTo(ts)]).then(([a, p]) => ({
                ms: p.at - a.t0,
                sources: (p.args.blocks ?? "").includes('"type":"context"'),
              })),
            );
        } else if (api) void api.postTo(ts).catch(() => undefined);
        i++;
      }
      if (i >= total) done();
      else setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
  const results = await Promise.all(acks);
  const bad = results.filter((r) => r.status !== 200);
  if (bad.length > 0)
    throw new Error(`${bad.length} events not acknowledged with 200 (e.g. ${bad[0]?.status})`);
  const answered = await Promise.all(posts);
  agent.destroy();
  return {
    ack: results.map((r) => r.ms),
    post: answered.map((p) => p.ms),
    withSources: answered.filter((p) => p.sources).length,
    maxLag,
  };
}

/** Sequential events, each sent after the previous answer arrived: event → chat.postMessage without load. */
async function sequential(
  port: number,
  questions: string[],
  n: number,
  api: FakeSlackApi,
): Promise<number[]> {
  const agent = new Agent({ keepAlive: true });
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const { body, ts } = appMention(questions[i % questions.length] as string);
    const post = api.postTo(ts);
    const a = await postEvent(agent, port, body);
    if (a.status !== 200) throw new Error(`sequential event answered ${a.status}`);
    ms.push((await post).at - a.t0);
  }
  agent.destroy();
  return ms;
}

async function drive(req: SlackBenchRequest): Promise<void> {
  const questions = JSON.parse(await readFile(req.questionsFile, "utf8")) as string[];
  const api = await startFakeSlackApi();
  const cfg = { apiUrl: api.apiUrl, knowledgeDir: req.knowledgeDir };
  const nodeArgs = req.serverNodeArgs ?? [];
  try {
    const bareServer = await startServer("bare", cfg, nodeArgs);
    let bare: Awaited<ReturnType<typeof openLoop>>;
    let bareStats: ServerStats;
    try {
      const reset = () => bareServer.child.send({ cmd: "reset" } satisfies ToServer);
      bare = await openLoop(bareServer.port, questions, req, reset);
      bareStats = await serverStats(bareServer);
    } finally {
      await stopServer(bareServer);
    }

    const lotseServer = await startServer("lotse", cfg, nodeArgs);
    let lotse: Awaited<ReturnType<typeof openLoop>>;
    let lotseStats: ServerStats;
    let sequentialPost: number[];
    try {
      const reset = () => lotseServer.child.send({ cmd: "reset" } satisfies ToServer);
      lotse = await openLoop(lotseServer.port, questions, req, reset, api);
      lotseStats = await serverStats(lotseServer);
      sequentialPost = await sequential(lotseServer.port, questions, req.sequential, api);
    } finally {
      await stopServer(lotseServer);
    }
    const result: SlackBenchResult = {
      bare: { ack: bare.ack, server: bareStats },
      lotse: {
        ack: lotse.ack,
        post: lotse.post,
        sequentialPost,
        withSources: lotse.withSources,
        server: lotseStats,
      },
      maxSendLag: Math.max(bare.maxLag, lotse.maxLag),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await api.close();
  }
}

if (process.argv[2] === "--serve") {
  await serve(process.argv[3] ?? "", JSON.parse(process.argv[4] ?? "{}") as ServeConfig);
} else {
  await drive(JSON.parse(process.argv[2] ?? "{}") as SlackBenchRequest);
}

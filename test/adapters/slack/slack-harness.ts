import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createSlackAdapter } from "../../../adapters/slack/slack-app.ts";
import { loadConfig } from "../../../src/config.ts";
import { createRuntime } from "../../../src/runtime.ts";
import { createApp } from "../../../src/server/app.ts";
import { listen } from "../../../src/server/serve.ts";
import { captureLogs, ROOT } from "../../helpers.ts";
import type { FakeSlackApi } from "./fake-slack-api.ts";

/** Credentials shaped like Slack's (config checks their form and length). */
export const SECRET = "8f742231b10e8888abcd99eeefff85a5";
export const BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";
export const APP_TOKEN = "xapp-1-A0LOTSE01-4312895619-3f4b1c2d8e9a0b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a";

const FIXTURES = path.join(ROOT, "test/fixtures/slack");

export const sign = (body: string | Buffer, ts: number, secret = SECRET) =>
  `v0=${createHmac("sha256", secret).update(`v0:${ts}:`).update(body).digest("hex")}`;

/** Lotse with the Slack adapter over HTTP on an ephemeral loopback port, talking to the fake Web API. */
export async function startLotse(api: FakeSlackApi, env: Record<string, string> = {}) {
  const { logs, log } = captureLogs();
  const config = loadConfig(
    {
      LOTSE_DATA_DIR: ":memory:",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: api.apiUrl,
      ...env,
    },
    ROOT,
  );
  const rt = await createRuntime(config, log, { autoIngest: true });
  const slack = createSlackAdapter({ config, runtime: rt, log });
  const server = await listen(
    createApp({ log, ready: () => rt.ready(), mount: (a) => slack.mount(a) }),
    0,
    "127.0.0.1",
  );
  await slack.start();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rt.close();
  };
  return { rt, slack, server, base, logs, close };
}

/** Posts a correctly signed request like Slack does (JSON for events, form for commands and interactivity). */
export async function send(
  base: string,
  body: string,
  options: { form?: boolean; ts?: number; secret?: string; headers?: Record<string, string> } = {},
) {
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(`${base}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": options.form ? "application/x-www-form-urlencoded" : "application/json",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": sign(body, ts, options.secret),
      ...options.headers,
    },
    body,
  });
  return { res, ms: performance.now() - started };
}

/** A fixture from test/fixtures/slack, with placeholders replaced. */
export const fixture = async (name: string, replace: Record<string, string> = {}) => {
  let raw = await readFile(path.join(FIXTURES, name), "utf8");
  for (const [k, v] of Object.entries(replace)) raw = raw.replaceAll(k, v);
  return raw.trim();
};

/** An interactivity body as Slack sends it: the JSON in a form field `payload`. */
export const interactive = (json: string) => `payload=${encodeURIComponent(json)}`;

export const blockText = (args: Record<string, unknown>) => JSON.stringify(args.blocks ?? []);

/** Resolves once a log line matches (or fails after timeoutMs): waits for an event, not for a time. */
export async function waitForLog(
  logs: Record<string, unknown>[],
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 5000,
): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const line = logs.find(match);
    if (line) return line;
    if (Date.now() > until) throw new Error("expected log line did not appear");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves once n log lines match (or fails after timeoutMs). */
export async function waitForLogs(
  logs: Record<string, unknown>[],
  match: (line: Record<string, unknown>) => boolean,
  n: number,
  timeoutMs = 5000,
): Promise<Record<string, unknown>[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const lines = logs.filter(match);
    if (lines.length >= n) return lines;
    if (Date.now() > until) throw new Error(`expected ${n} log lines, saw ${lines.length}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

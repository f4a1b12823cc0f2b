import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "../helpers.ts";

/** Credentials shaped like Slack's (config checks their form and length). */
export const SECRET = "8f742231b10e8888abcd99eeefff85a5";
export const BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";
export const APP_TOKEN = "xapp-1-A0LOTSE01-4312895619-3f4b1c2d8e9a0b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a";

const FIXTURES = path.join(ROOT, "test/fixtures/slack");

export const sign = (body: string | Buffer, ts: number, secret = SECRET) =>
  `v0=${createHmac("sha256", secret).update(`v0:${ts}:`).update(body).digest("hex")}`;

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

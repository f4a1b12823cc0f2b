import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * One Web API call: its arguments (JSON-valued ones such as blocks parsed), the body as sent (`body`), and
 * performance.now() when it was fully received (`at`).
 */
export type ApiCall = { method: string; args: Record<string, unknown>; body: string; at: number };

/** A chat.postMessage as the latency bench reads it: when it arrived, and its form fields as sent. */
export type Post = { at: number; args: Record<string, string> };

/**
 * Slack's Web API (and response_url) on loopback: records calls and answers like Slack. `rateLimit` makes the next
 * chat.postMessage calls answer 429 with a Retry-After; `beforeReply` holds or slows Slack's answer to a call that was
 * already recorded (as Slack has taken a message once it received it, whenever its reply arrives).
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  rateLimit: { times: number; retryAfter: number } | undefined;
  beforeReply: ((method: string) => Promise<void> | undefined) | undefined;
  /** Slack's error for a call of this method to this channel, as {"ok":false,"error":…} (e.g. "is_archived"). */
  readonly failures = new Map<string, string>();
  private server: Server | undefined;
  private ts = 1764070000;
  /** Waiting for a call (postTo): each is asked for every recorded call and says whether it is done. */
  private listeners: ((call: ApiCall) => boolean)[] = [];

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("fake Slack API not started");
    return `http://127.0.0.1:${address.port}/`;
  }

  /** The base for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = "";
      // Decoded as a stream: a character split across two chunks stays whole.
      req.setEncoding("utf8");
      req.on("data", (d: string) => {
        raw += d;
      });
      req.on("end", () => {
        const at = performance.now();
        const path = req.url ?? "";
        const body = parseBody(raw, req.headers["content-type"] ?? "");
        if (path.startsWith("/respond/")) {
          this.responses.push({ path, body });
          res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
          return;
        }
        const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
        if (method === "chat.postMessage" && this.rateLimit && this.rateLimit.times > 0) {
          this.rateLimit.times--;
          res.writeHead(429, {
            "retry-after": String(this.rateLimit.retryAfter),
            "content-type": "application/json",
          });
          res.end('{"ok":false,"error":"ratelimited"}');
          return;
        }
        const call = { method, args: body, body: raw, at };
        this.calls.push(call);
        if (this.listeners.length > 0) this.listeners = this.listeners.filter((done) => !done(call));
        const failure = this.failures.get(`${method} ${String(body.channel ?? "")}`);
        if (failure) {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error: failure }));
          return;
        }
        const reply = JSON.stringify(this.reply(method, body));
        void Promise.resolve(this.beforeReply?.(method)).then(() => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(reply);
        });
      });
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
  }

  private reply(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://musterstadt.slack.com/",
          team: "Musterstadt",
          user: "lotse",
          team_id: "T0MUSTER1",
          user_id: "U0LOTSE01",
          bot_id: "B0LOTSE01",
        };
      case "chat.postMessage":
        return { ok: true, channel: args.channel, ts: `${++this.ts}.000100`, message: { text: args.text } };
      default:
        return { ok: true };
    }
  }

  posts(): ApiCall[] {
    return this.calls.filter((c) => c.method === "chat.postMessage");
  }

  /**
   * Resolves with the first chat.postMessage into thread `threadTs` (recorded already or still to come); rejects after
   * timeoutMs. The latency bench measures from its events to these.
   */
  postTo(threadTs: string, timeoutMs = 15_000): Promise<Post> {
    const isIt = (c: ApiCall) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs;
    const done = this.calls.find(isIt);
    if (done) return Promise.resolve({ at: done.at, args: formFields(done.body) });
    return new Promise<Post>((resolve, reject) => {
      const listener = (c: ApiCall) => {
        if (!isIt(c)) return false;
        clearTimeout(timer);
        resolve({ at: c.at, args: formFields(c.body) });
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`no chat.postMessage into thread ${threadTs} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.push(listener);
    });
  }

  /** Resolves when a call of this method has arrived n times (or after timeoutMs). */
  async waitFor(method: string, n = 1, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.calls.filter((c) => c.method === method).length < n && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10));
  }

  async waitForResponses(n = 1, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.responses.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.rateLimit = undefined;
    this.beforeReply = undefined;
    this.failures.clear();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** The same as stop() (the bench's name). */
  close(): Promise<void> {
    return this.stop();
  }
}

/** A started fake Web API (for the latency bench). */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const api = new FakeSlackApi();
  await api.start();
  return api;
}

/** The form fields as sent, unparsed (the bench reads blocks as the JSON text Slack received). */
function formFields(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}

/** The Web API client sends form-encoded arguments (objects as JSON strings); response_url gets JSON. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = k === "blocks" || k === "view" || k === "prompts" ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

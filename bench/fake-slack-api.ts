import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type Post = { at: number; args: Record<string, string> };

export interface FakeSlackApi {
  /** The base for SLACK_API_URL, e.g. http://127.0.0.1:40123/api/ */
  readonly apiUrl: string;
  /**
   * Resolves with the chat.postMessage into thread `threadTs` once it arrived; `at` is performance.now() when its body
   * was fully received. Rejects after timeoutMs.
   */
  postTo(threadTs: string, timeoutMs?: number): Promise<Post>;
  /** How often each Web API method was called. */
  readonly calls: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

const BOT = { team_id: "T0MUSTER1", user_id: "U0LOTSE01", bot_id: "B0LOTSE01" };

/**
 * Slack's Web API on 127.0.0.1 for the Slack latency bench: auth.test names the bot, chat.postMessage answers with a
 * new ts and is recorded by thread_ts, every other method answers {ok: true}.
 */
export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const arrived = new Map<string, Post>();
  const waiting = new Map<string, (p: Post) => void>();
  const calls = new Map<string, number>();
  let ts = 1764070000;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const at = performance.now();
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
      calls.set(method, (calls.get(method) ?? 0) + 1);
      // The Web API client sends form-encoded arguments.
      const args = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      let reply: Record<string, unknown> = { ok: true };
      if (method === "auth.test")
        reply = {
          ok: true,
          url: "https://musterstadt.slack.com/",
          team: "Musterstadt",
          user: "lotse",
          ...BOT,
        };
      else if (method === "chat.postMessage")
        reply = { ok: true, channel: args.channel, ts: `${++ts}.000100`, message: { text: args.text } };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
      if (method !== "chat.postMessage" || !args.thread_ts) return;
      const post = { at, args };
      const resolve = waiting.get(args.thread_ts);
      if (resolve) {
        waiting.delete(args.thread_ts);
        resolve(post);
      } else arrived.set(args.thread_ts, post);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    postTo(threadTs, timeoutMs = 15_000) {
      const done = arrived.get(threadTs);
      if (done) {
        arrived.delete(threadTs);
        return Promise.resolve(done);
      }
      return new Promise<Post>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(threadTs);
          reject(new Error(`no chat.postMessage into thread ${threadTs} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(threadTs, (p) => {
          clearTimeout(timer);
          resolve(p);
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

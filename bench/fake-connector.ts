import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type Reply = { at: number; body: Record<string, unknown> };

export interface FakeConnector {
  /** The service URL to put into activities, e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  /**
   * Resolves with the reply to the activity `activityId` once it arrived: a POST of a message (not a typing
   * indicator) to /v3/conversations/{conversation}/activities/{activityId}; `at` is performance.now() when its
   * body was fully received. Rejects after timeoutMs.
   */
  replyTo(activityId: string, timeoutMs?: number): Promise<Reply>;
  close(): Promise<void>;
}

const REPLY_PATH = /^\/v3\/conversations\/[^/]+\/activities\/([^/?]+)$/;

/** A Bot Connector service on 127.0.0.1 for the Teams latency bench: answers every post, records message replies. */
export async function startFakeConnector(): Promise<FakeConnector> {
  const arrived = new Map<string, Reply>();
  const waiting = new Map<string, (r: Reply) => void>();
  let counter = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const at = performance.now();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `reply-${++counter}` }));
      const m = REPLY_PATH.exec(req.url ?? "");
      if (req.method !== "POST" || !m) return;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return;
      }
      if (body.type !== "message") return;
      const id = typeof body.replyToId === "string" ? body.replyToId : decodeURIComponent(m[1] as string);
      const reply = { at, body };
      const resolve = waiting.get(id);
      if (resolve) {
        waiting.delete(id);
        resolve(reply);
      } else arrived.set(id, reply);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    replyTo(activityId, timeoutMs = 10_000) {
      const done = arrived.get(activityId);
      if (done) {
        arrived.delete(activityId);
        return Promise.resolve(done);
      }
      return new Promise<Reply>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(activityId);
          reject(new Error(`no reply to activity ${activityId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(activityId, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Recorded = {
  /** performance.now() when the body was fully received. */
  at: number;
  method: string;
  path: string;
  body: Record<string, unknown>;
  authorization?: string;
};

/** A reply to an activity: /v3/conversations/{conversation}/activities/{activityId} (path decoded). */
const REPLY_PATH = /^\/v3\/conversations\/.+\/activities\/([^/?]+)$/;

/**
 * A Bot Connector service on loopback: records what Lotse posts (replies, typing, proactive messages, new
 * conversations) and answers like the real service. `failFor` makes it reject posts to matching paths.
 */
export class FakeConnector {
  readonly calls: Recorded[] = [];
  /** Rejects posts to matching paths with this status and Bot Connector error code (default BadArgument). */
  failFor: { pathIncludes: string; status: number; code?: string } | undefined;
  private server: Server | undefined;
  private waiters: { n: number; resolve: () => void }[] = [];
  /** Answers held back by hold(), sent when it is released. */
  private held: (() => void)[] | undefined;
  private counter = 0;
  /** Waiting for a reply (replyTo): each is asked for every recorded call and says whether it is done. */
  private listeners: ((call: Recorded) => boolean)[] = [];

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("fake connector not started");
    return `http://127.0.0.1:${address.port}/`;
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
        const call: Recorded = {
          at,
          method: req.method ?? "",
          path: decodeURIComponent(req.url ?? ""),
          body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        };
        this.calls.push(call);
        const due = this.waiters.filter((w) => this.calls.length >= w.n);
        this.waiters = this.waiters.filter((w) => this.calls.length < w.n);
        for (const w of due) w.resolve();
        this.listeners = this.listeners.filter((done) => !done(call));
        if (this.held) this.held.push(() => this.answer(call, res));
        else this.answer(call, res);
      });
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
  }

  /**
   * Records posts but answers none until the returned function is called: a turn is then in flight (Lotse waits for
   * its typing indicator to be accepted before it sends the answer).
   */
  hold(): () => void {
    this.held = [];
    return () => {
      const held = this.held ?? [];
      this.held = undefined;
      for (const answer of held) answer();
    };
  }

  private answer(call: Recorded, res: ServerResponse): void {
    if (this.failFor && call.path.includes(this.failFor.pathIncludes)) {
      res.writeHead(this.failFor.status, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { code: this.failFor.code ?? "BadArgument", message: "rejected by fake connector" },
        }),
      );
      return;
    }
    this.counter++;
    res.writeHead(200, { "content-type": "application/json" });
    if (call.path === "/v3/conversations")
      res.end(
        JSON.stringify({
          id: `19:new@thread.tacv2;messageid=${this.counter}`,
          activityId: String(this.counter),
        }),
      );
    else res.end(JSON.stringify({ id: `reply-${this.counter}` }));
  }

  /** Resolves once at least n calls arrived (or after timeoutMs, so a missing reply fails the assertion, not the run). */
  async waitFor(n: number, timeoutMs = 5000): Promise<void> {
    if (this.calls.length >= n) return;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push({ n, resolve })),
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs)),
    ]);
  }

  /**
   * Resolves with the reply to the activity `activityId` (recorded already or still to come): a POST of a message (not
   * a typing indicator) to /v3/conversations/{conversation}/activities/{activityId}. Rejects after timeoutMs. The
   * latency bench measures from its activities to these.
   */
  replyTo(activityId: string, timeoutMs = 10_000): Promise<{ at: number; body: Record<string, unknown> }> {
    const isIt = (c: Recorded) => {
      const m = REPLY_PATH.exec(c.path);
      if (c.method !== "POST" || !m || c.body.type !== "message") return false;
      return (typeof c.body.replyToId === "string" ? c.body.replyToId : m[1]) === activityId;
    };
    const done = this.calls.find(isIt);
    if (done) return Promise.resolve({ at: done.at, body: done.body });
    return new Promise((resolve, reject) => {
      const listener = (c: Recorded) => {
        if (!isIt(c)) return false;
        clearTimeout(timer);
        resolve({ at: c.at, body: c.body });
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`no reply to activity ${activityId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.push(listener);
    });
  }

  /** Posted activities that are messages (typing indicators left out). */
  messages(): Recorded[] {
    return this.calls.filter((c) => c.body.type === "message");
  }

  reset(): void {
    this.calls.length = 0;
    this.failFor = undefined;
    // Held answers are sent, so no request of a finished test hangs.
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
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

/** A started fake Bot Connector (for the latency bench). */
export async function startFakeConnector(): Promise<FakeConnector> {
  const connector = new FakeConnector();
  await connector.start();
  return connector;
}

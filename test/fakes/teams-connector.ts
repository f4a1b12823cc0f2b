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
  /** The status the fake answered with (set when it answers; absent while held). */
  status?: number;
};

/** Teams' limits on a bot's posts (7 per second per conversation, 50 per second per app and tenant). */
export type RateLimit = { perConversationPerSecond: number; perTenantPerSecond: number };

export type FakeConnectorOptions = {
  /** Answers posts beyond these limits with 429 and Retry-After (whole seconds until the window has room). */
  rateLimit?: RateLimit;
  /** Milliseconds for the rate-limit windows; default Date.now. */
  now?: () => number;
};

/** The conversation an activity is posted to: /v3/conversations/{conversation}/activities[/…] (path decoded). */
const ACTIVITIES_PATH = /^\/v3\/conversations\/(.+?)\/activities(?:\/[^/?]*)?$/;
const WINDOW_MS = 1000;

/** A member lookup (TeamsInfo.getMember): GET /v3/conversations/{conversation}/members/{memberId} (path decoded). */
const MEMBER_PATH = /^\/v3\/conversations\/(.+?)\/members\/([^/?]+)$/;

/** A member of the tenant as the Bot Connector describes them (a TeamsChannelAccount). */
export interface FakeMember {
  /** The Teams user id (29:…). */
  id: string;
  aadObjectId: string;
  name: string;
  givenName?: string;
  surname?: string;
  /** Absent for a guest without a mailbox. */
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: "user" | "guest";
}

/** A reply to an activity: /v3/conversations/{conversation}/activities/{activityId} (path decoded). */
const REPLY_PATH = /^\/v3\/conversations\/.+\/activities\/([^/?]+)$/;

/**
 * A Bot Connector service on loopback: records what Lotse posts (replies, typing, proactive messages, new
 * conversations) and answers like the real service: POST /v3/conversations creates a channel thread (isGroup) or
 * the personal chat with its one member (the same chat for the same member, as Teams does; 403 for a member in
 * `notInstalled`). `failFor` makes it reject posts to matching paths; `rateLimit` answers posts beyond Teams' limits
 * with 429 and Retry-After, counted per conversation and per Entra tenant in one-second windows of the injected clock.
 * GET /v3/conversations/{id}/members/{memberId} answers a member of `members` (found by Teams or Entra object id) as
 * Teams does, or 404 MemberNotFoundInConversation.
 */
export class FakeConnector {
  readonly calls: Recorded[] = [];
  /** Rejects posts to matching paths with this status and Bot Connector error code (default BadArgument). */
  failFor: { pathIncludes: string; status: number; code?: string } | undefined;
  /** Members (Teams or Entra object ids) for whom the app is not installed: creating their personal chat is refused. */
  readonly notInstalled = new Set<string>();
  /** Members the lookup knows, by Teams id (29:…); found by Entra object id too. */
  readonly members = new Map<string, FakeMember>();
  /** Personal chats created, by member id. */
  readonly personalChats = new Map<string, string>();
  rateLimit: RateLimit | undefined;
  /**
   * Member lookups are recorded but never answered, as by a Bot Connector that hangs (Lotse must bound its wait);
   * reset() answers them 404 and stop() closes them, so no request outlives its test.
   */
  hangLookups = false;
  /** Responses of hanging member lookups, still open. */
  private hanging: ServerResponse[] = [];
  private readonly now: () => number;
  /** Accepted posts per window key ("c:<conversation>", "t:<tenant>"), as times of the injected clock. */
  private readonly windows = new Map<string, number[]>();
  /** Entra tenant of each conversation the fake has seen created or posted to with one. */
  private readonly tenants = new Map<string, string>();
  private server: Server | undefined;
  private waiters: { n: number; resolve: () => void }[] = [];
  /** Answers held back by hold(), sent when it is released. */
  private held: (() => void)[] | undefined;
  private counter = 0;
  /** Waiting for a reply (replyTo): each is asked for every recorded call and says whether it is done. */
  private listeners: ((call: Recorded) => boolean)[] = [];

  constructor(options: FakeConnectorOptions = {}) {
    this.rateLimit = options.rateLimit;
    this.now = options.now ?? Date.now;
  }

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
        if (this.hangLookups && call.method === "GET" && MEMBER_PATH.test(call.path)) {
          this.hanging.push(res);
          return;
        }
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
    const { status, body, headers } = this.response(call);
    call.status = status;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  /** What the real service would answer to a call (after failFor, the member checks and the rate limits). */
  private response(call: Recorded): { status: number; body: unknown; headers?: Record<string, string> } {
    const error = (status: number, code: string, headers?: Record<string, string>) => ({
      status,
      body: { error: { code, message: "rejected by fake connector" } },
      ...(headers ? { headers } : {}),
    });
    if (this.failFor && call.path.includes(this.failFor.pathIncludes))
      return error(this.failFor.status, this.failFor.code ?? "BadArgument");
    const lookup = call.method === "GET" ? MEMBER_PATH.exec(call.path) : null;
    if (lookup) {
      const wanted = lookup[2] as string;
      const member =
        this.members.get(wanted) ?? [...this.members.values()].find((m) => m.aadObjectId === wanted);
      if (!member)
        return {
          status: 404,
          body: {
            error: { code: "MemberNotFoundInConversation", message: "Member not found in conversation." },
          },
        };
      return {
        status: 200,
        body: { userRole: "user", tenantId: this.tenants.get(lookup[1] as string), ...member },
      };
    }
    const creates = call.method === "POST" && call.path === "/v3/conversations";
    const conversation = creates ? undefined : ACTIVITIES_PATH.exec(call.path)?.[1];
    const tenant = this.tenantOf(call.body, conversation);
    const personal = creates && call.body.isGroup === false;
    const member = String((call.body.members as { id?: unknown }[] | undefined)?.[0]?.id ?? "");
    if (personal && !member) return error(400, "BadArgument");
    if (personal && this.notInstalled.has(member)) return error(403, "Forbidden");
    const wait = this.rateLimited(conversation, tenant);
    if (wait !== undefined) return error(429, "TooManyRequests", { "retry-after": String(wait) });
    this.counter++;
    if (!creates) return { status: 200, body: { id: `reply-${this.counter}` } };
    const id = personal
      ? (this.personalChats.get(member) ?? `a:personal-${this.personalChats.size + 1}`)
      : `19:new@thread.tacv2;messageid=${this.counter}`;
    if (personal) this.personalChats.set(member, id);
    if (tenant) this.tenants.set(id, tenant);
    return personal
      ? { status: 201, body: { id } }
      : { status: 200, body: { id, activityId: String(this.counter) } };
  }

  /** The Entra tenant a post counts against: named in the body, else learnt for its conversation. */
  private tenantOf(body: Record<string, unknown>, conversation: string | undefined): string | undefined {
    const named =
      (body.conversation as { tenantId?: unknown } | undefined)?.tenantId ??
      (body.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id ??
      body.tenantId;
    if (typeof named === "string" && named) {
      if (conversation) this.tenants.set(conversation, named);
      return named;
    }
    return conversation ? this.tenants.get(conversation) : undefined;
  }

  /**
   * Whole seconds to wait when the post would exceed a limit (nothing is counted then), else undefined (the post is
   * counted in its conversation's and tenant's windows).
   */
  private rateLimited(conversation: string | undefined, tenant: string | undefined): number | undefined {
    const limit = this.rateLimit;
    if (!limit) return undefined;
    const now = this.now();
    const keys: [string, number][] = [];
    if (conversation) keys.push([`c:${conversation}`, limit.perConversationPerSecond]);
    keys.push([`t:${tenant ?? "unknown"}`, limit.perTenantPerSecond]);
    let waitMs = 0;
    for (const [key, max] of keys) {
      const recent = (this.windows.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
      this.windows.set(key, recent);
      if (recent.length >= max) waitMs = Math.max(waitMs, (recent[0] as number) + WINDOW_MS - now);
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    for (const [key] of keys) this.windows.get(key)?.push(now);
    return undefined;
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

  /** The member lookups Lotse made (GET …/members/{id}). */
  lookups(): Recorded[] {
    return this.calls.filter((c) => c.method === "GET" && MEMBER_PATH.test(c.path));
  }

  /** Posted activities that are messages (typing indicators left out). */
  messages(): Recorded[] {
    return this.calls.filter((c) => c.body.type === "message");
  }

  /** Messages the fake accepted (2xx), into one conversation or all, in the order they arrived. */
  delivered(conversationId?: string): Recorded[] {
    return this.messages().filter(
      (c) =>
        c.status !== undefined &&
        c.status < 300 &&
        (conversationId === undefined || ACTIVITIES_PATH.exec(c.path)?.[1] === conversationId),
    );
  }

  reset(): void {
    this.calls.length = 0;
    this.failFor = undefined;
    this.notInstalled.clear();
    this.members.clear();
    this.personalChats.clear();
    this.windows.clear();
    this.tenants.clear();
    this.hangLookups = false;
    for (const res of this.hanging.splice(0))
      if (!res.writableEnded) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "MemberNotFoundInConversation", message: "released" } }));
      }
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

/** A started fake Bot Connector (for the latency and delivery benches). */
export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const connector = new FakeConnector(options);
  await connector.start();
  return connector;
}

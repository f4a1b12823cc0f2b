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
 * How the fake refuses chat.postMessage with HTTP 429 and a Retry-After header (seconds), as Slack does:
 * - `times`: the next `times` calls, each asked to wait `retryAfter` seconds;
 * - `perChannelPerSecond`: Slack's "about one message per second per channel", as a sliding window of one second per
 *   channel (a DM counted under its D… id, however it was addressed), on the clock `now` (ms; Date.now unless a test
 *   injects its fake clock). Retry-After is the whole seconds until the window has room again, at least 1.
 */
export type FakeRateLimit =
  | { times: number; retryAfter: number }
  | { perChannelPerSecond: number; now?: () => number };

/** A workspace member as users.info and team_join describe them (email only with users:read.email). */
export type FakeSlackUser = {
  id: string;
  name: string;
  real_name: string;
  is_bot?: boolean;
  email?: string;
};

/** A member as Slack's user object (users.info's `user`, team_join's `event.user`). */
export function slackUserObject(u: FakeSlackUser, team = "T0MUSTER1"): Record<string, unknown> {
  const [first = "", ...rest] = u.real_name.split(" ");
  return {
    id: u.id,
    team_id: team,
    name: u.name,
    deleted: false,
    color: "9f69e7",
    real_name: u.real_name,
    tz: "Europe/Berlin",
    tz_label: "Central European Time",
    tz_offset: 3600,
    profile: {
      title: u.is_bot ? "" : "Sachbearbeitung Umweltamt",
      phone: "",
      real_name: u.real_name,
      real_name_normalized: u.real_name,
      display_name: u.is_bot ? u.real_name : first,
      display_name_normalized: u.is_bot ? u.real_name : first,
      first_name: first,
      last_name: rest.join(" "),
      ...(u.email ? { email: u.email } : {}),
      image_72: "https://avatars.slack-edge.com/2026-11-02/8012345678_72.png",
      team,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.is_bot === true,
    is_app_user: false,
    updated: 1764070000,
    is_email_confirmed: !u.is_bot,
    who_can_share_contact_card: "EVERYONE",
  };
}

/** A user group as usergroups.list lists it (with include_users). */
export type FakeUsergroup = { id: string; handle: string; users: string[] };

/** A chat.postMessage the fake refused with 429: where to, when on the rate limit's clock, how long it asked to wait. */
export type Refusal = { channel: string; at: number; retryAfter: number };

/**
 * Slack's Web API (and response_url) on loopback: records calls and answers like Slack. `rateLimit` refuses
 * chat.postMessage calls with 429 (see FakeRateLimit; refused calls are not in `calls` but in `refusals`);
 * `beforeReply` holds or slows Slack's answer to a call that was already recorded (as Slack has taken a message once
 * it received it, whenever its reply arrives). A post to a user id (U…) lands in the app's DM with that user, whose
 * id is dmOf(user), and conversations.open answers the same; usergroups.list answers from `usergroups` by team;
 * users.info answers from `users` (user_not_found for others).
 * views.open and views.update are recorded with their view parsed and answered with a view id.
 */
export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  rateLimit: FakeRateLimit | undefined;
  /** Every chat.postMessage refused with 429, in order. */
  readonly refusals: Refusal[] = [];
  beforeReply: ((method: string) => Promise<void> | undefined) | undefined;
  /**
   * Slack's error for a call, as {"ok":false,"error":…} (e.g. "is_archived"): keyed by "method target", the target
   * being the call's channel, else its team_id, else its users ("chat.postMessage C0ARCHIV01", "usergroups.list
   * T0MUSTER1", "users.info U0ERIKA01"), or by the method alone for every call of it ("views.open").
   */
  readonly failures = new Map<string, string>();
  /** The user groups usergroups.list answers with, by team id (a call without team_id gets T0MUSTER1's). */
  readonly usergroups = new Map<string, FakeUsergroup[]>();
  /** The members users.info knows, by user id. */
  readonly users = new Map<string, FakeSlackUser>();
  /** Accepted chat.postMessage times per channel, for perChannelPerSecond. */
  private readonly window = new Map<string, number[]>();
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
        const retryAfter =
          method === "chat.postMessage" ? this.refuse(String(body.channel ?? "")) : undefined;
        if (retryAfter !== undefined) {
          res.writeHead(429, { "retry-after": String(retryAfter), "content-type": "application/json" });
          res.end('{"ok":false,"error":"ratelimited"}');
          return;
        }
        const call = { method, args: body, body: raw, at };
        this.calls.push(call);
        if (this.listeners.length > 0) this.listeners = this.listeners.filter((done) => !done(call));
        const target = String(body.channel ?? body.team_id ?? body.users ?? body.user ?? "");
        const failure = this.failures.get(`${method} ${target}`) ?? this.failures.get(method);
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

  /** Whether this chat.postMessage is refused under `rateLimit`: the Retry-After in seconds, else undefined. */
  private refuse(addressed: string): number | undefined {
    const limit = this.rateLimit;
    if (!limit) return undefined;
    const channel = dmOf(addressed);
    if ("times" in limit) {
      if (limit.times <= 0) return undefined;
      limit.times--;
      this.refusals.push({ channel, at: Date.now(), retryAfter: limit.retryAfter });
      return limit.retryAfter;
    }
    const now = (limit.now ?? Date.now)();
    const recent = (this.window.get(channel) ?? []).filter((t) => t > now - 1000);
    if (recent.length < limit.perChannelPerSecond) {
      this.window.set(channel, [...recent, now]);
      return undefined;
    }
    this.window.set(channel, recent);
    const retryAfter = Math.max(1, Math.ceil(((recent[0] ?? now) + 1000 - now) / 1000));
    this.refusals.push({ channel, at: now, retryAfter });
    return retryAfter;
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
        return {
          ok: true,
          channel: dmOf(String(args.channel ?? "")),
          ts: `${++this.ts}.000100`,
          message: { text: args.text },
        };
      case "chat.postEphemeral":
        return { ok: true, message_ts: `${++this.ts}.000200` };
      case "conversations.open":
        return { ok: true, channel: { id: dmOf(String(args.users ?? "").split(",")[0] ?? "") } };
      case "users.info": {
        const user = this.users.get(String(args.user ?? ""));
        return user ? { ok: true, user: slackUserObject(user) } : { ok: false, error: "user_not_found" };
      }
      case "views.open":
      case "views.update":
        return { ok: true, view: { id: String(args.view_id ?? `V0FAKE${++this.ts}`) } };
      case "usergroups.list": {
        const groups = this.usergroups.get(String(args.team_id ?? "T0MUSTER1")) ?? [];
        const withUsers = args.include_users === "true" || args.include_users === true;
        return {
          ok: true,
          usergroups: groups.map((g) => ({
            id: g.id,
            team_id: args.team_id ?? "T0MUSTER1",
            is_usergroup: true,
            name: g.handle,
            handle: g.handle,
            date_delete: 0,
            user_count: g.users.length,
            ...(withUsers ? { users: g.users } : {}),
          })),
        };
      }
      default:
        return { ok: true };
    }
  }

  posts(): ApiCall[] {
    return this.calls.filter((c) => c.method === "chat.postMessage");
  }

  /** The recorded calls of one method (views.open, usergroups.list, …). */
  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
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
    this.refusals.length = 0;
    this.window.clear();
    this.beforeReply = undefined;
    this.failures.clear();
    this.usergroups.clear();
    this.users.clear();
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

/**
 * The app's DM with a user as the fake names it: "U0ERIKA01" → "D0ERIKA01" (W… users likewise); any other id is a
 * channel already and stays as it is.
 */
export function dmOf(channelOrUser: string): string {
  return /^[UW][A-Z0-9]+$/.test(channelOrUser) ? `D${channelOrUser.slice(1)}` : channelOrUser;
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

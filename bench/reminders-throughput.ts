/**
 * Child process of `npm run bench`: reminder throughput. 10,000 one-off channel reminders due at the same instant (the
 * start of one minute) across 1,000 channels — Slack channels of one workspace and Teams channel threads spread over
 * several Entra tenants, each mapped to its own Lotse tenant — delivered by two scheduler instances (two runtimes,
 * each with its own connection pool to the same fresh schema on the PostgreSQL server, as two replicas run) through
 * the real notifiers: SlackNotifier to a fake Web API, TeamsNotifier through the Agents SDK to a fake Bot Connector,
 * both on loopback with the platforms' rate limits simulated (429 with Retry-After). The schedulers run their real
 * start() loop on the real clock. Before the due minute both are started with nothing due (the 10,000 jobs planned for
 * later): the queries they send in that window are the idle cost.
 *
 * Reads a JSON request on argv[2], prints the figures (RemindersBenchResult) as JSON on stdout; progress on stderr.
 */
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { createSlackAdapter } from "../adapters/slack/slack-app.ts";
import { createTeamsAdapter } from "../adapters/teams/teams-app.ts";
import { type Config, loadConfig } from "../src/config.ts";
import type { Notifier } from "../src/core/notifier.ts";
import type { Database, Queryable } from "../src/db/database.ts";
import { createLogger } from "../src/log.ts";
import type { NewReminder } from "../src/reminders/reminder-store.ts";
import { toBerlin } from "../src/reminders/schedule/berlin-time.ts";
import { describeRrule } from "../src/reminders/schedule/german-format.ts";
import { ruleText } from "../src/reminders/schedule/rule-text.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";
import { FakeSlackApi } from "../test/fakes/slack-api.ts";
import { BOT_TOKEN, SECRET } from "../test/fakes/slack-events.ts";
import { CREDENTIALS, TENANT } from "../test/fakes/teams-activities.ts";
import { FakeConnector, type Recorded } from "../test/fakes/teams-connector.ts";
import { freshSchemaUrl, ROOT } from "../test/helpers.ts";

export type RemindersBenchRequest = {
  slackChannels: number;
  teamsConversations: number;
  /** Entra tenants the Teams conversations are spread over (round robin), each mapped to its own Lotse tenant. */
  teamsTenants: number;
  perChannel: number;
  /** Seconds both schedulers run with nothing due before the due minute (the idle measurement). */
  idleSeconds: number;
  /** Give up (a stall) this many seconds after the due minute. */
  timeoutSeconds: number;
};

export type RemindersBenchResult = {
  reminders: number;
  slackChannels: number;
  teamsConversations: number;
  teamsSpread: { tenant: string; entraTenant: string; conversations: number; accepted: number }[];
  createSeconds: number;
  /** Seconds from the due instant to the last accepted message (all, Slack only, Teams only). */
  lastDeliveryS: number;
  slackLastS: number;
  teamsLastS: number;
  /** What the simulated limits allow at best: Slack perChannel−1 s, Teams messages per tenant / 50 s. */
  floorS: number;
  accepted: { slack: number; teams: number };
  duplicates: number;
  misses: number;
  refusals: { slack: number; teams: number };
  /** Messages each instance had accepted (from its notifiers' outcomes). */
  deliveredBy: number[];
  /** Queries per instance during the idle window, and scaled to a minute. */
  idle: { windowS: number; queries: number[]; perMinute: number[] };
  /** Queries per instance from the due instant to the end (claims, reads, finishing transactions). */
  deliveryQueries: number[];
  jobs: Record<string, number>;
  warnings: Record<string, number>;
  stalled: boolean;
};

const SLACK_TEAM = "T0MUSTER1";
/** Lotse tenants and the Entra tenants mapped to them; the first is the app's own (TEAMS_TENANT_ID). */
const TEAMS_TENANTS: { tenant: string; entra: string }[] = [
  { tenant: "musterstadt", entra: TENANT },
  { tenant: "neustadt", entra: "3f8a1c2e-6b4d-4e9f-a1c7-5d2b8e6f0a93" },
  { tenant: "bachingen", entra: "a71e4d0b-2c9f-4b38-8e65-1f0d3c7a9b24" },
  { tenant: "waldau", entra: "c2d95f7a-8e13-4a6b-b04c-6e7f1a2d3b85" },
  { tenant: "seeburg", entra: "e4b60a3d-1f72-4c8e-9d5a-0b3c6f8e2a17" },
];
const TOKEN = /BM\d{5}/g;

const req = JSON.parse(process.argv[2] ?? "{}") as RemindersBenchRequest;
const progress = (line: string) => process.stderr.write(`  ${line}\n`);

/** Warnings and errors the runtimes logged, counted by event or code (info and below are dropped). */
function countingLogger(warnings: Record<string, number>) {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n")) {
        if (!line) continue;
        const entry = JSON.parse(line) as { level: number; event?: string; code?: string; msg?: string };
        if (entry.level < 40) continue;
        const key = entry.event ?? entry.code ?? entry.msg ?? "?";
        warnings[key] = (warnings[key] ?? 0) + 1;
      }
      cb();
    },
  });
  return createLogger("info", sink);
}

/** Counts every statement the runtime's database runs (inside transactions too); `raw` queries uncounted. */
function countQueries(db: Database): { count: { n: number }; raw: Queryable } {
  const count = { n: 0 };
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = (sql, params) => {
    count.n++;
    return query(sql, params);
  };
  db.transaction = (fn) =>
    transaction((tx) =>
      fn({
        query: (sql, params) => {
          count.n++;
          return tx.query(sql, params);
        },
      }),
    );
  return { count, raw: { query } };
}

/** Wraps a registered notifier so that this instance's accepted messages are counted. */
function countDeliveries(rt: Runtime, platform: Notifier["platform"], counter: { n: number }): void {
  const inner = rt.notifiers.get(platform);
  if (!inner) throw new Error(`no ${platform} notifier registered`);
  rt.notifiers.set(platform, {
    platform,
    send: async (target, reply) => {
      const outcome = await inner.send(target, reply);
      if (outcome.ok) counter.n++;
      return outcome;
    },
  });
}

const slackChannel = (n: number) => `C0B${String(n).padStart(8, "0")}`;
const teamsConversation = (n: number) =>
  `19:${createHash("sha256").update(`bench-${n}`).digest("hex").slice(0, 32)}@thread.tacv2;messageid=${1764064790000 + n}`;

/** The reminders' tokens in one accepted message (the text appears in several fields of a post). */
const tokensOf = (body: unknown): Set<string> => new Set(JSON.stringify(body).match(TOKEN) ?? []);

async function main(): Promise<RemindersBenchResult> {
  const tenants = TEAMS_TENANTS.slice(0, req.teamsTenants);
  if (tenants.length < req.teamsTenants) throw new Error(`at most ${TEAMS_TENANTS.length} Teams tenants`);
  const schema = await freshSchemaUrl();
  const slackApi = new FakeSlackApi();
  slackApi.rateLimit = { perChannelPerSecond: 1 };
  const connector = new FakeConnector({ rateLimit: { perConversationPerSecond: 7, perTenantPerSecond: 50 } });
  await slackApi.start();
  await connector.start();
  const warnings: Record<string, number> = {};
  const log = countingLogger(warnings);
  const runtimes: Runtime[] = [];
  try {
    const config: Config = loadConfig(
      {
        LOTSE_DATA_DIR: ":memory:",
        DATABASE_URL: schema.url,
        LOTSE_AUTO_INGEST: "false",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slackApi.apiUrl,
        ...CREDENTIALS,
        // The fake connector is on loopback; with Bot credentials only hosts named here are posted to.
        TEAMS_SERVICE_HOSTS: "127.0.0.1",
        LOTSE_TENANT_MAP: [
          `slack:${SLACK_TEAM}=musterstadt`,
          ...tenants.map((t) => `teams:${t.entra}=${t.tenant}`),
        ].join(";"),
      },
      ROOT,
    );
    // One after the other: the first migrates the schema.
    for (let i = 0; i < 2; i++) runtimes.push(await createRuntime(config, log, { autoIngest: false }));
    const counted = runtimes.map((rt) => countQueries(rt.db));
    const delivered = runtimes.map(() => ({ n: 0 }));
    for (const [i, rt] of runtimes.entries()) {
      const slack = createSlackAdapter({ config, runtime: rt, log });
      await slack.start();
      createTeamsAdapter({ config, runtime: rt, log, accessToken: async () => "bench-access-token" });
      countDeliveries(rt, "slack", delivered[i] as { n: number });
      countDeliveries(rt, "teams", delivered[i] as { n: number });
    }
    const [a, b] = runtimes as [Runtime, Runtime];

    // Teams channel threads as the adapter stores them from an activity (conversation-reference.ts).
    for (let n = 0; n < req.teamsConversations; n++) {
      const t = tenants[n % tenants.length] as (typeof tenants)[number];
      const id = teamsConversation(n);
      await a.conversations.save({
        platform: "teams",
        conversationId: id,
        tenant: t.tenant,
        externalTenantId: t.entra,
        kind: "thread",
        reference: {
          serviceUrl: connector.url,
          channelId: "msteams",
          conversation: { id, conversationType: "channel", tenantId: t.entra, isGroup: true },
          agent: { id: `28:${CREDENTIALS.TEAMS_CLIENT_ID}` },
          user: { id: `29:1bench${n}`, aadObjectId: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" },
          activityId: String(1764064790000 + n),
          locale: "de-DE",
        },
      });
    }

    // The due instant: a minute's start far enough ahead for creating the reminders and the idle window.
    const channels = req.slackChannels + req.teamsConversations;
    const total = channels * req.perChannel;
    const dueMs = Math.ceil((Date.now() + 90_000 + req.idleSeconds * 1000) / 60_000) * 60_000;
    const due = new Date(dueMs);
    const rrule = ruleText(toBerlin(due).toPlainDateTime(), "FREQ=DAILY;COUNT=1");
    const reading = describeRrule(rrule);
    const reminderOf = (i: number): NewReminder => {
      const c = Math.floor(i / req.perChannel);
      const slack = c < req.slackChannels;
      const t = tenants[(c - req.slackChannels) % tenants.length] as (typeof tenants)[number];
      const target = slack ? slackChannel(c) : teamsConversation(c - req.slackChannels);
      return {
        tenant: slack ? "musterstadt" : t.tenant,
        audience: "channel",
        platform: slack ? "slack" : "teams",
        target,
        originConversation: target,
        text: `Zählerstände Rathaus und Bauhof ins Energiemonitoring eintragen (Nr. BM${String(i).padStart(5, "0")})`,
        linkUrl: "https://intranet.musterstadt.de/energie/monitoring",
        rrule,
        reading,
        creatorPseudonym: createHash("sha256").update(`creator-${c}`).digest("hex").slice(0, 16),
        creatorName: "Erika Mustermann",
        creatorUserId: slack ? "U0ERIKA01" : "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        source: "chat",
      };
    };
    const t0 = performance.now();
    let next = 0;
    // Created through both runtimes at once, as confirmations arrive at both replicas.
    const worker = async (rt: Runtime) => {
      for (let i = next++; i < total; i = next++) await rt.reminders.add(reminderOf(i), new Date());
    };
    await Promise.all(Array.from({ length: 32 }, (_, k) => worker(k % 2 === 0 ? a : b)));
    const createSeconds = (performance.now() - t0) / 1000;
    progress(`${total} reminders created in ${createSeconds.toFixed(1)} s, due ${due.toISOString()}`);

    // Idle: both schedulers running, nothing due until the due instant.
    const idleFrom = Math.max(Date.now(), dueMs - req.idleSeconds * 1000);
    await sleep(idleFrom - Date.now());
    for (const c of counted) c.count.n = 0;
    const idleStart = performance.now();
    for (const rt of runtimes) rt.scheduler.start();
    await sleep(Math.max(0, dueMs - Date.now()));
    const windowS = (performance.now() - idleStart) / 1000;
    const idleQueries = counted.map((c) => c.count.n);
    for (const c of counted) c.count.n = 0;
    progress(
      `idle ${windowS.toFixed(1)} s with nothing due: ${idleQueries.join(" and ")} queries; delivering…`,
    );

    // Delivery: until every job is settled (done, failed or skipped), or the timeout (a stall).
    const unsettled = async () =>
      Number(
        (
          await counted[0]?.raw.query<{ n: string }>(
            "SELECT count(*) AS n FROM jobs WHERE status IN ('pending', 'running')",
          )
        )?.rows[0]?.n ?? 0,
      );
    let stalled = false;
    let lastReport = Date.now();
    for (;;) {
      if ((await unsettled()) === 0) break;
      if (Date.now() - dueMs > req.timeoutSeconds * 1000) {
        stalled = true;
        break;
      }
      if (Date.now() - lastReport >= 5000) {
        lastReport = Date.now();
        progress(
          `  +${((Date.now() - dueMs) / 1000).toFixed(0)} s: ${slackApi.posts().length} Slack, ${teamsAccepted(connector).length} Teams accepted`,
        );
      }
      await sleep(250);
    }
    // A second delivery of an occurrence would arrive shortly after: give it the time.
    await sleep(2000);
    const deliveryQueries = counted.map((c) => c.count.n);
    const jobs: Record<string, number> = {};
    for (const row of (
      await (counted[0] as { raw: Queryable }).raw.query<{ status: string; n: string }>(
        "SELECT status || coalesce(':' || outcome, '') AS status, count(*) AS n FROM jobs GROUP BY 1",
      )
    ).rows)
      jobs[row.status] = Number(row.n);
    for (const rt of runtimes) await rt.scheduler.stop();

    // Accepted messages by token: duplicates and misses.
    const seen = new Map<string, number>();
    const teamsPerEntra = new Map<string, number>();
    let lastSlack = Number.NEGATIVE_INFINITY;
    let lastTeams = Number.NEGATIVE_INFINITY;
    const slackPosts = slackApi.posts();
    for (const p of slackPosts) {
      for (const tok of tokensOf(p.args)) seen.set(tok, (seen.get(tok) ?? 0) + 1);
      lastSlack = Math.max(lastSlack, performance.timeOrigin + p.at);
    }
    const teamsPosts = teamsAccepted(connector);
    for (const p of teamsPosts) {
      for (const tok of tokensOf(p.body)) seen.set(tok, (seen.get(tok) ?? 0) + 1);
      const entra = String(p.body.tenantId ?? "?");
      teamsPerEntra.set(entra, (teamsPerEntra.get(entra) ?? 0) + 1);
      lastTeams = Math.max(lastTeams, performance.timeOrigin + p.at);
    }
    let duplicates = 0;
    for (const n of seen.values()) duplicates += Math.max(0, n - 1);
    let misses = 0;
    for (let i = 0; i < total; i++) if (!seen.has(`BM${String(i).padStart(5, "0")}`)) misses++;
    const teamsPerTenant = Math.ceil((req.teamsConversations * req.perChannel) / tenants.length);
    return {
      reminders: total,
      slackChannels: req.slackChannels,
      teamsConversations: req.teamsConversations,
      teamsSpread: tenants.map((t, k) => ({
        tenant: t.tenant,
        entraTenant: t.entra,
        conversations: Math.ceil((req.teamsConversations - k) / tenants.length),
        accepted: teamsPerEntra.get(t.entra) ?? 0,
      })),
      createSeconds,
      lastDeliveryS: (Math.max(lastSlack, lastTeams) - dueMs) / 1000,
      slackLastS: (lastSlack - dueMs) / 1000,
      teamsLastS: (lastTeams - dueMs) / 1000,
      floorS: Math.max(req.slackChannels > 0 ? req.perChannel - 1 : 0, teamsPerTenant / 50),
      accepted: { slack: slackPosts.length, teams: teamsPosts.length },
      duplicates,
      misses,
      refusals: {
        slack: slackApi.refusals.length,
        teams: connector.calls.filter((c) => c.status === 429).length,
      },
      deliveredBy: delivered.map((d) => d.n),
      idle: { windowS, queries: idleQueries, perMinute: idleQueries.map((q) => (q * 60) / windowS) },
      deliveryQueries,
      jobs,
      warnings,
      stalled,
    };
  } finally {
    for (const rt of runtimes) await rt.close().catch(() => undefined);
    await slackApi.stop();
    await connector.stop();
    await schema.drop();
  }
}

/** Channel threads the fake connector created with the reminder as their first message (2xx). */
function teamsAccepted(connector: FakeConnector): Recorded[] {
  return connector.calls.filter(
    (c) =>
      c.method === "POST" &&
      c.path === "/v3/conversations" &&
      c.status !== undefined &&
      c.status < 300 &&
      (c.body.activity as { type?: string } | undefined)?.type === "message",
  );
}

process.stdout.write(`${JSON.stringify(await main())}\n`);

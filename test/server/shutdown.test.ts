import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { FIXTURE_KNOWLEDGE, freshSchemaUrl, ROOT } from "../helpers.ts";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const EVENTS = 150;
const APOLOGY = "Entschuldigung, beim Beantworten";
const RESTARTING = "Lotse wird gerade neu gestartet";

const sign = (body: string, ts: number) =>
  `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;

type Server = { child: ChildProcess; port: number; stderr: () => string; exited: Promise<number | null> };

/** The real `lotse serve` in a child process, Slack over HTTP against the fake Web API, Teams off. */
async function startServer(api: FakeSlackApi, env: Record<string, string>): Promise<Server> {
  const port = 41000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [path.join(ROOT, "src/main.ts"), "serve"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      LOTSE_KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
      LOTSE_AUTO_INGEST: "true",
      LOTSE_TEAMS_ENABLED: "false",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
      SLACK_API_URL: api.apiUrl,
      ...env,
    },
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const until = Date.now() + 60_000;
  while (!stderr.includes("Lotse listening")) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`server did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, stderr: () => stderr, exited };
}

/** One app_mention per index, each in its own thread (ts) with its own event id. */
function mention(template: string, i: number): string {
  const event = JSON.parse(template) as { event: Record<string, unknown>; event_id: string };
  const ts = `1764064800.${String(100000 + i)}`;
  event.event_id = `Ev0BURST${String(i).padStart(4, "0")}`;
  event.event.ts = ts;
  event.event.event_ts = ts;
  return JSON.stringify(event);
}

/** Posts a signed event; a refused connection counts as "not acknowledged" (status 0). */
async function deliver(port: number, body: string, retryNum?: number): Promise<number> {
  const ts = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": sign(body, ts),
        ...(retryNum ? { "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": "http_error" } : {}),
      },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * A burst of events with SIGTERM in the middle, then a second process that receives Slack's retries of what the first
 * did not acknowledge: every event ends with exactly one real answer (never the apology, never two).
 */
async function burstWithSigterm(api: FakeSlackApi, env: () => Promise<Record<string, string>>) {
  const template = await readFile(path.join(ROOT, "test/fixtures/slack/app-mention.json"), "utf8");
  const bodies = Array.from({ length: EVENTS }, (_, i) => mention(template, i));
  api.reset();
  const first = await startServer(api, await env());
  const statuses: number[] = new Array(EVENTS).fill(-1);
  let acked = 0;
  let terminated = false;
  await Promise.all(
    bodies.map(async (body, i) => {
      // Spread over ~1.5 s like a busy workspace; SIGTERM goes out once half of them were acknowledged.
      await new Promise((r) => setTimeout(r, i * 10));
      statuses[i] = await deliver(first.port, body);
      if (statuses[i] === 200 && ++acked === EVENTS / 2 && !terminated) {
        terminated = true;
        first.child.kill("SIGTERM");
      }
    }),
  );
  const firstCode = await first.exited;
  const answeredByFirst = api.posts().length;

  // Slack retries what got no 200 (a 503 while stopping, or a refused connection) — to the restarted process.
  const second = await startServer(api, await env());
  const retried = statuses.map((s, i) => (s === 200 ? -1 : i)).filter((i) => i >= 0);
  const retryStatuses = await Promise.all(retried.map((i) => deliver(second.port, bodies[i] as string, 1)));
  await api.waitFor("chat.postMessage", EVENTS, 30_000);
  second.child.kill("SIGTERM");
  const secondCode = await second.exited;

  const answersPerThread = new Map<string, number>();
  const apologies = api.posts().filter((p) => JSON.stringify(p.args).includes(APOLOGY));
  for (const p of api.posts()) {
    const thread = String(p.args.thread_ts);
    answersPerThread.set(thread, (answersPerThread.get(thread) ?? 0) + 1);
  }
  const stopLine = first
    .stderr()
    .split("\n")
    .find((l) => l.includes('"shutting down"'));
  return {
    runningAtSigterm: stopLine ? (JSON.parse(stopLine) as { running: number }).running : -1,
    acked: statuses.filter((s) => s === 200).length,
    refusedWhileStopping: statuses.filter((s) => s === 503).length,
    retried: retried.length,
    retryStatuses,
    answeredByFirst,
    apologies: apologies.length,
    answersPerThread,
    firstCode,
    secondCode,
    firstLog: first.stderr(),
  };
}

function expectExactlyOnce(r: Awaited<ReturnType<typeof burstWithSigterm>>) {
  expect(r.firstCode).toBe(0);
  expect(r.secondCode).toBe(0);
  expect(r.acked).toBeGreaterThanOrEqual(EVENTS / 2);
  // The point of the test: answers were still being composed when SIGTERM came, and later events were refused.
  expect(r.runningAtSigterm).toBeGreaterThan(0);
  expect(r.retried).toBeGreaterThan(0);
  // The first process answered everything it acknowledged before it exited.
  expect(r.answeredByFirst).toBe(r.acked);
  expect(r.retryStatuses.every((s) => s === 200)).toBe(true);
  expect(r.apologies).toBe(0);
  expect(r.answersPerThread.size).toBe(EVENTS);
  expect([...r.answersPerThread.values()].every((n) => n === 1)).toBe(true);
  expect(r.firstLog).not.toContain("database is closed");
  expect(r.firstLog).not.toContain("Cannot use a pool after calling end");
}

describe("graceful shutdown with events in flight (real server process, fake Slack Web API)", () => {
  const api = new FakeSlackApi();
  const dirs: string[] = [];
  beforeAll(() => api.start());
  afterAll(async () => {
    await api.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("on the embedded database: every acknowledged event is answered once, the rest after the retry", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-shutdown-"));
    dirs.push(dir);
    const r = await burstWithSigterm(api, async () => ({ LOTSE_DATA_DIR: dir }));
    expectExactlyOnce(r);
  }, 180_000);

  it("on the PostgreSQL server: the same", async () => {
    const schema = await freshSchemaUrl();
    try {
      const r = await burstWithSigterm(api, async () => ({ DATABASE_URL: schema.url }));
      expectExactlyOnce(r);
    } finally {
      await schema.drop();
    }
  }, 180_000);

  it("an answered event stays claimed across a restart: its retry is not answered again", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-shutdown-"));
    dirs.push(dir);
    const template = await readFile(path.join(ROOT, "test/fixtures/slack/app-mention.json"), "utf8");
    const body = mention(template, 9999);
    api.reset();
    const first = await startServer(api, { LOTSE_DATA_DIR: dir });
    expect(await deliver(first.port, body)).toBe(200);
    await api.waitFor("chat.postMessage", 1);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = await startServer(api, { LOTSE_DATA_DIR: dir });
    expect(await deliver(second.port, body, 1)).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    second.child.kill("SIGTERM");
    await once(second.child, "close");
    expect(api.posts()).toHaveLength(1);
  }, 120_000);

  it("with a grace period of 0: every acknowledged event gets exactly one post, its answer or the restart notice", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-shutdown-"));
    dirs.push(dir);
    const template = await readFile(path.join(ROOT, "test/fixtures/slack/app-mention.json"), "utf8");
    const n = 60;
    const bodies = Array.from({ length: n }, (_, i) => mention(template, 1000 + i));
    api.reset();
    // Slack's replies a little slow, so that answers are still being composed and posted when SIGTERM comes.
    api.beforeReply = (method) =>
      method === "chat.postMessage" ? new Promise((r) => setTimeout(r, 150)) : undefined;
    const server = await startServer(api, { LOTSE_DATA_DIR: dir, LOTSE_SHUTDOWN_GRACE_S: "0" });
    // One question answered first (knowledge ingested, code warm), so that early answers of the burst are given
    // before SIGTERM and later ones are cut off.
    expect(await deliver(server.port, mention(template, 999))).toBe(200);
    await api.waitFor("chat.postMessage", 1, 60_000);
    const statuses: number[] = new Array(n).fill(-1);
    let acked = 0;
    let sigtermAt = 0;
    await Promise.all(
      bodies.map(async (body, i) => {
        await new Promise((r) => setTimeout(r, i * 10));
        statuses[i] = await deliver(server.port, body);
        if (statuses[i] === 200 && ++acked === n / 2 && !sigtermAt) {
          sigtermAt = Date.now();
          server.child.kill("SIGTERM");
        }
      }),
    );
    const code = await server.exited;
    const exitMs = Date.now() - sigtermAt;

    const postsIn = (i: number) =>
      api.posts().filter((p) => p.args.thread_ts === `1764064800.${String(101000 + i)}`);
    const outcome = statuses.map((s, i) => {
      const texts = postsIn(i).map((p) => JSON.stringify(p.args));
      if (s !== 200)
        return texts.length === 0 ? "refused" : `#${i} refused (${s}) but posted ${texts.length}`;
      if (texts.length !== 1) return `#${i} acknowledged, ${texts.length} posts`;
      if (texts[0]?.includes(APOLOGY)) return `#${i} apology`;
      return texts[0]?.includes(RESTARTING) ? "notice" : "answer";
    });
    const stopped = JSON.parse(
      server
        .stderr()
        .split("\n")
        .find((l) => l.includes('"msg":"stopped"')) ?? "{}",
    ) as { aborted?: number; unfinished?: number };

    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(15_000); // ABORT_GRACE_MS and the close, not the default 20 s grace period
    expect(acked).toBeGreaterThanOrEqual(n / 2);
    // The point of the test: answers were aborted, and they told their users so.
    expect(stopped.aborted).toBeGreaterThan(0);
    expect(stopped.unfinished).toBe(0);
    expect(outcome.filter((o) => o === "notice").length).toBeGreaterThan(0);
    expect(outcome.filter((o) => !["answer", "notice", "refused"].includes(o))).toEqual([]);
    expect(outcome.filter((o) => o === "answer" || o === "notice")).toHaveLength(acked);
    expect(server.stderr()).not.toContain("not acknowledged");
    // Routers cut off by the abort ran on into a closing database without an error line.
    expect(
      server
        .stderr()
        .split("\n")
        .filter((l) => /"level":(50|60)/.test(l)),
    ).toEqual([]);
  }, 120_000);
});

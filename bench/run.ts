/**
 * `npm run bench`: start-up to ready, ingest throughput, retrieval latency on the bundled corpus and on 20,000
 * synthetic chunks, peak memory, retrieval quality of Lotse's hybrid search beside a plain PostgreSQL full-text
 * baseline (the eval set's and the paraphrase set's recall@3, with the strict pass rate of the paraphrase set), Teams latency (POST /api/messages → reply at the Bot Connector) beside a bare Agents SDK echo agent, and
 * Slack latency (acknowledgement of POST /slack/events under a steady event stream beside a bare Bolt app, and event →
 * chat.postMessage at a fake Web API), and reminder throughput (10,000 reminders due in one minute, two schedulers on
 * the PostgreSQL server, rate-limited fake platforms: time to deliver, duplicates, misses, 429s, idle queries). Prints
 * a table; `-- --json FILE` also writes the figures as JSON; `-- --only SECTION[,SECTION…]` runs those sections only
 * (startup, bundled, synthetic, teams, slack, reminders).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config.ts";
import { cleanQuestion } from "../src/core/router.ts";
import { type EvalCase, loadEvalCases } from "../src/eval/eval-cases.ts";
import { recallAt3, runEval } from "../src/eval/run-eval.ts";
import { loadRoles } from "../src/knowledge/tenant-config.ts";
import { silentLogger } from "../src/log.ts";
import { toVectorLiteral } from "../src/retrieval/embedder.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";
import type { RemindersBenchRequest, RemindersBenchResult } from "./reminders-throughput.ts";
import type { SlackBenchRequest, SlackBenchResult } from "./slack-latency.ts";
import { syntheticQuestions, writeSyntheticCorpus } from "./synthetic-corpus.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** The paraphrase set of issue 10: the staff's own words (synonyms, colloquial, typos, compounds, English…). */
const PARAPHRASES = path.join(ROOT, "test/eval/paraphrases.yaml");
const SYNTH_FILES = 1000;
const SYNTH_SECTIONS = 20;
const SECTIONS = ["startup", "bundled", "synthetic", "teams", "slack", "reminders"] as const;
type Section = (typeof SECTIONS)[number];
const TEAMS_WARMUP = 20;
const TEAMS_REQUESTS = 200;
const SLACK_RATE = 50; // events per second, open loop
const SLACK_SECONDS = 20; // measured: 1,000 events
const SLACK_WARMUP = 100; // events at the head of the stream, same rate, not counted
const SLACK_SEQUENTIAL = 100;
/** 500 Slack channels of one workspace and 500 Teams channel threads over 5 Entra tenants, 10 reminders each. */
const REMINDERS: RemindersBenchRequest = {
  slackChannels: 500,
  teamsConversations: 500,
  teamsTenants: 5,
  perChannel: 10,
  idleSeconds: 60,
  timeoutSeconds: 300,
};

type Row = { metric: string; value: number; unit: string; target?: string; ok?: boolean };
const rows: Row[] = [];
const add = (metric: string, value: number, unit: string, target?: { text: string; ok: boolean }) => {
  rows.push({
    metric,
    value: Math.round(value * 100) / 100,
    unit,
    ...(target ? { target: target.text, ok: target.ok } : {}),
  });
  process.stderr.write(`  ${metric}: ${Math.round(value * 100) / 100} ${unit}\n`);
};

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** Starts `lotse serve` on a fresh data directory and measures the time until /readyz says ready. */
async function startupToReady(
  dataDir: string,
  port: number,
): Promise<{ ms: number; rssMb: number; residentMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "src/main.ts"), "serve"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      LOTSE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    for (;;) {
      if (performance.now() - started > 60_000) throw new Error("server not ready within 60 s");
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const ms = performance.now() - started;
    const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
    const kb = (field: string) => {
      const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
      return m ? Number(m[1]) / 1024 : Number.NaN;
    };
    return { ms, rssMb: kb("VmHWM"), residentMb: kb("VmRSS") };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("close", r));
  }
}

/** Runs a bench child (`node bench/SCRIPT arg`) and parses the JSON it prints on stdout. */
async function runJsonChild<T>(script: string, arg: string, env?: NodeJS.ProcessEnv): Promise<T> {
  const child = spawn(process.execPath, [path.join(ROOT, "bench", script), arg], {
    cwd: ROOT,
    ...(env ? { env } : {}),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise((r) => child.once("close", r));
  if (code !== 0) throw new Error(`${script} exited with ${String(code)}`);
  return JSON.parse(out) as T;
}

/** Retrieval latency measured in a child process configured as the server runs (see retrieval-latency.ts). */
async function latencies(
  tmp: string,
  dataDir: string,
  knowledgeDir: string,
  questions: string[],
  rounds: number,
): Promise<{ ms: number[]; maxRssMb: number }> {
  const questionsFile = path.join(tmp, `questions-${rounds}-${questions.length}.json`);
  await writeFile(questionsFile, JSON.stringify(questions));
  const request = JSON.stringify({ dataDir, knowledgeDir, questionsFile, rounds, tenant: "musterstadt" });
  return runJsonChild("retrieval-latency.ts", request);
}

/** Teams POST → reply latencies of Lotse and of a bare Agents SDK echo agent (see teams-latency.ts). */
async function teamsLatencies(
  tmp: string,
  questions: string[],
): Promise<{ lotse: number[]; bare: number[]; answerCards: number; withSources: number }> {
  const questionsFile = path.join(tmp, "teams-questions.json");
  await writeFile(questionsFile, JSON.stringify(questions));
  const request = JSON.stringify({
    knowledgeDir: path.join(ROOT, "knowledge"),
    questionsFile,
    warmup: TEAMS_WARMUP,
    requests: TEAMS_REQUESTS,
  });
  // A clean environment: neither Lotse's configuration nor the SDK's own reading of the environment sees credentials.
  return runJsonChild("teams-latency.ts", request, { PATH: process.env.PATH ?? "" });
}

/** Slack acknowledgement and answer latencies of Lotse and of a bare Bolt app (see slack-latency.ts). */
async function slackLatencies(tmp: string, questions: string[]): Promise<SlackBenchResult> {
  const questionsFile = path.join(tmp, "slack-questions.json");
  await writeFile(questionsFile, JSON.stringify(questions));
  const request: SlackBenchRequest = {
    knowledgeDir: path.join(ROOT, "knowledge"),
    questionsFile,
    rate: SLACK_RATE,
    seconds: SLACK_SECONDS,
    warmup: SLACK_WARMUP,
    sequential: SLACK_SEQUENTIAL,
  };
  return runJsonChild("slack-latency.ts", JSON.stringify(request), { PATH: process.env.PATH ?? "" });
}

/** Plain PostgreSQL full-text search as users of websearch_to_tsquery would write it. */
async function baselineTop3(rt: Runtime, q: string): Promise<string[]> {
  const r = await rt.db.query<{ t: string }>(
    `SELECT d.title || E'\\n' || c.section || E'\\n' || c.body AS t
     FROM chunks c JOIN documents d ON d.doc_id = c.doc_id,
          websearch_to_tsquery('german', $1) q
     WHERE (c.tenant IS NULL OR c.tenant = 'musterstadt')
       AND to_tsvector('german', d.title || ' ' || c.section || ' ' || c.body) @@ q
     ORDER BY ts_rank_cd(to_tsvector('german', d.title || ' ' || c.section || ' ' || c.body), q) DESC, c.chunk_id
     LIMIT 3`,
    [q],
  );
  return r.rows.map((x) => x.t);
}

/** Share of the exact top 10 by vector distance that the HNSW index also returns. */
async function hnswRecall(rt: Runtime, questions: string[]): Promise<number> {
  const dim = rt.embedder.dim;
  const sql = `SELECT chunk_id FROM chunks WHERE vector_dims(embedding) = ${dim}
               ORDER BY embedding::vector(${dim}) <=> $1::vector(${dim}) LIMIT 10`;
  let hit = 0;
  for (const q of questions) {
    const v = toVectorLiteral((await rt.embedder.embed([q]))[0] ?? []);
    const approx = new Set((await rt.db.query<{ chunk_id: string }>(sql, [v])).rows.map((r) => r.chunk_id));
    await rt.db.query("SET enable_indexscan = off");
    const exact = (await rt.db.query<{ chunk_id: string }>(sql, [v])).rows.map((r) => r.chunk_id);
    await rt.db.query("SET enable_indexscan = on");
    hit += exact.filter((id) => approx.has(id)).length / Math.max(exact.length, 1);
  }
  return hit / questions.length;
}

/** Start-up to ready and memory of a spawned `lotse serve` (embedded database, bundled knowledge). */
async function startup(tmp: string): Promise<void> {
  process.stderr.write("Start-up (embedded database, bundled knowledge)\n");
  const port = 41000 + Math.floor(Math.random() * 10000);
  const cold = await startupToReady(path.join(tmp, "data"), port);
  add("start-up to ready, first start (incl. ingest)", cold.ms, "ms", {
    text: "≤ 6000",
    ok: cold.ms <= 6000,
  });
  const warm = await startupToReady(path.join(tmp, "data"), port + 1);
  add("start-up to ready, restart (knowledge unchanged)", warm.ms, "ms", {
    text: "≤ 6000",
    ok: warm.ms <= 6000,
  });
  add("server peak RSS, first start (PGlite initdb peak)", cold.rssMb, "MB", {
    text: "≤ 300",
    ok: cold.rssMb <= 300,
  });
  add("server resident memory when ready, first start", cold.residentMb, "MB");
  add("server peak RSS, restart", warm.rssMb, "MB", { text: "≤ 300", ok: warm.rssMb <= 300 });
}

/** recall@3 of Lotse's retrieval and of the full-text baseline (both for Musterstadt) on an eval set's answerable cases. */
async function recallBeside(rt: Runtime, cases: EvalCase[]): Promise<{ lotse: number; base: number }> {
  const hybridTop = new Map<string, string[]>();
  const baseTop = new Map<string, string[]>();
  for (const c of cases.filter((x) => !x.abstain)) {
    const r = await rt.retriever.search(cleanQuestion(c.q), "musterstadt", 3);
    hybridTop.set(
      c.id,
      r.passages.map((p) => `${p.title}\n${p.section}\n${p.body}`),
    );
    baseTop.set(c.id, await baselineTop3(rt, c.q));
  }
  return { lotse: recallAt3(cases, hybridTop), base: recallAt3(cases, baseTop) };
}

/**
 * The paraphrase set on the bundled corpus: recall@3 of retrieval beside the full-text baseline, and the strict pass
 * rate of Lotse's answers (every expected fact in the answer text) as `lotse eval` scores it, overall and per category.
 */
async function paraphrases(tmp: string, rt: Runtime): Promise<void> {
  const cases = await loadEvalCases(PARAPHRASES);
  process.stderr.write(`Paraphrase set (${cases.length} cases, ${path.relative(ROOT, PARAPHRASES)})\n`);
  // Their questions lean on expansion most (typos, compounds, English words): latency of those on their own.
  const lat = await latencies(
    tmp,
    ":memory:",
    path.join(ROOT, "knowledge"),
    cases.map((c) => c.q),
    5,
  );
  add("retrieval p50, bundled corpus, paraphrase questions", percentile(lat.ms, 50), "ms");
  add("retrieval p95, bundled corpus, paraphrase questions", percentile(lat.ms, 95), "ms");
  const recall = await recallBeside(rt, cases);
  add("paraphrases: recall@3, full-text baseline (websearch_to_tsquery)", recall.base, "");
  add("paraphrases: recall@3, Lotse", recall.lotse, "");
  const { summary } = await runEval(cases, {
    answer: (m) => rt.router.handle(m),
    retrieve: async (q, tenant) =>
      (await rt.retriever.search(cleanQuestion(q), tenant ?? rt.config.defaultTenant, 3)).passages,
    roles: await loadRoles(rt.config.knowledgeDir, []),
  });
  add("paraphrases: strict pass rate, Lotse", summary.pass_rate, "");
  process.stderr.write(
    `  strict pass per category: ${Object.entries(summary.categories)
      .map(([k, f]) => `${k} ${f.pass_rate}`)
      .join(", ")}\n`,
  );
}

/** Retrieval latency and recall@3 on the bundled corpus, beside the full-text baseline. */
async function bundledCorpus(tmp: string, cases: EvalCase[]): Promise<void> {
  process.stderr.write("Bundled corpus\n");
  const bundled = await createRuntime(loadConfig({ LOTSE_DATA_DIR: ":memory:" }, ROOT), silentLogger, {
    autoIngest: true,
  });
  const lat = await latencies(
    tmp,
    ":memory:",
    path.join(ROOT, "knowledge"),
    cases.map((c) => c.q),
    5,
  );
  add("retrieval p50, bundled corpus", percentile(lat.ms, 50), "ms");
  add("retrieval p95, bundled corpus", percentile(lat.ms, 95), "ms");
  const { lotse: hybrid, base } = await recallBeside(bundled, cases);
  add("recall@3, full-text baseline (websearch_to_tsquery)", base, "");
  add("recall@3, Lotse hybrid", hybrid, "", {
    text: `≥ 1.3 × baseline (${(1.3 * base).toFixed(3)})`,
    ok: hybrid >= 1.3 * base,
  });
  await paraphrases(tmp, bundled);
  await bundled.close();
}

/** Ingest throughput, HNSW recall and retrieval latency on 20,000 synthetic chunks. */
async function syntheticCorpus(tmp: string): Promise<void> {
  process.stderr.write(`Synthetic corpus: ${SYNTH_FILES * SYNTH_SECTIONS} chunks\n`);
  const synthDir = path.join(tmp, "synth");
  await writeSyntheticCorpus(synthDir, SYNTH_FILES, SYNTH_SECTIONS);
  const synthData = path.join(tmp, "synth-data");
  // Ingest as `lotse ingest` runs it: in this process, with V8's optimizing compiler.
  const synth = await createRuntime(
    loadConfig({ LOTSE_DATA_DIR: synthData, LOTSE_KNOWLEDGE_DIR: synthDir }, ROOT),
    silentLogger,
    { autoIngest: false },
  );
  const t0 = performance.now();
  const summary = await synth.ingest();
  // Until the retriever has the new vocabulary, as before refresh loaded it in the background.
  await synth.retriever.loaded();
  const seconds = (performance.now() - t0) / 1000;
  add("ingest throughput (20,000 chunks, PGlite)", summary.chunks / seconds, "chunks/s", {
    text: "≥ 500",
    ok: summary.chunks / seconds >= 500,
  });
  const synthQuestions = syntheticQuestions(200);
  add(
    "HNSW recall@10 vs exact vector search (20,000 chunks)",
    await hnswRecall(synth, synthQuestions.slice(0, 100)),
    "",
  );
  await synth.close();
  const synthLat = await latencies(tmp, synthData, synthDir, synthQuestions, 1);
  add("retrieval p50, 20,000 chunks (PGlite)", percentile(synthLat.ms, 50), "ms");
  const p95 = percentile(synthLat.ms, 95);
  add("retrieval p95, 20,000 chunks (PGlite)", p95, "ms", { text: "≤ 30", ok: p95 <= 30 });
  add("retrieval process peak RSS, 20,000 chunks", synthLat.maxRssMb, "MB");
  add("bench process peak RSS (ingest of 20,000 chunks)", process.resourceUsage().maxRSS / 1024, "MB");
}

/** Teams: POST /api/messages → reply at the connector, Lotse beside a bare Agents SDK echo agent. */
async function teams(tmp: string, cases: EvalCase[]): Promise<void> {
  process.stderr.write(
    `Teams: ${TEAMS_REQUESTS} sequential messages after ${TEAMS_WARMUP} warm-up, fake Bot Connector on loopback\n`,
  );
  const t = await teamsLatencies(
    tmp,
    cases.map((c) => c.q),
  );
  process.stderr.write(
    `  Lotse replies: ${t.answerCards}/${t.lotse.length} answer cards, ${t.withSources} of them citing sources\n`,
  );
  add("Teams: POST → reply p50 (bare Agents SDK echo)", percentile(t.bare, 50), "ms");
  const bareP95 = percentile(t.bare, 95);
  add("Teams: POST → reply p95 (bare Agents SDK echo)", bareP95, "ms");
  add("Teams: POST → reply p50 (Lotse)", percentile(t.lotse, 50), "ms");
  const lotseP95 = percentile(t.lotse, 95);
  add("Teams: POST → reply p95 (Lotse)", lotseP95, "ms", { text: "≤ 150", ok: lotseP95 <= 150 });
  add("Teams: p95 Lotse / bare Agents SDK echo", lotseP95 / bareP95, "×", {
    text: "≤ 3",
    ok: lotseP95 <= 3 * bareP95,
  });
}

/** Slack over HTTP: acknowledgement under a steady event stream beside a bare Bolt app; event → chat.postMessage. */
async function slack(tmp: string, cases: EvalCase[]): Promise<void> {
  process.stderr.write(
    `Slack: app_mention events at ${SLACK_RATE}/s for ${SLACK_SECONDS} s (open loop, after ${SLACK_WARMUP} warm-up), ` +
      `then ${SLACK_SEQUENTIAL} sequential; fake Web API on loopback\n`,
  );
  const s = await slackLatencies(
    tmp,
    cases.map((c) => c.q),
  );
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  process.stderr.write(
    `  Lotse answers: ${s.lotse.post.length}/${s.lotse.ack.length} posted in the event's thread, ${s.lotse.withSources} citing sources\n` +
      `  server event loop busy over the stream: Lotse ${pct(s.lotse.server.busy)}, bare Bolt ${pct(s.bare.server.busy)}; ` +
      `1 ms timer late p99 / max: Lotse ${s.lotse.server.loopDelayP99.toFixed(1)} / ${s.lotse.server.loopDelayMax.toFixed(1)} ms, ` +
      `bare ${s.bare.server.loopDelayP99.toFixed(1)} / ${s.bare.server.loopDelayMax.toFixed(1)} ms\n` +
      `  largest send delay behind schedule (load generator): ${s.maxSendLag.toFixed(1)} ms\n`,
  );
  for (const p of [50, 95, 99]) add(`Slack: ack p${p} (bare Bolt app)`, percentile(s.bare.ack, p), "ms");
  for (const p of [50, 95, 99]) add(`Slack: ack p${p} (Lotse)`, percentile(s.lotse.ack, p), "ms");
  const bareP95 = percentile(s.bare.ack, 95);
  const lotseP95 = percentile(s.lotse.ack, 95);
  add("Slack: ack p95 Lotse / bare Bolt app", lotseP95 / bareP95, "×", {
    text: "≤ 1.2",
    ok: lotseP95 <= 1.2 * bareP95,
  });
  add(`Slack: Lotse event loop busy at ${SLACK_RATE} events/s`, s.lotse.server.busy * 100, "%");
  add(`Slack: event → chat.postMessage p50 (Lotse, ${SLACK_RATE}/s)`, percentile(s.lotse.post, 50), "ms");
  add(`Slack: event → chat.postMessage p95 (Lotse, ${SLACK_RATE}/s)`, percentile(s.lotse.post, 95), "ms");
  add(
    "Slack: event → chat.postMessage p50 (Lotse, sequential)",
    percentile(s.lotse.sequentialPost, 50),
    "ms",
  );
  add(
    "Slack: event → chat.postMessage p95 (Lotse, sequential)",
    percentile(s.lotse.sequentialPost, 95),
    "ms",
  );
}

/**
 * Reminders: 10,000 due in one minute, delivered by two schedulers through the real notifiers to rate-limited fakes
 * (see reminders-throughput.ts). Duplicates or misses fail the run (exit code 1).
 */
async function reminders(): Promise<void> {
  const q = REMINDERS;
  const channels = q.slackChannels + q.teamsConversations;
  process.stderr.write(
    `Reminders: ${channels * q.perChannel} due in the same minute, ${q.perChannel} per channel: ${q.slackChannels} Slack ` +
      `channels (one workspace, 1/s per channel), ${q.teamsConversations} Teams channel threads over ${q.teamsTenants} ` +
      `Entra tenants = ${q.teamsTenants} Lotse tenants (7/s per conversation, 50/s per tenant); two schedulers (real ` +
      "start() loop, default pacing and 15 s poll), each with its own pool to one fresh schema on the PostgreSQL server\n",
  );
  // The child reads only the test server's address (TEST_DATABASE_URL, else 127.0.0.1:5432/test) of the environment.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "" };
  if (process.env.TEST_DATABASE_URL) env.TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
  const r = await runJsonChild<RemindersBenchResult>("reminders-throughput.ts", JSON.stringify(q), env);
  process.stderr.write(
    `  Teams spread: ${r.teamsSpread.map((t) => `${t.tenant} (${t.entraTenant.slice(0, 8)}…) ${t.conversations} threads, ${t.accepted} accepted`).join("; ")}\n` +
      `  accepted per scheduler instance: ${r.deliveredBy.join(" / ")}; jobs: ${Object.entries(r.jobs)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ")}\n` +
      `  queries while delivering: ${r.deliveryQueries.join(" / ")} per instance; warnings logged: ${
        Object.entries(r.warnings)
          .map(([k, n]) => `${k} ${n}`)
          .join(", ") || "none"
      }\n` +
      `  idle measured over ${r.idle.windowS.toFixed(1)} s of real time (both instances running, the ${r.reminders} jobs ` +
      `planned for the due minute, nothing due): ${r.idle.queries.join(" / ")} queries\n`,
  );
  add(
    "reminders: creating 10,000 (Reminders.add, 32 at once over both runtimes; not the measure)",
    r.createSeconds,
    "s",
  );
  add("reminders: due minute → last delivery", r.lastDeliveryS, "s");
  add("reminders: due minute → last Slack delivery", r.slackLastS, "s");
  add("reminders: due minute → last Teams delivery", r.teamsLastS, "s");
  add("reminders: least possible under the simulated limits", r.floorS, "s");
  const all = r.accepted.slack + r.accepted.teams;
  add("reminders: messages accepted (Slack + Teams)", all, "", {
    text: `= ${r.reminders}`,
    ok: all === r.reminders,
  });
  add("reminders: duplicates", r.duplicates, "", { text: "= 0", ok: r.duplicates === 0 });
  add("reminders: misses", r.misses, "", { text: "= 0", ok: r.misses === 0 });
  add("reminders: Slack 429 refusals", r.refusals.slack, "");
  add("reminders: Teams 429 refusals", r.refusals.teams, "");
  for (const [i, perMinute] of r.idle.perMinute.entries())
    add(`reminders: idle queries per minute, scheduler ${i + 1} (nothing due)`, perMinute, "/min");
  if (r.duplicates > 0 || r.misses > 0 || r.stalled || all !== r.reminders) {
    process.stderr.write(
      `\n  !!! FAIL: reminders — ${r.duplicates} duplicates, ${r.misses} misses, ${all}/${r.reminders} accepted` +
        `${r.stalled ? `, stalled (jobs still pending ${q.timeoutSeconds} s after the due minute)` : ""} !!!\n\n`,
    );
    process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  const jsonAt = process.argv.indexOf("--json");
  const jsonFile = jsonAt >= 0 ? process.argv[jsonAt + 1] : undefined;
  const evalAt = process.argv.indexOf("--eval");
  const evalFile =
    evalAt >= 0 ? (process.argv[evalAt + 1] as string) : path.join(ROOT, "test/eval/questions.yaml");
  const onlyAt = process.argv.indexOf("--only");
  // A comma-separated list runs several sections in one run (issue 10's figures: startup,bundled,synthetic).
  const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? "").split(",") : undefined;
  if (only !== undefined && !only.every((o) => SECTIONS.includes(o as Section))) {
    process.stderr.write(`--only takes one or more of (comma-separated): ${SECTIONS.join(", ")}\n`);
    process.exitCode = 2;
    return;
  }
  const runs = (section: Section) => only === undefined || only.includes(section);
  const tmp = await mkdtemp(path.join(tmpdir(), "lotse-bench-"));
  try {
    const cases = await loadEvalCases(evalFile);
    if (runs("startup")) await startup(tmp);
    if (runs("bundled")) await bundledCorpus(tmp, cases);
    if (runs("synthetic")) await syntheticCorpus(tmp);
    if (runs("teams")) await teams(tmp, cases);
    if (runs("slack")) await slack(tmp, cases);
    if (runs("reminders")) await reminders();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }

  const w = Math.max(...rows.map((r) => r.metric.length));
  const lines = [`${"metric".padEnd(w)}  ${"value".padStart(10)}  unit       target`];
  for (const r of rows)
    lines.push(
      `${r.metric.padEnd(w)}  ${String(r.value).padStart(10)}  ${r.unit.padEnd(9)}  ${r.target ? `${r.target} ${r.ok ? "✓" : "✗ missed"}` : ""}`,
    );
  process.stdout.write(`\n${lines.join("\n")}\n`);
  if (jsonFile)
    await writeFile(
      jsonFile,
      `${JSON.stringify({ date: new Date().toISOString(), results: rows }, null, 2)}\n`,
    );
}

await main();

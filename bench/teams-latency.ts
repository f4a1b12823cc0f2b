/**
 * Child process of `npm run bench`: Teams latency from POST /api/messages to the reply (the message, not the typing
 * indicator) arriving at a fake Bot Connector on loopback, for Lotse (bundled knowledge, in-memory PGlite on V8's
 * baseline compiler, as `lotse serve` runs) and, side by side, for a bare Microsoft 365 Agents SDK echo agent.
 * Requests are sequential; everything listens on 127.0.0.1. Reads a JSON request on argv[2], prints
 * {lotse: number[], bare: number[], answerCards: number, withSources: number} (latencies in ms; how many of
 * Lotse's measured replies were answer cards, and how many of those cite sources) as JSON on stdout.
 */
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { devNull } from "node:os";
import path from "node:path";
import { CloudAdapter, getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import express, { type Express } from "express";
import pino from "pino";
import { createTeamsAdapter } from "../adapters/teams/teams-app.ts";
import { loadConfig } from "../src/config.ts";
import { useBaselineWasmCompiler } from "../src/db/pglite-compiler.ts";
import { createLogger } from "../src/log.ts";
import { createRuntime } from "../src/runtime.ts";
import { createApp } from "../src/server/app.ts";
import { listen } from "../src/server/serve.ts";
import { type FakeConnector, startFakeConnector } from "../test/fakes/teams-connector.ts";

type Request = { knowledgeDir: string; questionsFile: string; warmup: number; requests: number };

const ROOT = path.resolve(import.meta.dirname, "..");
const ENTRA_TENANT = "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10";

// Whatever happens, this process ends by itself.
setTimeout(() => {
  process.stderr.write("teams-latency.ts: no result within 5 minutes\n");
  process.exit(1);
}, 300_000).unref();

/** A message in a personal chat as Teams delivers it (unique id per request; the reply refers to it). */
function messageActivity(serviceUrl: string, id: string, text: string): Record<string, unknown> {
  return {
    type: "message",
    id,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: "msteams",
    from: {
      id: "29:1Xk9f2mZC0aR8bq7V5eP3wYtUjL6nHsD",
      name: "Erika Mustermann",
      aadObjectId: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    },
    conversation: {
      conversationType: "personal",
      tenantId: ENTRA_TENANT,
      id: "a:1pQ7wZ3xN9mK2vB5cR8tY4uE6iO0aS1dF3gH5jK7lZ9xC2vB4nM6qW8eR0tY2uI4oP6aS8dF0gH2jK4lZ6xC8vB0nM2qW4eR6tY8uI0oP",
    },
    recipient: { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b", name: "Lotse" },
    textFormat: "plain",
    locale: "de-DE",
    text,
    entities: [
      { type: "clientInfo", locale: "de-DE", country: "DE", platform: "Windows", timezone: "Europe/Berlin" },
    ],
    channelData: { tenant: { id: ENTRA_TENANT } },
  };
}

/** Sequential POSTs; the latency of one is from sending the POST to its reply arriving at the connector. */
async function measure(
  app: Express,
  connector: FakeConnector,
  label: string,
  texts: string[],
  req: Request,
): Promise<{ ms: number[]; replies: Record<string, unknown>[] }> {
  const server: Server = await listen(app, 0, "127.0.0.1");
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  const ms: number[] = [];
  const replies: Record<string, unknown>[] = [];
  try {
    for (let i = 0; i < req.warmup + req.requests; i++) {
      const id = `${label}-${i}`;
      const body = JSON.stringify(messageActivity(connector.url, id, texts[i % texts.length] as string));
      const reply = connector.replyTo(id);
      const t0 = performance.now();
      const res = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${label}: POST /api/messages answered ${res.status}`);
      const r = await reply;
      if (i >= req.warmup) {
        ms.push(r.at - t0);
        replies.push(r.body);
      }
    }
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  return { ms, replies };
}

const req = JSON.parse(process.argv[2] ?? "{}") as Request;
const questions = JSON.parse(await readFile(req.questionsFile, "utf8")) as string[];
useBaselineWasmCompiler();
// Configured as `lotse serve` runs by default (info logs, here written to the null device).
const config = loadConfig({ LOTSE_DATA_DIR: ":memory:", LOTSE_KNOWLEDGE_DIR: req.knowledgeDir }, ROOT);
const log = createLogger(config.logLevel, pino.destination({ dest: devNull, sync: true }));
const rt = await createRuntime(config, log, { autoIngest: true });
const connector = await startFakeConnector();
try {
  // The bare agent: the Agents SDK's own minimum, anonymous like Lotse's local trial.
  const bareAdapter = new CloudAdapter(getAuthConfigWithDefaults({}));
  const bareApp = express();
  bareApp.use(express.json());
  bareApp.post("/api/messages", async (request, response) => {
    await bareAdapter.process(request as never, response as never, async (ctx) => {
      await ctx.sendActivity(ctx.activity.text ?? "");
    });
  });
  const bare = await measure(bareApp, connector, "bare", questions, req);

  const teams = createTeamsAdapter({ config, runtime: rt, log });
  const lotseApp = createApp({ log, ready: () => rt.ready(), mount: (a) => teams.mount(a) });
  const lotse = await measure(lotseApp, connector, "lotse", questions, req);
  // Answers are real: replies are answer cards (with 👍/👎), most of them citing sources.
  type Card = { body?: { text?: string }[]; actions?: { type?: string }[] };
  const cards = lotse.replies.map(
    (r) => ((r.attachments as { content?: Card }[] | undefined)?.[0]?.content ?? {}) as Card,
  );
  const answerCards = cards.filter((c) => c.actions?.some((a) => a.type === "Action.Execute"));
  const withSources = answerCards.filter((c) => c.body?.some((b) => b.text === "Quellen")).length;
  process.stdout.write(
    `${JSON.stringify({ lotse: lotse.ms, bare: bare.ms, answerCards: answerCards.length, withSources })}\n`,
  );
} finally {
  await connector.close();
  await rt.close();
}

/**
 * `npm run playground`: starts Lotse (`lotse serve`) and, once GET /readyz answers 200, the Microsoft 365 Agents
 * Playground pointed at POST /api/messages — Teams in the browser without a tenant, an Azure Bot or a tunnel. Both
 * write to this terminal. Ctrl+C or SIGTERM stops both; when one of them ends, the other is stopped and the script
 * exits with the code of the one that ended first.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { type Config, configFromEnvironment } from "../src/config.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** How long Lotse may take to become ready (the embedded database ingests knowledge/ at the first start). */
const READY_TIMEOUT_MS = 180_000;
/** How long a child may take to stop after SIGTERM before it is killed (Lotse's own grace period is 10 s). */
const STOP_TIMEOUT_MS = 15_000;

const HELP = `Aufruf: npm run playground

Startet Lotse (lotse serve) und, sobald GET /readyz bereit meldet, den Microsoft 365 Agents
Playground: ein nachgebautes Teams im Browser, das Nachrichten an POST /api/messages schickt.
So probieren Sie Lotse mit Adaptive Cards, 👍/👎 und Begrüßung aus – ohne Teams-Tenant,
Azure-Bot-Registrierung oder Tunnel.

Beide Programme schreiben in dieses Terminal. Strg+C beendet beide. Endet eines von beiden,
wird das andere beendet; der Exit-Code ist der des zuerst beendeten Programms.

Konfiguration wie bei npm start (Umgebung oder .env), unter anderem:
  PORT                       Port von Lotse (Standard 3978); der Playground spricht
                             http://127.0.0.1:PORT/api/messages an
  LOTSE_DATA_DIR             eingebettete Datenbank (ein Prozess je Verzeichnis)
  TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET, TEAMS_TENANT_ID
                             gesetzt: Lotse verlangt Anmeldung, der Playground erhält die
                             Zugangsdaten (Internetzugang zu Microsoft Entra nötig);
                             leer: lokale Erprobung ohne Anmeldung (nicht mit NODE_ENV=production)
Für den Playground:
  TEAMSAPPTESTER_PORT        Port des Playgrounds (Standard 56150)
  TEAMSAPPTESTER_BROWSER     none = keinen Browser öffnen
  M365_AGENTS_PLAYGROUND_LOGFILE
                             Protokolldatei (Standard ./devTools/m365agentsplayground.log)

Optionen:
  --help   diese Hilfe
`;

/** The URL under which this machine reaches Lotse: a wildcard listen address is reached on loopback. */
function lotseBaseUrl(config: Config): string {
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.port}`;
}

/** The Playground's CLI (its package has no importable entry point, so its package.json locates it). */
function playgroundCli(): string {
  const pkg = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/package.json");
  return path.join(path.dirname(pkg), "cli.js");
}

interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code once the process has ended (128 + signal number when killed by a signal). */
  exited: Promise<number>;
  done: boolean;
}

function start(name: string, args: string[]): Child {
  const proc = spawn(process.execPath, args, { cwd: process.cwd(), env: process.env, stdio: "inherit" });
  const child: Child = { name, process: proc, exited: Promise.resolve(0), done: false };
  child.exited = new Promise((resolve) => {
    proc.once("error", (err) => {
      process.stderr.write(`${name} ließ sich nicht starten: ${err.message}\n`);
      child.done = true;
      resolve(1);
    });
    proc.once("exit", (code, signal) => {
      child.done = true;
      resolve(code ?? (signal ? 128 + signalNumber(signal) : 1));
    });
  });
  return child;
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 1;
}

/** Sends SIGTERM, and SIGKILL when the child has not ended after STOP_TIMEOUT_MS. */
async function stop(child: Child): Promise<void> {
  if (child.done) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => {
    if (!child.done) {
      process.stderr.write(`${child.name} reagiert nicht auf SIGTERM und wird beendet (SIGKILL).\n`);
      child.process.kill("SIGKILL");
    }
  }, STOP_TIMEOUT_MS);
  await child.exited;
  clearTimeout(timer);
}

/** Polls GET /readyz until it answers 200; false when Lotse ended or the wait timed out. */
async function waitUntilReady(baseUrl: string, lotse: Child, stopped: () => boolean): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !lotse.done && !stopped()) {
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  return false;
}

async function main(): Promise<number> {
  try {
    if (parseArgs({ options: { help: { type: "boolean" } }, allowPositionals: false }).values.help) {
      process.stdout.write(HELP);
      return 0;
    }
  } catch (err) {
    process.stderr.write(
      `Unbekannter Aufruf (${err instanceof Error ? err.message : String(err)}).\n\n${HELP}`,
    );
    return 2;
  }

  const loaded = configFromEnvironment();
  if ("error" in loaded) {
    process.stderr.write(`${loaded.error}\n`);
    return 2;
  }
  const { config } = loaded;
  const baseUrl = lotseBaseUrl(config);

  let stopping = false;
  const children: Child[] = [];
  const stopAll = () => Promise.all(children.map((c) => stop(c)));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: Lotse und Playground werden beendet …\n`);
    void stopAll();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  process.stderr.write(`Lotse startet auf ${baseUrl} …\n`);
  const lotse = start("Lotse", [path.join(ROOT, "src/main.ts"), "serve"]);
  children.push(lotse);

  if (!(await waitUntilReady(baseUrl, lotse, () => stopping))) {
    if (stopping) {
      await stopAll();
      return 0;
    }
    if (lotse.done) {
      const code = await lotse.exited;
      process.stderr.write(`Lotse hat sich beendet (Exit-Code ${code}), bevor es bereit war.\n`);
      return code || 1;
    }
    process.stderr.write(
      `Lotse meldet nach ${READY_TIMEOUT_MS / 1000} s unter ${baseUrl}/readyz nicht bereit; Abbruch.\n`,
    );
    await stop(lotse);
    return 1;
  }

  const endpoint = `${baseUrl}/api/messages`;
  process.stderr.write(`Lotse ist bereit. Der Agents Playground startet für ${endpoint} …\n`);
  const auth = config.teamsAuth
    ? [
        "--client-id",
        config.teamsAuth.clientId,
        "--client-secret",
        config.teamsAuth.clientSecret,
        "--tenant-id",
        config.teamsAuth.tenantId,
      ]
    : [];
  const playground = start("Agents Playground", [
    playgroundCli(),
    "start",
    "-e",
    endpoint,
    "-c",
    "msteams",
    "--dt",
    ...auth,
  ]);
  children.push(playground);

  // The first child to end decides the exit code; the other one is stopped.
  const first = await Promise.race(children.map(async (c) => ({ child: c, code: await c.exited })));
  if (stopping) {
    await stopAll();
    return 0;
  }
  stopping = true;
  const other = first.child === lotse ? playground : lotse;
  process.stderr.write(
    `${first.child.name} hat sich beendet (Exit-Code ${first.code}); ${other.name} wird beendet.\n`,
  );
  await stop(other);
  return first.code;
}

process.exitCode = await main();

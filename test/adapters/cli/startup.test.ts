import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_KNOWLEDGE, ROOT, serverUrl } from "../../helpers.ts";

type Exit = { code: number | null; stderr: string; exitedBy: "itself" | "kill" };

/**
 * Starts `lotse serve` as a real process (the pinned Node 24) and waits for it to end by itself; after `limitMs` it
 * is killed and reported as such, so a hang fails the test instead of the run.
 */
function serve(env: Record<string, string>, limitMs: number): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(
      path.join(ROOT, "node_modules/.bin/node"),
      [path.join(ROOT, "src/main.ts"), "serve"],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          LOTSE_DATA_DIR: ":memory:",
          LOTSE_KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
          LOG_LEVEL: "info",
          PORT: String(40000 + Math.floor(Math.random() * 20000)),
          ...env,
        },
      },
    );
    let stderr = "";
    let exitedBy: Exit["exitedBy"] = "itself";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      exitedBy = "kill";
      child.kill("SIGKILL");
    }, limitMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, exitedBy });
    });
  });
}

// Generous for a process that only reads its configuration (about 1.5 s here), well below the 10 s a pg pool's idle
// timeout or forever an open PGlite worker thread kept the process alive.
const CONFIG_LIMIT_MS = 8000;

describe("lotse serve with a bad configuration exits at once, before opening a database", () => {
  it("NODE_ENV=production without Teams credentials", async () => {
    const r = await serve({ NODE_ENV: "production" }, CONFIG_LIMIT_MS);
    expect(r).toMatchObject({ code: 2, exitedBy: "itself" });
    expect(r.stderr).toContain(
      "Fehler [CONFIG_INVALID]: Ungültige Konfiguration:\n  NODE_ENV=production, aber die Teams-Zugangsdaten fehlen: Setzen Sie TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID",
    );
  });

  it("HOST=0.0.0.0 without Teams credentials", async () => {
    const r = await serve({ HOST: "0.0.0.0" }, CONFIG_LIMIT_MS);
    expect(r).toMatchObject({ code: 2, exitedBy: "itself" });
    expect(r.stderr).toContain("nur lokal (HOST=127.0.0.1, aktuell 0.0.0.0) oder mit NODE_ENV=development");
  });

  it("with a reachable DATABASE_URL: the server is not even connected to", async () => {
    const r = await serve({ DATABASE_URL: serverUrl(), NODE_ENV: "production" }, CONFIG_LIMIT_MS);
    expect(r).toMatchObject({ code: 2, exitedBy: "itself" });
    expect(r.stderr).toContain("NODE_ENV=production, aber die Teams-Zugangsdaten fehlen");
    // Opening the database logs (migrations, or the missing pgvector on this machine's server); nothing of that.
    expect(r.stderr.trim().split("\n")[0]).toBe("Fehler [CONFIG_INVALID]: Ungültige Konfiguration:");
    expect(r.stderr).not.toContain('"level"');
  });
});

describe("lotse serve when a platform cannot start", () => {
  let slackApi: Server;
  let apiUrl: string;
  beforeAll(async () => {
    // Slack's answer to a revoked or mistyped bot token, for every Web API method (auth.test first).
    slackApi = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: false, error: "invalid_auth" }));
    });
    await new Promise<void>((done) => slackApi.listen(0, "127.0.0.1", done));
    apiUrl = `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    await new Promise((done) => slackApi.close(done));
  });

  it("closes the embedded database and exits non-zero with the German message", async () => {
    const r = await serve(
      {
        LOTSE_TEAMS_ENABLED: "false",
        SLACK_BOT_TOKEN: "xoxb-2847193650-9182736450-Qm7Zr2Xk9Lp4Vt8Nw3Hy6Bd1",
        SLACK_SIGNING_SECRET: "4c9e2a7f1b8d3e6a0f5c2b9d7e4a1f38",
        SLACK_API_URL: apiUrl,
      },
      // Opening PGlite and ingesting the fixture corpus comes first; the PGlite worker thread kept it alive forever.
      40_000,
    );
    expect(r).toMatchObject({ code: 2, exitedBy: "itself" });
    expect(r.stderr).toContain(
      "Fehler [CONFIG_INVALID]: Slack lässt sich nicht verbinden (An API error occurred: invalid_auth). Prüfen Sie SLACK_BOT_TOKEN",
    );
    expect(r.stderr).not.toContain("Lotse listening");
  });
});

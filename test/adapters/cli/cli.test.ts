import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_KNOWLEDGE, ROOT } from "../../helpers.ts";

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the real `lotse` entry point as a child process with the fixture corpus. */
function lotse(
  args: string[],
  env: Record<string, string> = {},
  until?: (out: string) => boolean,
): Promise<Run & { kill?: () => void; exited?: Promise<number | null> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "src/main.ts"), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        LOTSE_DATA_DIR: ":memory:",
        LOTSE_KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
        LOG_LEVEL: "info",
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((done) => child.on("close", done));
    child.stderr.on("data", (d) => {
      stderr += d;
      if (until?.(stderr)) resolve({ code: null, stdout, stderr, kill: () => child.kill("SIGTERM"), exited });
    });
    exited.then((code) => resolve({ code, stdout, stderr }));
  });
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("lotse CLI", () => {
  it("ask --json prints only the answer JSON on stdout, logs on stderr", async () => {
    const r = await lotse(["ask", "--json", "Ab welchem Betrag brauche ich den Nachhaltigkeitscheck?"]);
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({ kind: "answer", generatedBy: "extractive" });
    expect(Object.keys(answer).sort()).toEqual([
      "citations",
      "confidence",
      "contacts",
      "generatedBy",
      "goals",
      "kind",
      "nextSteps",
      "text",
    ]);
    expect(answer.citations[0]).toHaveProperty("excerpt");
    expect(r.stderr).toContain('"msg":"message answered"');
    expect(r.stderr).not.toContain("Nachhaltigkeitscheck?");
  });

  it("ask prints a readable answer with sources and contacts", async () => {
    const r = await lotse(["ask", "Wie", "viele", "Dienstwagen", "sollen", "2030", "emissionsfrei", "sein?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("80 Prozent");
    expect(r.stdout).toContain("Quellen:");
    expect(r.stdout).toContain("Ansprechpersonen:");
  });

  it("every command has --help", async () => {
    for (const cmd of ["ask", "ingest", "validate", "eval", "serve"]) {
      const r = await lotse([cmd, "--help"]);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`Aufruf: lotse ${cmd}`);
    }
    const top = await lotse(["--help"]);
    expect(top.stdout).toMatch(/ask[\s\S]*ingest[\s\S]*validate[\s\S]*eval[\s\S]*serve/);
  });

  it("validate exits 0 on the fixture corpus and 1 with file:line on errors", async () => {
    const ok = await lotse(["validate"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("0 Fehler");
    const bad = await lotse(["validate", "--dir", path.join(ROOT, "test/fixtures/broken-knowledge")]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/shared\/ohne-titel\.md:\d+: Fehler: Pflichtfeld "title"/);
  });

  it("ingest persists to LOTSE_DATA_DIR and skips unchanged files the second time", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-cli-"));
    dirs.push(dir);
    const first = await lotse(["ingest"], { LOTSE_DATA_DIR: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/8 neu/);
    const second = await lotse(["ingest"], { LOTSE_DATA_DIR: dir });
    expect(second.stdout).toMatch(/0 neu, 0 geändert, 0 entfernt, 8 unverändert/);
  });

  it("stops with a clear message naming DATABASE_URL when the server is unreachable", async () => {
    const r = await lotse(["ask", "Frage"], { DATABASE_URL: "postgres://lotse@127.0.0.1:1/lotse" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("DATABASE_URL");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("stops with a message naming the variable when configuration is bad", async () => {
    const r = await lotse(["ask", "Frage"], { PORT: "achtzig" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("PORT");
  });

  it("serve answers /healthz and /readyz and stops on SIGTERM", async () => {
    const port = String(40000 + Math.floor(Math.random() * 20000));
    const r = await lotse(["serve"], { PORT: port, HOST: "127.0.0.1" }, (err) =>
      err.includes("Lotse listening"),
    );
    expect(r.kill).toBeDefined();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    r.kill?.();
    expect(await r.exited).toBe(0);
  });
});

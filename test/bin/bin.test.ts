import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_KNOWLEDGE, ROOT } from "../helpers.ts";

/**
 * The oldest Node that engines allows, installed by the devDependency "lotse-node22" (test/bin/node22, a package of
 * its own so that its binary does not replace Node 24 in node_modules/.bin).
 */
const NODE22 = path.join(ROOT, "test/bin/node22/node_modules/node/bin/node");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  engines: { node: string };
  bin: { lotse: string };
};
const minimum = (
  JSON.parse(readFileSync(path.join(ROOT, "test/bin/node22/package.json"), "utf8")) as {
    dependencies: { node: string };
  }
).dependencies.node;

/** The machine's own Node when it is older than engines allows (this machine's is 20), else undefined. */
function olderSystemNode(): string | undefined {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    if (!existsSync(candidate)) continue;
    const [major = 0, minor = 0] = execFileSync(candidate, ["-p", "process.versions.node"], {
      encoding: "utf8",
    })
      .trim()
      .split(".")
      .map(Number);
    if (major < 22 || (major === 22 && minor < 18)) return candidate;
  }
  return undefined;
}
const OLD_NODE = olderSystemNode();

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs bin/lotse.js with the given Node binary and flags, as `npx lotse` would, on the fixture corpus. */
function bin(node: string, args: string[], nodeFlags: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(node, [...nodeFlags, path.join(ROOT, pkg.bin.lotse), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        LOTSE_DATA_DIR: ":memory:",
        LOTSE_KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE,
        LOG_LEVEL: "warn",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("bin/lotse.js on the oldest supported Node", () => {
  it("engines names the version the test runs on", () => {
    expect(existsSync(NODE22), `${NODE22} fehlt: npm install (devDependency lotse-node22)`).toBe(true);
    expect(pkg.engines.node).toBe(`^${minimum} || >=23.6.0`);
  });

  it(`answers a question on Node ${minimum} (embedded database, PDF and DOCX ingest, retrieval)`, async () => {
    const r = await bin(NODE22, ["ask", "--json", "Ab welchem Betrag brauche ich den Nachhaltigkeitscheck?"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: "answer", generatedBy: "extractive" });
    expect(await bin(NODE22, ["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("a Node that cannot run .ts files gets a German message, not ERR_UNKNOWN_FILE_EXTENSION", async () => {
    // Node 22.18 without type stripping is what Node 22.12 to 22.17 are by default.
    const off = await bin(NODE22, ["--version"], ["--no-experimental-strip-types"]);
    expect(off.code).toBe(1);
    expect(off.stdout).toBe("");
    expect(off.stderr).toBe(
      `Lotse kann nicht starten: Node.js v${minimum} führt TypeScript-Dateien nur aus, wenn das Entfernen der Typen eingeschaltet ist. Entfernen Sie --no-experimental-strip-types bzw. --no-strip-types (auch aus NODE_OPTIONS).\n`,
    );
  });

  it.runIf(OLD_NODE)("an older Node is told the minimum version and how to run Lotse anyway", async () => {
    const old = await bin(OLD_NODE as string, ["--version"]);
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(
      /^Lotse braucht Node\.js 22\.18 oder neuer \(empfohlen: Node\.js 24 LTS\); installiert ist v\d+\.\d+\.\d+\. .*npm start bzw\. npx lotse/,
    );
    expect(old.stderr).not.toContain("ERR_UNKNOWN_FILE_EXTENSION");
  });
});

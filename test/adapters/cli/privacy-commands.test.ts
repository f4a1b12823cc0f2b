import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import { createRuntime } from "../../../src/runtime.ts";
import { captureLogs, testConfig } from "../../helpers.ts";
import { ANNA, BERND, seedTwoPeople } from "../../privacy/two-people.ts";
import { type Run, runLotse } from "./run-lotse.ts";

let dir: string;
let config: Config;
const { logs, log } = captureLogs();
beforeAll(async () => {
  // A data directory the commands open after the seed closed it (the commands open their own runtime).
  dir = await mkdtemp(path.join(tmpdir(), "lotse-privacy-"));
  config = testConfig({ LOTSE_DATA_DIR: path.join(dir, "data") });
  const rt = await createRuntime(config, log, { autoIngest: true });
  try {
    await seedTwoPeople(rt);
  } finally {
    await rt.close();
  }
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CLI as cli.ts runs it, with the privacy commands (registered here until cli.ts registers them itself). */
async function lotse(argv: string[]): Promise<Run> {
  return runLotse(argv, { config, log, now: new Date("2026-12-02T09:00:00Z") });
}

describe("lotse privacy export", () => {
  it("prints one person's rows as JSON, found by the Slack id, including her linked Teams account", async () => {
    const r = await lotse(["privacy", "export", "--user", ANNA.slack]);
    expect(r.code).toBe(0);
    const x = JSON.parse(r.stdout) as { tables: Record<string, { rows: unknown[] }> };
    expect(x.tables.conversation_turns?.rows).toHaveLength(3);
    expect(x.tables.onboarding_progress?.rows).toHaveLength(1);
    expect(r.stdout).not.toContain(BERND.slack);
    expect(r.stdout).not.toContain("Kita");
  });

  it("writes to --out readable by its owner only", async () => {
    const out = path.join(dir, "auskunft.json");
    const r = await lotse(["privacy", "export", "--user", ANNA.teams, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Auskunft geschrieben");
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(out, "utf8")).tables.feedback.rows[0].comment).toBe(
      "Die Energieklasse fehlt.",
    );
  });

  it("says in German that nothing is stored for an unknown id, with an empty export, exit 0", async () => {
    const r = await lotse(["privacy", "export", "--user", "U0NIEMAND9"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Zu dieser Kennung sind bei Lotse keine Daten gespeichert.");
    const x = JSON.parse(r.stdout) as { tables: Record<string, { rows: unknown[] }> };
    expect(Object.values(x.tables).every((t) => t.rows.length === 0)).toBe(true);
  });

  it("asks for --platform where the id does not tell it", async () => {
    const r = await lotse(["privacy", "export", "--user", "anna.schulz"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--platform slack oder --platform teams");
  });
});

describe("lotse privacy delete", () => {
  it("shows what it would delete without --yes, deletes with --yes, and logs counts only", async () => {
    const dry = await lotse(["privacy", "delete", "--user", ANNA.slack]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Probelauf, nichts wurde gelöscht");
    expect(dry.stdout).toMatch(/conversation_turns\s+3 löschen/);
    expect(dry.stdout).toMatch(/reminders\s+1 löschen, 1 ohne Personenbezug behalten/);
    expect(dry.stdout).toContain("mit --yes");
    expect(
      JSON.parse((await lotse(["privacy", "export", "--user", ANNA.slack])).stdout).tables.conversation_turns
        .rows,
    ).toHaveLength(3);

    const done = await lotse(["privacy", "delete", "--user", ANNA.slack, "--yes"]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/conversation_turns\s+3 gelöscht/);
    expect(done.stdout).toContain("onboarding_stats");
    const after = await lotse(["privacy", "export", "--user", ANNA.slack]);
    expect(after.stderr).toContain("keine Daten gespeichert");
    const bernd = JSON.parse((await lotse(["privacy", "export", "--user", BERND.slack])).stdout);
    expect(bernd.tables.conversation_turns.rows).toHaveLength(1);
    expect(bernd.tables.reminders.rows).toHaveLength(1);

    const again = await lotse(["privacy", "delete", "--user", ANNA.slack, "--yes"]);
    expect(again.stdout).toContain("Nichts zu löschen");

    const privacyLogs = logs.filter((l) => String(l.event ?? "").startsWith("privacy_"));
    expect(privacyLogs.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(privacyLogs);
    for (const secret of [ANNA.slack, ANNA.teams, BERND.slack, "Monitore", "Energieklasse"])
      expect(text).not.toContain(secret);
  });
});

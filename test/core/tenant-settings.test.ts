import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import { LotseError } from "../../src/errors.ts";
import { testConfig } from "../helpers.ts";

const AAD = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

describe("TenantSettings", () => {
  it("reads inline JSON with coordinators and lead days, defaults elsewhere", () => {
    const s = TenantSettings.parse(
      JSON.stringify({
        musterstadt: {
          coordinators: {
            slack_users: ["U0123ABCD"],
            slack_usergroups: ["S0456EFGH"],
            teams_users: [AAD.toUpperCase()],
          },
          deadline_lead_days: [30, 7, 1],
        },
      }),
      [14, 2],
    );
    const m = s.of("musterstadt");
    expect(m.coordinators).toEqual({
      slackUsers: ["U0123ABCD"],
      slackUsergroups: ["S0456EFGH"],
      teamsUsers: [AAD],
    });
    expect(m.deadlineLeadDays).toEqual([30, 7, 1]);
    expect(s.of("neustadt")).toEqual({
      coordinators: { slackUsers: [], slackUsergroups: [], teamsUsers: [] },
      deadlineLeadDays: [14, 2],
    });
  });

  it("reads a YAML file relative to the working directory through loadConfig", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-settings-"));
    await writeFile(
      path.join(dir, "tenants.yaml"),
      "musterstadt:\n  coordinators:\n    slack_usergroups: [S0NACHHALT]\n",
    );
    const config = testConfig({
      LOTSE_TENANT_SETTINGS: path.join(dir, "tenants.yaml"),
      LOTSE_DEADLINE_LEAD_DAYS: "10, 1",
    });
    expect(config.tenantSettings.of("musterstadt").coordinators.slackUsergroups).toEqual(["S0NACHHALT"]);
    expect(config.tenantSettings.of("musterstadt").deadlineLeadDays).toEqual([10, 1]);
  });

  it("refuses a wrong id with a German message naming the variable and field, never the value", () => {
    const secretish = "xoxb-123-456-abcdef";
    let error: unknown;
    try {
      TenantSettings.parse(
        JSON.stringify({ musterstadt: { coordinators: { slack_users: [secretish] } } }),
        [14, 2],
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LotseError);
    const e = error as LotseError;
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.message).toContain("LOTSE_TENANT_SETTINGS");
    expect(e.message).toContain("musterstadt.coordinators.slack_users.0");
    expect(e.message).toContain("Slack-User-ID");
    expect(e.message).not.toContain(secretish);
  });

  it("refuses team owners as coordinators, saying why and what to set instead", () => {
    expect(() =>
      TenantSettings.parse('{"musterstadt":{"coordinators":{"teams_team_owners":true}}}', [14, 2]),
    ).toThrow(/teams_team_owners: wird nicht unterstützt.*Microsoft Graph.*teams_users/);
  });

  it("refuses unknown keys and a missing file", () => {
    expect(() => TenantSettings.parse('{"musterstadt":{"koordinatoren":{}}}', [14, 2])).toThrow(
      /koordinatoren/,
    );
    expect(() => TenantSettings.parse("/nicht/da.yaml", [14, 2])).toThrow(/Datei nicht gefunden/);
  });
});

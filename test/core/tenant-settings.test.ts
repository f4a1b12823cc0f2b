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
      onboarding: { perPersonReport: false, slackChannels: [] },
    });
  });

  it("reads retention, onboarding and the digest channel; per-person reporting is off unless switched on", () => {
    const s = TenantSettings.parse(
      JSON.stringify({
        musterstadt: {
          retention_days: 14,
          onboarding: { per_person_report: true, slack_channels: ["C0NEUE001"] },
          digest: { teams_channel: "19:koordination@thread.tacv2" },
        },
        neustadt: { onboarding: {} },
      }),
      [14, 2],
    );
    expect(s.of("musterstadt")).toMatchObject({
      retentionDays: 14,
      onboarding: { perPersonReport: true, slackChannels: ["C0NEUE001"] },
      digest: { platform: "teams", channel: "19:koordination@thread.tacv2" },
    });
    expect(s.of("neustadt").onboarding.perPersonReport).toBe(false);
    expect(s.of("neustadt").retentionDays).toBeUndefined();
    expect(s.of("neustadt").digest).toBeUndefined();
  });

  it("refuses a digest with both channels or none, naming the field", () => {
    for (const digest of [{ slack_channel: "C0KOORD01", teams_channel: "19:k@thread.tacv2" }, {}]) {
      let err: unknown;
      try {
        TenantSettings.parse(JSON.stringify({ musterstadt: { digest } }), [14, 2]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LotseError);
      expect((err as LotseError).message).toContain("musterstadt.digest");
      expect((err as LotseError).message).toContain("genau einen Kanal");
    }
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

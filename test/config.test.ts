import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, loadConfig } from "../src/config.ts";
import { LotseError } from "../src/errors.ts";

describe("loadConfig", () => {
  it("has working defaults for the embedded setup", () => {
    const c = loadConfig({}, "/srv/lotse");
    expect(c.port).toBe(3978);
    expect(c.dataDir).toBe("/srv/lotse/data");
    expect(c.defaultTenant).toBe("musterstadt");
    expect(c.databaseUrl).toBeUndefined();
    expect(c.autoIngest).toBe(true);
    expect(c.tenantMap).toEqual([]);
  });

  it("does not auto-ingest against a server unless asked", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@db:5432/lotse" }).autoIngest).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: "postgres://u@db:5432/lotse", LOTSE_AUTO_INGEST: "true" }).autoIngest,
    ).toBe(true);
  });

  it("parses the tenant mapping", () => {
    const c = loadConfig({
      LOTSE_TENANT_MAP: "teams:72f988bf-86f1=musterstadt; slack:T0123ABC=beispielkreis",
    });
    expect(c.tenantMap).toEqual([
      { platform: "teams", externalId: "72f988bf-86f1", tenant: "musterstadt" },
      { platform: "slack", externalId: "T0123ABC", tenant: "beispielkreis" },
    ]);
  });

  it.each([
    ["PORT", "achtzig"],
    ["DATABASE_URL", "mysql://x"],
    ["LOTSE_TENANT_MAP", "musterstadt"],
    ["LOTSE_MIN_CONFIDENCE", "2"],
    ["LOTSE_DEFAULT_TENANT", "Muster Stadt"],
  ])("names the variable %s when its value is bad", (name, value) => {
    try {
      loadConfig({ [name]: value });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LotseError);
      expect((err as LotseError).code).toBe("CONFIG_INVALID");
      expect((err as LotseError).message).toContain(name);
    }
  });
});

describe("Teams configuration", () => {
  it("takes the three Bot credentials together or not at all", () => {
    const env = { TEAMS_CLIENT_ID: "8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b", TEAMS_CLIENT_SECRET: "s" };
    expect(() => loadConfig(env, "/tmp")).toThrow(/TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID/);
    const full = loadConfig({ ...env, TEAMS_TENANT_ID: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10" }, "/tmp");
    expect(full.teamsAuth?.clientId).toBe("8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b");
    expect(loadConfig({}, "/tmp").teamsAuth).toBeUndefined();
  });

  it("names the variable when a Teams id is not a GUID", () => {
    expect(() => loadConfig({ TEAMS_TENANT_ID: "musterstadt" }, "/tmp")).toThrow(
      /TEAMS_TENANT_ID: eine GUID/,
    );
  });
});

describe(".env.example", () => {
  it("documents every variable that config.ts reads, and no other", () => {
    const text = readFileSync(path.join(import.meta.dirname, "../.env.example"), "utf8");
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});

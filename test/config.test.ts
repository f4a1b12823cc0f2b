import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
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

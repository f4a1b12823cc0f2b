import { describe, expect, it } from "vitest";
import { Tenancy } from "../../src/core/tenancy.ts";
import { testConfig } from "../helpers.ts";

const OWN = "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10";
const MAPPED = "11111111-2222-4333-8444-555555555555";
const FOREIGN = "9a7c5e3f-1b2d-4c6e-8f0a-3b5d7e9f1c2a";
const CREDENTIALS = {
  TEAMS_CLIENT_ID: "8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b",
  TEAMS_CLIENT_SECRET: "Vq78Q~kR3zT.p9Lw_2xN5mB8vH4cJ6dF1gS0aYeU",
  TEAMS_TENANT_ID: OWN,
};

/** What admit() throws, as the adapter logs it; undefined when it admits. */
function refusal(tenancy: Tenancy, ids: { issuedBy?: string[]; named: string[] }): unknown {
  try {
    tenancy.admit("teams", ids);
    return undefined;
  } catch (err) {
    return err;
  }
}

describe("Tenancy: which organisations may talk to Lotse", () => {
  it("with Bot credentials admits the own Entra tenant only, also without a tenant map", () => {
    const tenancy = Tenancy.fromConfig(testConfig(CREDENTIALS));
    expect(tenancy.ownExternalTenant("teams")).toBe(OWN);
    expect(refusal(tenancy, { issuedBy: [OWN], named: [OWN, OWN.toUpperCase()] })).toBeUndefined();
    expect(refusal(tenancy, { named: [FOREIGN] })).toMatchObject({
      code: "TENANT_FOREIGN",
      details: { source: "activity", externalTenantId: FOREIGN },
    });
    // A token of another tenant, even for an activity naming the own one.
    expect(refusal(tenancy, { issuedBy: [FOREIGN], named: [OWN] })).toMatchObject({
      code: "TENANT_FOREIGN",
      details: { source: "token", externalTenantId: FOREIGN },
    });
    // An activity naming no tenant (Web Chat in the Azure portal) cannot be told from a foreign one.
    expect(refusal(tenancy, { named: [] })).toMatchObject({
      code: "TENANT_FOREIGN",
      details: { source: "activity", externalTenantId: undefined },
    });
  });

  it("admits the Teams tenants of LOTSE_TENANT_MAP besides the own one, never a Slack team id", () => {
    const tenancy = Tenancy.fromConfig(
      testConfig({
        ...CREDENTIALS,
        LOTSE_TENANT_MAP: `teams:${MAPPED}=musterstadt;slack:T0MUSTER=musterstadt`,
      }),
    );
    expect(refusal(tenancy, { issuedBy: [OWN], named: [MAPPED] })).toBeUndefined();
    expect(refusal(tenancy, { named: [OWN, MAPPED] })).toBeUndefined();
    expect(refusal(tenancy, { named: [MAPPED, FOREIGN] })).toMatchObject({
      details: { externalTenantId: FOREIGN },
    });
    expect(refusal(tenancy, { named: ["T0MUSTER"] })).toMatchObject({ code: "TENANT_FOREIGN" });
    // Admitted is not resolved: which Lotse tenant serves the own tenant stays the mapping's decision.
    expect(() => tenancy.resolve({ platform: "teams", externalTenantId: OWN })).toThrow(
      expect.objectContaining({ code: "TENANT_UNKNOWN" }),
    );
    expect(tenancy.resolve({ platform: "teams", externalTenantId: MAPPED })).toBe("musterstadt");
  });

  it("without credentials (the local trial) refuses nothing here; the mapping alone applies in resolve()", () => {
    const tenancy = Tenancy.fromConfig(testConfig({ LOTSE_TENANT_MAP: `teams:${MAPPED}=musterstadt` }));
    expect(tenancy.ownExternalTenant("teams")).toBeUndefined();
    expect(refusal(tenancy, { issuedBy: [FOREIGN], named: [] })).toBeUndefined();
    expect(() => tenancy.resolve({ platform: "teams", externalTenantId: FOREIGN })).toThrow(
      expect.objectContaining({ code: "TENANT_UNKNOWN" }),
    );
    // Nor does the two-argument constructor: Teams with credentials refuses to start on such a tenancy.
    expect(new Tenancy("musterstadt", []).ownExternalTenant("teams")).toBeUndefined();
  });
});

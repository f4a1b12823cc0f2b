import { afterEach, describe, expect, it } from "vitest";
import { AGENTS_SDK_SETTINGS, agentsSdkVariables } from "../src/config-agents-sdk.ts";

const CREDENTIALS = {
  clientId: "8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b",
  clientSecret: "Vq78Q~kR3zT.p9Lw_2xN5mB8vH4cJ6dF1gS0aYeU",
  tenantId: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10",
};

/**
 * What the SDK makes of Lotse's settings, with credentials and without (the local trial), given the process
 * environment as it is (TEST_MODE makes the SDK read it again on each call).
 */
async function sdkConfigurations(): Promise<string> {
  const { getAuthConfigWithDefaults } = await import("@microsoft/agents-hosting");
  try {
    return JSON.stringify([getAuthConfigWithDefaults(CREDENTIALS), getAuthConfigWithDefaults({})]);
  } catch (err) {
    // Refusing to start is taking the environment into account too.
    return `refused: ${(err as Error).message}`;
  }
}

describe("Agents SDK variables in the environment", () => {
  const set: string[] = [];
  const setEnv = (name: string, value: string) => {
    set.push(name);
    process.env[name] = value;
  };
  afterEach(() => {
    for (const name of set.splice(0)) delete process.env[name];
  });

  it("names the SDK's own variables (any case, connections and maps) and nothing of Lotse's or the system's", () => {
    const env = {
      TEAMS_CLIENT_ID: "8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b",
      PATH: "/usr/bin",
      SERVICE_NAME: "lotse",
      clientId: "00000000-0000-4000-8000-000000000000",
      AUTHORITYENDPOINT: "https://login.microsoftonline.us",
      Connections__serviceConnection__Settings__ClientSecret: "x",
      connectionsMap__0__serviceUrl: "*",
      Connections__broken: "x",
      tenantId: " ",
    };
    expect(agentsSdkVariables(env)).toEqual([
      "AUTHORITYENDPOINT",
      "Connections__serviceConnection__Settings__ClientSecret",
      "clientId",
      "connectionsMap__0__serviceUrl",
    ]);
    expect(agentsSdkVariables({ TEAMS_TENANT_ID: "x", LOTSE_TENANT_MAP: "" })).toEqual([]);
  });

  it("matches the SDK: each variable it names changes the configuration the SDK builds from Lotse's", async () => {
    setEnv("TEST_MODE", "true");
    const baseline = await sdkConfigurations();
    const value = (setting: string) =>
      /^(sendX5C|bypassLocalNetworkRestriction|validateIssuer)$/.test(setting)
        ? "true"
        : /Count$|Timeout$/.test(setting)
          ? "3"
          : setting === "authType"
            ? "certificate"
            : "https://example.invalid/value";
    const ignored: string[] = [];
    for (const setting of [...AGENTS_SDK_SETTINGS, "Connections__other__Settings__clientId"]) {
      setEnv(setting, value(setting));
      expect(agentsSdkVariables(process.env)).toContain(setting);
      if ((await sdkConfigurations()) === baseline) ignored.push(setting);
      delete process.env[setting];
    }
    expect(ignored).toEqual([]);
    // A connections map routes the connections the environment defines.
    setEnv("Connections__other__Settings__clientId", "00000000-0000-4000-8000-000000000000");
    const withConnection = await sdkConfigurations();
    setEnv("ConnectionsMap__0__serviceUrl", "https://smba.trafficmanager.net/*");
    expect(agentsSdkVariables(process.env)).toContain("ConnectionsMap__0__serviceUrl");
    expect(await sdkConfigurations()).not.toBe(withConnection);
  });
});

/**
 * The settings the Microsoft 365 Agents SDK (1.8, auth/authConfiguration.js) reads from the environment on its own
 * and merges into the Teams auth configuration Lotse passes it, matched without regard to case as the SDK does.
 * With one of them set, Lotse could run with another identity, authority, certificate or token scope than
 * TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID say.
 */
export const AGENTS_SDK_SETTINGS: readonly string[] = [
  "tenantId",
  "clientId",
  "clientSecret",
  "certPemFile",
  "certKeyFile",
  "connectionName",
  "FICClientId",
  "authorityEndpoint",
  "scope",
  "altBlueprintConnectionName",
  "alternateBlueprintConnectionName",
  "WIDAssertionFile",
  "azureRegion",
  "sendX5C",
  "msalRetryCount",
  "authType",
  "federatedTokenFile",
  "idpmResource",
  "sidecarBaseUrl",
  "serviceName",
  "blueprintServiceName",
  "bypassLocalNetworkRestriction",
  "requestTimeout",
  "retryCount",
  "validateIssuer",
];

const SETTINGS = new Set(AGENTS_SDK_SETTINGS.map((s) => s.toUpperCase()));

/**
 * The names of the set environment variables the Agents SDK would take into Lotse's Teams configuration: its
 * settings above, `Connections__<id>__Settings__<setting>` and `ConnectionsMap__<n>__<property>` (which replace the
 * configuration altogether). Empty values are ignored, as the SDK ignores them. A pure function of the environment,
 * so that start-up can refuse them before the database is opened.
 */
export function agentsSdkVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => {
      if (!value?.trim()) return false;
      const parts = name.toUpperCase().split("__");
      if (parts[0] === "CONNECTIONS") return parts.length === 4 && parts[2] === "SETTINGS";
      if (parts[0] === "CONNECTIONSMAP") return parts.length === 3;
      return parts.length === 1 && SETTINGS.has(parts[0] as string);
    })
    .map(([name]) => name)
    .sort();
}

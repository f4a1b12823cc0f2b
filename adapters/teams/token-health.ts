import type { AuthProvider, CloudAdapter, Connections } from "@microsoft/agents-hosting";
import { LotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";

/** Whether Lotse can get the token it replies with: not yet tried, works, or failed at the last attempt. */
export type TeamsAuthState = "unverified" | "ok" | "auth_failed";

/** Acquires an access token for a scope (the SDK's MSAL provider in production; a fake in tests). */
export type AccessTokenSource = (scope: string) => Promise<string>;

/**
 * Watches Lotse's outbound token acquisition (MSAL, client secret): a failure (wrong secret, expired secret, Entra
 * unreachable) is logged once when the state changes, not once per message, and throws TEAMS_AUTH_FAILED so the
 * request is answered without a reply; readiness reports the state. Every message retries, so a fixed secret is
 * noticed with the next message.
 */
export class TokenHealth {
  private current: TeamsAuthState = "unverified";
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  get state(): TeamsAuthState {
    return this.current;
  }

  /** Runs one token acquisition and records its outcome. */
  async acquire(get: () => Promise<string>): Promise<string> {
    try {
      const token = await get();
      if (this.current === "auth_failed")
        this.log.info({ event: "teams_auth_recovered" }, "Teams token works again");
      this.current = "ok";
      return token;
    } catch (cause) {
      if (this.current !== "auth_failed")
        this.log.error(
          { code: "TEAMS_AUTH_FAILED", reason: summary(cause) },
          "Lotse cannot get its Teams access token: replies and proactive messages fail until TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID are right and Microsoft Entra is reachable",
        );
      this.current = "auth_failed";
      throw new LotseError("TEAMS_AUTH_FAILED", "Teams access token could not be acquired", { cause });
    }
  }

  /** Routes every token the adapter acquires (replies, proactive messages) through acquire(). */
  watch(adapter: CloudAdapter, source?: AccessTokenSource): void {
    const base = adapter.connectionManager;
    const wrap = (provider: AuthProvider): AuthProvider =>
      new Proxy(provider, {
        get: (target, prop) => {
          if (prop === "getAccessToken")
            return (configOrScope: unknown, maybeScope?: string) =>
              this.acquire(() => {
                const scope = typeof configOrScope === "string" ? configOrScope : (maybeScope ?? "");
                return source
                  ? source(scope)
                  : (target.getAccessToken as (...a: unknown[]) => Promise<string>).call(
                      target,
                      configOrScope,
                      maybeScope,
                    );
              });
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const watched: Connections = {
      getConnection: (name) => wrap(base.getConnection(name)),
      getDefaultConnection: () => wrap(base.getDefaultConnection()),
      getTokenProvider: (identity, serviceUrl) => wrap(base.getTokenProvider(identity, serviceUrl)),
      getTokenProviderFromActivity: (identity, activity) =>
        wrap(base.getTokenProviderFromActivity(identity, activity)),
      getDefaultConnectionConfiguration: () => base.getDefaultConnectionConfiguration(),
    };
    adapter.connectionManager = watched;
  }
}

/** The first line of an error message, without anything that looks like a token; for the one log line. */
function summary(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split("\n")[0] ?? "").replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[token]").slice(0, 300);
}

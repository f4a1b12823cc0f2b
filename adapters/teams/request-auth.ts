import type { NextFunction, Request, Response } from "express";
import type { Config } from "../../src/config.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { hostOf, type ServiceUrlPolicy } from "./service-hosts.ts";
import { type SigningKeys, TokenRejected, verifyToken } from "./verify-token.ts";

type Auth = NonNullable<Config["teamsAuth"]>;

/**
 * Verifies the bearer token before the body is read and leaves its claims on req.user; the local trial (no
 * credentials) is anonymous. A refused token is a 401 AUTH_REJECTED with its reason; Lotse's own failure (the
 * signing keys cannot be fetched, or a fault of ours) a 5xx logged as an error (TEAMS_AUTH_FAILED / INTERNAL), never
 * a verdict on the caller's token.
 */
export function authenticator(options: {
  auth: Auth | undefined;
  keys: SigningKeys | undefined;
  log: Logger;
}) {
  const { auth, keys, log } = options;
  return async function authenticate(req: Request, _res: Response, next: NextFunction): Promise<void> {
    if (!auth || !keys) {
      (req as { user?: unknown }).user = { name: "anonymous" };
      next();
      return;
    }
    try {
      (req as { user?: unknown }).user = await verifyToken(req.headers.authorization, {
        clientId: auth.clientId,
        keys,
      });
      next();
    } catch (err) {
      const reason = err instanceof TokenRejected ? err.reason : "internal";
      if (reason !== "keys_unavailable" && reason !== "internal") {
        next(new LotseError("AUTH_REJECTED", `Teams request refused: ${reason}`, { details: { reason } }));
        return;
      }
      const code = reason === "internal" ? "INTERNAL" : "TEAMS_AUTH_FAILED";
      log.error(
        { code, reason, err: toLotseError(err) },
        reason === "internal"
          ? "verifying a Teams token failed unexpectedly"
          : "Lotse cannot fetch the keys that sign Teams tokens: check outbound https to login.botframework.com and login.microsoftonline.com",
      );
      next(
        new LotseError(code, `Teams request not verified: ${reason}`, { cause: err, details: { reason } }),
      );
    }
  };
}

/**
 * Why a verified token does not vouch for the activity's serviceUrl (AUTH_REJECTED), or undefined when it does: a
 * Bot Framework token's `serviceurl` claim must name the same host (verifyToken requires the claim); an Entra-issued
 * token has none, so its activity may only name a Teams service host, never loopback. Nothing to check without
 * credentials.
 */
export function serviceUrlRefusal(
  identity: Record<string, unknown> | undefined,
  serviceUrl: string,
  options: { auth: Auth | undefined; policy: ServiceUrlPolicy },
): LotseError | undefined {
  if (!options.auth) return undefined;
  const claim = identity?.serviceurl;
  // A token issued for one service, replayed with another serviceUrl to collect Lotse's token there.
  if (typeof claim === "string")
    return hostOf(claim)?.toLowerCase() === hostOf(serviceUrl)?.toLowerCase()
      ? undefined
      : new LotseError("AUTH_REJECTED", "serviceUrl does not match the token", {
          details: { reason: "serviceurl_mismatch" },
        });
  if (options.policy.isServiceHost(serviceUrl)) return undefined;
  return new LotseError(
    "AUTH_REJECTED",
    "token names no serviceurl and the activity's is no Teams service host",
    {
      details: { reason: "serviceurl_unverified" },
    },
  );
}

import { Activity } from "@microsoft/agents-activity";
import { type AuthConfiguration, CloudAdapter, getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { Config } from "../../src/config.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { hostOf, ServiceUrlPolicy } from "./service-hosts.ts";
import { TeamsNotifier } from "./teams-notifier.ts";
import { createTurnHandler } from "./teams-turn.ts";
import { TenantGuard } from "./tenant-guard.ts";
import { type AccessTokenSource, type TeamsAuthState, TokenHealth } from "./token-health.ts";
import { remoteSigningKeys, type SigningKeys, TokenRejected, verifyToken } from "./verify-token.ts";

export interface TeamsDeps {
  config: Config;
  runtime: Pick<Runtime, "router" | "tenancy" | "templates" | "conversations" | "feedback" | "assistant">;
  log: Logger;
  now?: () => Date;
  /** Keys that sign incoming tokens; default: the published Bot Framework and Entra key sets. */
  signingKeys?: SigningKeys;
  /** Lotse's own access token for replies; default: the SDK's MSAL client-credentials flow. */
  accessToken?: AccessTokenSource;
}

export interface TeamsAdapter {
  /** Mounts POST /api/messages on the express app. */
  mount(app: Express): void;
  notifier: TeamsNotifier;
  /**
   * Teams for readiness: "ok" once Lotse got its access token, "unverified" before its first reply, "auth_failed"
   * while it cannot get one (replies fail), "local_trial" without Bot credentials.
   */
  health(): { teams: TeamsAuthState | "local_trial" };
}

/** Largest activity accepted (Teams activities are a few kB; attachments travel as links). */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** The fields every activity needs before the SDK sees it: a failure inside process() would be a 500. */
const activityShape = z.object({
  type: z.string().min(1),
  serviceUrl: z.string().min(1),
  conversation: z.object({ id: z.string().min(1) }),
  from: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string().min(1) }),
});

/** The SDK's auth configuration from our validated config (a mismatch with the SDK's own env reading is refused). */
function authConfiguration(config: Config): AuthConfiguration {
  const auth = config.teamsAuth;
  return getAuthConfigWithDefaults(
    auth ? { clientId: auth.clientId, clientSecret: auth.clientSecret, tenantId: auth.tenantId } : {},
  );
}

/**
 * Microsoft Teams through the Microsoft 365 Agents SDK: messages in personal chats, group chats and channels
 * (@mention), welcome cards, 👍/👎 feedback (Action.Execute) and proactive messages. All Teams types stay here.
 * Production without Bot credentials and unauthenticated requests on a public HOST are refused by loadConfig.
 * With credentials every request's token is verified (401 AUTH_REJECTED otherwise); Lotse posts only to Teams
 * service hosts or loopback, and activities from other Entra tenants are refused (TENANT_FOREIGN).
 */
export function createTeamsAdapter(deps: TeamsDeps): TeamsAdapter {
  const { config, runtime, log } = deps;
  const now = deps.now ?? (() => new Date());
  const authConfig = authConfiguration(config);
  // The SDK merges variables of its own (clientId, Connections__…) into the configuration: they must not override ours.
  if ((authConfig.clientId || undefined) !== config.teamsAuth?.clientId)
    throw new LotseError(
      "CONFIG_INVALID",
      "Die Teams-Anmeldung würde Umgebungsvariablen des Agents SDK (clientId, tenantId, Connections__…) statt TEAMS_CLIENT_ID verwenden. Entfernen Sie diese Variablen; Lotse liest nur TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID.",
    );
  const policy = new ServiceUrlPolicy(config.teamsServiceHosts);
  // Both SDK checks are off by default: the serviceurl claim must name the activity's host, and a connector client
  // (which carries Lotse's token) is only created for an allowed host, for proactive messages too.
  const adapter = new CloudAdapter(authConfig, undefined, undefined, { validateServiceUrl: true }, policy);
  const tokens = new TokenHealth(log);
  tokens.watch(adapter, deps.accessToken);
  const appId = config.teamsAuth?.clientId ?? "anonymous";
  const notifier = new TeamsNotifier({ adapter, appId, conversations: runtime.conversations, log, policy });
  const onTurn = createTurnHandler({ config, runtime, log, tenantGuard: new TenantGuard(config), now });
  const auth = config.teamsAuth;
  const keys = auth ? (deps.signingKeys ?? remoteSigningKeys(auth.tenantId)) : undefined;

  adapter.onTurnError = async (ctx, err) => {
    const e = toLotseError(err);
    log.error({ err: e, code: e.code, conversation: ctx.activity.conversation?.id }, "teams turn failed");
  };

  /** Verifies the bearer token before the body is read; the local trial (no credentials) is anonymous. */
  async function authenticate(req: Request, _res: Response, next: NextFunction): Promise<void> {
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
      const reason = err instanceof TokenRejected ? err.reason : "claims";
      next(new LotseError("AUTH_REJECTED", `Teams request refused: ${reason}`, { details: { reason } }));
    }
  }

  /** Refuses an announced body over the limit before reading it (the app then closes the connection). */
  function limitBody(req: Request, _res: Response, next: NextFunction): void {
    if (Number(req.headers["content-length"]) > BODY_LIMIT_BYTES)
      next(new LotseError("PAYLOAD_TOO_LARGE", "Teams activity too large"));
    else next();
  }

  function parseError(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
    if (err instanceof LotseError) next(err);
    else if ((err as { type?: unknown }).type === "entity.too.large")
      next(new LotseError("PAYLOAD_TOO_LARGE", "Teams activity too large", { cause: err }));
    else next(new LotseError("REQUEST_INVALID", "body is not valid JSON", { cause: err }));
  }

  async function handle(req: Request, res: Response, next: NextFunction): Promise<void> {
    const shape = activityShape.safeParse(req.body);
    if (!shape.success) {
      next(
        new LotseError(
          "REQUEST_INVALID",
          "not an activity: type, serviceUrl, conversation.id, from.id and recipient.id are required",
        ),
      );
      return;
    }
    try {
      // The SDK validates the activity only inside process() and a failure there would be a 500.
      Activity.fromObject(req.body);
    } catch (cause) {
      next(new LotseError("REQUEST_INVALID", "not a valid activity", { cause }));
      return;
    }
    const { serviceUrl, type } = shape.data;
    if (!policy.isAllowed(serviceUrl)) {
      // Nothing is posted there; the request is acknowledged like an activity Lotse has nothing to say to.
      log.warn(
        { code: "OUTBOUND_HOST_REFUSED", host: hostOf(serviceUrl), type },
        "activity refused: its serviceUrl is no Teams service host (TEAMS_SERVICE_HOSTS adds hosts)",
      );
      res.status(202).end();
      return;
    }
    const claim = (req as { user?: Record<string, unknown> }).user?.serviceurl;
    if (typeof claim === "string" && hostOf(claim)?.toLowerCase() !== hostOf(serviceUrl)?.toLowerCase()) {
      // A token issued for one service, replayed with another serviceUrl to collect Lotse's token there.
      next(
        new LotseError("AUTH_REJECTED", "serviceUrl does not match the token", {
          details: { reason: "serviceurl_mismatch" },
        }),
      );
      return;
    }
    try {
      await adapter.process(req as never, res as never, onTurn);
    } catch (err) {
      if (err instanceof LotseError && err.code === "TEAMS_AUTH_FAILED") {
        // Logged once by TokenHealth; Teams gets its 2xx (no retry, no "not delivered" on the user's message).
        if (!res.headersSent) res.status(202).end();
        return;
      }
      next(err);
    }
  }

  return {
    notifier,
    health: () => ({ teams: auth ? tokens.state : "local_trial" }),
    mount(app: Express) {
      app.post(
        "/api/messages",
        authenticate,
        limitBody,
        express.json({ limit: BODY_LIMIT_BYTES }),
        parseError,
        handle,
      );
    },
  };
}

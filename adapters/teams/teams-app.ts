import { Activity } from "@microsoft/agents-activity";
import { type AuthConfiguration, CloudAdapter, getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { Config } from "../../src/config.ts";
import type { Roster } from "../../src/core/roster.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { authenticator, serviceUrlRefusal } from "./request-auth.ts";
import { hostOf, ServiceUrlPolicy } from "./service-hosts.ts";
import { TeamsNotifier } from "./teams-notifier.ts";
import { TeamsRoster } from "./teams-roster.ts";
import { createTurnHandler } from "./teams-turn.ts";
import { type AccessTokenSource, type TeamsAuthState, TokenHealth } from "./token-health.ts";
import { remoteSigningKeys, type SigningKeys } from "./verify-token.ts";

export interface TeamsDeps {
  config: Config;
  runtime: Pick<Runtime, "core" | "tenancy" | "templates" | "conversations" | "notifiers" | "work" | "db"> & {
    /** The platforms' rosters (authorisation); the Teams one is registered here where the runtime has them. */
    rosters?: Map<Roster["platform"], Roster>;
  };
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
  roster: TeamsRoster;
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
 * Microsoft Teams through the Microsoft 365 Agents SDK, translation only: activities become Inbound for the
 * conversation core (to-inbound.ts), its replies become Adaptive Cards 1.5 (render-*.ts) delivered in the turn or as
 * the invoke's response (teams-turn.ts); proactive messages go through the TeamsNotifier, registered in
 * runtime.notifiers, and the TeamsRoster in runtime.rosters. All Teams types stay here.
 * Production without Bot credentials and unauthenticated requests on a public HOST are refused by loadConfig.
 * With credentials every request's token is verified (401 AUTH_REJECTED otherwise; 5xx TEAMS_AUTH_FAILED when Lotse
 * cannot fetch the signing keys); Lotse posts only to Teams service hosts (loopback only in the local trial or when
 * TEAMS_SERVICE_HOSTS names it), and activities the tenancy refuses get a polite refusal (TENANT_FOREIGN). While
 * shutting down, requests get 503 SHUTTING_DOWN; every turn runs as tracked work, so the database outlives it.
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
  const auth = config.teamsAuth;
  // The tenancy decides which Entra tenants are served; one built without the own tenant would serve them all.
  if (auth && runtime.tenancy.ownExternalTenant("teams") !== auth.tenantId.toLowerCase())
    throw new LotseError(
      "CONFIG_INVALID",
      "Teams with Bot credentials needs a tenancy that knows TEAMS_TENANT_ID (build it with Tenancy.fromConfig)",
    );
  const policy = new ServiceUrlPolicy({ extraHosts: config.teamsServiceHosts, anyLoopback: !auth });
  // Both SDK checks are off by default: the serviceurl claim must name the activity's host, and a connector client
  // (which carries Lotse's token) is only created for an allowed host, for proactive messages too.
  const adapter = new CloudAdapter(authConfig, undefined, undefined, { validateServiceUrl: true }, policy);
  const tokens = new TokenHealth(log);
  tokens.watch(adapter, deps.accessToken);
  const appId = config.teamsAuth?.clientId ?? "anonymous";
  const notifier = new TeamsNotifier({
    adapter,
    appId,
    conversations: runtime.conversations,
    db: runtime.db,
    log,
    policy,
    now,
  });
  // Features reach proactive Teams messages (reminders, onboarding) through the runtime's notifiers, and what Teams
  // says about a user (authorisation) through its rosters.
  runtime.notifiers.set("teams", notifier);
  const roster = new TeamsRoster();
  runtime.rosters?.set("teams", roster);
  const onTurn = createTurnHandler({ runtime, log, now });
  const keys = auth ? (deps.signingKeys ?? remoteSigningKeys(auth.tenantId)) : undefined;

  adapter.onTurnError = async (ctx, err) => {
    const e = toLotseError(err);
    log.error({ err: e, code: e.code, conversation: ctx.activity.conversation?.id }, "teams turn failed");
  };

  const shuttingDown = () =>
    new LotseError("SHUTTING_DOWN", "Lotse is shutting down; the Bot Connector may retry elsewhere");

  /** Refuses requests once shutdown began (kept-alive connections still bring them); the connection is closed. */
  function refuseWhileDraining(_req: Request, res: Response, next: NextFunction): void {
    if (runtime.work.accepting) next();
    else {
      res.set("Connection", "close");
      next(shuttingDown());
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
    const refusal = serviceUrlRefusal((req as { user?: Record<string, unknown> }).user, serviceUrl, {
      auth,
      policy,
    });
    if (refusal) {
      next(refusal);
      return;
    }
    // Checked again: reading the body and the keys may have taken a while.
    if (!runtime.work.accepting) {
      res.set("Connection", "close");
      next(shuttingDown());
      return;
    }
    try {
      // Tracked, so shutdown waits for the turn (its reply is posted inside the request) before closing the database.
      await runtime.work.track({ platform: "teams" }, (signal) =>
        adapter.process(req as never, res as never, (ctx) => onTurn(ctx, signal)),
      );
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
    roster,
    health: () => ({ teams: auth ? tokens.state : "local_trial" }),
    mount(app: Express) {
      app.post(
        "/api/messages",
        refuseWhileDraining,
        authenticator({ auth, keys, log }),
        limitBody,
        express.json({ limit: BODY_LIMIT_BYTES }),
        parseError,
        handle,
      );
    },
  };
}

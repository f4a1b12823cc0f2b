import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { type ErrorCode, httpStatus, toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Readiness } from "../runtime.ts";

/** A component's readiness: `ok: false` makes /readyz answer 503; `details` are shown either way. */
export type ReadinessCheck = () => Promise<{ ok: boolean; details: Record<string, unknown> }>;

export interface AppDeps {
  log: Logger;
  ready(): Promise<Readiness>;
  /** Further readiness checks (e.g. Teams: can Lotse get its token?), merged into /readyz. */
  readiness?: ReadinessCheck[];
  /** Adapters mount their routes here (Teams /api/messages, Slack /slack/events). */
  mount?: (app: Express) => void;
}

/** The short German message of an error body; the code says the rest. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  AUTH_REJECTED: "Die Anmeldung wurde abgelehnt.",
  PAYLOAD_TOO_LARGE: "Die Anfrage ist zu groß.",
};

/** The HTTP app: health endpoints plus whatever the adapters mount. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const r = await deps.ready();
    const extra = await Promise.all(
      (deps.readiness ?? []).map((check) =>
        check().catch(() => ({ ok: false, details: { check: "failed" } as Record<string, unknown> })),
      ),
    );
    const ok = r.ok && extra.every((e) => e.ok);
    res.status(ok ? 200 : 503).json({
      status: ok ? "ready" : r.stopping ? "stopping" : "not_ready",
      database: r.database,
      documents: r.documents,
      ...(r.database && r.documents === 0 && !r.stopping
        ? { hint: "no knowledge ingested: run `lotse ingest`" }
        : {}),
      ...Object.assign({}, ...extra.map((e) => e.details)),
    });
  });
  deps.mount?.(app);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: "NOT_FOUND", message: "Unbekannter Pfad." } });
  });
  // Errors become HTTP statuses in this one place.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toLotseError(err);
    const status = httpStatus(e);
    const reason = typeof e.details.reason === "string" ? { reason: e.details.reason } : {};
    // A rejected request is the client's fault: a warning with the code (and a reason category where there is
    // one), without the error text, which for a body that is not JSON would quote the body.
    if (status < 500) deps.log.warn({ code: e.code, path: req.path, ...reason }, "request rejected");
    // Refused while stopping: expected, and the platform retries elsewhere.
    else if (e.code === "SHUTTING_DOWN") deps.log.warn({ code: e.code, path: req.path }, "request refused");
    else deps.log.error({ err: e, code: e.code }, "request failed");
    // A body that was refused unread (too large, or before the token was checked) is still on the wire: on a kept-
    // alive connection it would be taken for the next request. Closing the connection discards it.
    if (status === 413 || !req.complete) res.set("Connection", "close");
    res.status(status).json({
      error: { code: e.code, message: MESSAGES[e.code] ?? "Die Anfrage konnte nicht verarbeitet werden." },
    });
  });
  return app;
}

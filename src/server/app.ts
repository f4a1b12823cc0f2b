import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { httpStatus, toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";

export interface AppDeps {
  log: Logger;
  ready(): Promise<{ ok: boolean; database: boolean; documents: number }>;
  /** Adapters mount their routes here (Teams /api/messages, Slack /slack/events). */
  mount?: (app: Express) => void;
}

/** The HTTP app: health endpoints plus whatever the adapters mount. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const r = await deps.ready();
    res
      .status(r.ok ? 200 : 503)
      .json({ status: r.ok ? "ready" : "not_ready", database: r.database, documents: r.documents });
  });
  deps.mount?.(app);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: "NOT_FOUND", message: "Unbekannter Pfad." } });
  });
  // Errors become HTTP statuses in this one place.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toLotseError(err);
    // A rejected request is the client's fault: a warning with the code, without the error text, which for a body
    // that is not JSON would quote the body.
    if (httpStatus(e) < 500) deps.log.warn({ code: e.code, path: req.path }, "request rejected");
    else deps.log.error({ err: e, code: e.code }, "request failed");
    res
      .status(httpStatus(e))
      .json({ error: { code: e.code, message: "Die Anfrage konnte nicht verarbeitet werden." } });
  });
  return app;
}

import type { Server } from "node:http";
import type { Express } from "express";
import type { Logger } from "../log.ts";

/** Listens and resolves with the server once the port is bound. */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}

/** Stops accepting connections on SIGTERM/SIGINT, lets running requests finish, then runs cleanup. */
export function shutdownOnSignals(
  server: Server,
  log: Logger,
  cleanup: () => Promise<void>,
  graceMs = 10_000,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      log.warn("grace period over, closing open connections");
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    server.close(async () => {
      try {
        await cleanup();
        log.info("stopped");
        process.exitCode = 0;
      } catch (err) {
        log.error({ err }, "cleanup failed");
        process.exitCode = 1;
      }
    });
    server.closeIdleConnections();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

import type { Server } from "node:http";
import type { Express } from "express";
import type { WorkLabel, WorkTracker } from "../core/work-tracker.ts";
import { toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** Listens and resolves with the server once the port is bound. */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}

/** What a graceful shutdown stops, waits for and closes, in this order. */
export interface ShutdownSteps {
  /** Acknowledged work (answers being composed and posted). */
  work: WorkTracker;
  /** How long to wait for that work and for running HTTP requests (LOTSE_SHUTDOWN_GRACE_S). */
  graceMs: number;
  /** How long aborted work gets to post its notice after the grace period (default ABORT_GRACE_MS). */
  abortGraceMs?: number;
  /** Stops sources that are not HTTP requests (Slack Socket Mode), so no new work arrives. */
  stopSources?: () => Promise<void>;
  /**
   * Gives up the event claims of work that did not even settle after its abort (a platform retry, where one comes,
   * is then answered by another replica instead of being dropped as a duplicate).
   */
  release: (unfinished: WorkLabel[]) => Promise<void>;
  /** Closes the database; runs only after the work has finished or was released. */
  close: () => Promise<void>;
}

export interface ShutdownOutcome {
  /** Work aborted when the grace period ended (it posted a notice instead of its answer). */
  aborted: number;
  /** Aborted work that had not settled even then (its claims were released). */
  unfinished: number;
  ok: boolean;
}

/**
 * Graceful shutdown: stop taking work (new HTTP connections, new events: the adapters answer 503 once the tracker
 * stops accepting), finish what was acknowledged within the grace period, abort what could not be finished (it
 * tells its user to ask again), and only then close the database. Closing it first would turn every acknowledged
 * question into an apology.
 */
export async function shutdown(server: Server, log: Logger, steps: ShutdownSteps): Promise<ShutdownOutcome> {
  const started = Date.now();
  const remaining = () => Math.max(0, steps.graceMs - (Date.now() - started));
  const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Kept-alive connections become idle after their last response; close them as they do, not at the deadline.
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  idleSweep.unref();
  let ok = true;
  try {
    await steps.stopSources?.().catch((err: unknown) => {
      ok = false;
      log.error({ err: toLotseError(err), code: "INTERNAL" }, "stopping an event source failed");
    });
    const drained = await steps.work.drain(remaining(), steps.abortGraceMs);
    if (drained.aborted.length > 0)
      log.warn(
        { code: "SHUTTING_DOWN", aborted: drained.aborted.length, graceMs: steps.graceMs },
        "grace period over: unfinished answers aborted, their users asked to ask again",
      );
    // Requests still open (a Teams turn waits for its reply inside the request) get what is left of the period.
    const httpDone = await Promise.race([
      httpClosed.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), remaining()).unref()),
    ]);
    if (!httpDone) {
      log.warn({ code: "SHUTTING_DOWN" }, "grace period over, closing open connections");
      server.closeAllConnections();
    }
    if (drained.unfinished.length > 0) {
      log.warn(
        { code: "SHUTTING_DOWN", unfinished: drained.unfinished.length },
        "aborted work did not settle: its claims released",
      );
      await steps.release(drained.unfinished).catch((err: unknown) => {
        ok = false;
        log.error({ err: toLotseError(err), code: "INTERNAL" }, "releasing unfinished work failed");
      });
    }
    await steps.close().catch((err: unknown) => {
      ok = false;
      log.error({ err: toLotseError(err), code: "INTERNAL" }, "closing the database failed");
    });
    return { aborted: drained.aborted.length, unfinished: drained.unfinished.length, ok };
  } finally {
    clearInterval(idleSweep);
  }
}

/**
 * Runs the graceful shutdown on SIGTERM/SIGINT and ends the process: at once when aborted work did not settle (it
 * must not post after its claim was released), otherwise when nothing keeps the event loop busy any more.
 */
export function shutdownOnSignals(server: Server, log: Logger, steps: ShutdownSteps): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, running: steps.work.size, graceMs: steps.graceMs }, "shutting down");
    void shutdown(server, log, steps).then((outcome) => {
      log.info({ aborted: outcome.aborted, unfinished: outcome.unfinished }, "stopped");
      process.exitCode = outcome.ok ? 0 : 1;
      if (outcome.unfinished > 0) process.exit();
      // Nothing should be left running; a stray handle must not keep a stopped server alive.
      setTimeout(() => process.exit(), 2000).unref();
    });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

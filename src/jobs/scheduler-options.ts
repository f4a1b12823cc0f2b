import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Clock, JobHandler } from "./job.ts";
import type { Pacer, Pacing } from "./pacer.ts";

/** How a Scheduler runs; every field but db, handlers and log has a default. */
export interface SchedulerOptions {
  db: Database;
  handlers: JobHandler[];
  log: Logger;
  clock?: Clock;
  instanceId?: string;
  /** Idle polling interval of start(); default 15 s. */
  pollMs?: number;
  /** A claimed job not finished by then may be claimed again (crashed replica); default 120 s. */
  leaseMs?: number;
  /** Claimed per round; also the most this instance holds claimed at once. Default 100. */
  batchSize?: number;
  /** Jobs running at once in this instance (different lanes in parallel, one lane in order); default 16. */
  concurrency?: number;
  /** Default 5. */
  maxAttempts?: number;
  /** Delay before the next try after `attempt` failed ones; default 30 s · 2^(attempt−1), capped at 1 h, ± 20 %. */
  backoffMs?: (attempt: number) => number;
  /** Run more than this after dueAt → ctx.late; default 120 s. */
  lateAfterMs?: number;
  /** Per-lane and per-tenant rate limits; default PLATFORM_PACING. */
  pacing?: Pacing;
  /** Instead of `pacing`: a pacer with its own time (tests). */
  pacer?: Pacer;
  /** How long stop() lets running jobs finish before aborting their signal; default 2 s. */
  stopGraceMs?: number;
}

/** What one tick or runDue did. */
export interface TickSummary {
  claimed: number;
  done: number;
  retried: number;
  waited: number;
  failed: number;
  skipped: number;
}

/** A summary of nothing done yet. */
export const emptySummary = (): TickSummary => ({
  claimed: 0,
  done: 0,
  retried: 0,
  waited: 0,
  failed: 0,
  skipped: 0,
});

/** 30 s · 2^(attempt−1), capped at 1 h, ± 20 % so that many failed jobs do not return at the same instant. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

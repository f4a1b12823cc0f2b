import type { Queryable } from "../db/database.ts";

/** A unit of background work as the scheduler hands it to its kind's handler (a row of `jobs`). */
export interface Job {
  id: string;
  kind: string;
  key: string;
  tenant: string;
  subject?: string;
  lane?: string;
  /** The occurrence itself. */
  dueAt: Date;
  payload: Record<string, unknown>;
  /** Attempts made before this one. */
  attempts: number;
}

/** Work to plan: inserted once per (kind, key) — planning the same occurrence again does nothing. */
export interface NewJob {
  kind: string;
  key: string;
  tenant: string;
  subject?: string;
  lane?: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
}

/** What became of one run. */
export type JobResult =
  /** Done (delivered, or nothing left to do); `next` is planned in the same transaction that marks this one done. */
  | { kind: "done"; outcome?: string; next?: NewJob[] }
  /** A platform asked to wait: run again after `afterMs`, without counting an attempt (nothing is dropped). */
  | { kind: "wait"; afterMs: number }
  /** A failure worth retrying: counts an attempt; backoff grows; after the last attempt the job is `failed`. */
  | { kind: "retry"; outcome: string }
  /** Will never succeed (the target is gone, the reminder was deleted): `failed`, with `next` planned if any. */
  | { kind: "failed"; outcome: string; next?: NewJob[] };

/** What a run knows besides the job. */
export interface RunContext {
  now: Date;
  /** Later than the lateness threshold after dueAt (delivered "verspätet, fällig war …"). */
  late: boolean;
  /** This is the last attempt the scheduler will make (a failure now marks the job failed). */
  lastAttempt: boolean;
  /** Aborted when the scheduler stops or this instance lost the claim (lease not renewed): stop early, return retry/wait. */
  signal: AbortSignal;
}

/**
 * A kind of background work a feature registers with the scheduler (reminder occurrence, deadline notice, later
 * onboarding nudge, weekly digest, retention clean-up). Handlers never throw on purpose: an exception counts as
 * `retry` with outcome INTERNAL.
 */
export interface JobHandler {
  readonly kind: string;
  /** Beyond this many ms after dueAt an occurrence is skipped, not run (absent: never skipped). */
  readonly graceMs?: number;
  run(job: Job, ctx: RunContext): Promise<JobResult>;
  /**
   * Called when an occurrence is skipped beyond the grace window or finally failed, inside the transaction that
   * marks it, so the next occurrence is planned with it (and the owner can record the mark). Returns what to plan.
   */
  settled?(
    job: Job,
    how: { status: "skipped" | "failed"; outcome: string; now: Date },
    tx: Queryable,
  ): Promise<NewJob[]>;
}

/** The clock the scheduler runs on; tests and `run-due --now` pass a fixed or fake one. */
export interface Clock {
  now(): Date;
}

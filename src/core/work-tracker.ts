import { LotseError } from "../errors.ts";
import type { Platform } from "./inbound.ts";

/** What a piece of acknowledged work answers: the event it came from, so shutdown can release an unfinished one. */
export interface WorkLabel {
  platform: Platform;
  /** The platform's event id where the work was claimed in event_claims (Slack event_id). */
  eventId?: string;
}

/**
 * Work that was acknowledged to a platform but is not finished yet (an answer being composed and posted). Shutdown
 * stops taking new work, waits for the running work within a grace period, and only then closes the database; what
 * is still running then is reported, so its event claim can be released for a retry or another replica.
 */
export class WorkTracker {
  private readonly running = new Map<Promise<unknown>, WorkLabel>();
  private closed = false;

  /** False once shutdown began: new work must be refused (HTTP 503, so the platform retries elsewhere). */
  get accepting(): boolean {
    return !this.closed;
  }

  /** How much work is running right now. */
  get size(): number {
    return this.running.size;
  }

  /** Runs work and keeps track of it until it settles; refuses with SHUTTING_DOWN once shutdown began. */
  async track<T>(label: WorkLabel, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new LotseError("SHUTTING_DOWN", "Lotse is shutting down; new work is refused");
    const p = work();
    this.running.set(p, label);
    try {
      return await p;
    } finally {
      this.running.delete(p);
    }
  }

  /** Stops taking work and waits for what runs, at most graceMs; returns the labels of what did not finish. */
  async drain(graceMs: number): Promise<{ finished: boolean; unfinished: WorkLabel[] }> {
    this.closed = true;
    if (this.running.size === 0) return { finished: true, unfinished: [] };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), graceMs);
    });
    // Work started while draining (a handler that was already past its check) is waited for too.
    const settleAll = async (): Promise<"done"> => {
      while (this.running.size > 0) await Promise.allSettled([...this.running.keys()]);
      return "done";
    };
    const outcome = await Promise.race([settleAll(), timeout]);
    clearTimeout(timer);
    return outcome === "done"
      ? { finished: true, unfinished: [] }
      : { finished: false, unfinished: [...this.running.values()] };
  }
}

import { LotseError } from "../errors.ts";
import type { Platform } from "./inbound.ts";

/** What a piece of acknowledged work answers: the event it came from, so shutdown can release an unfinished one. */
export interface WorkLabel {
  platform: Platform;
  /** The platform's event id where the work was claimed in event_claims (Slack event_id). */
  eventId?: string;
}

/** How long aborted work gets to post its "please ask again" notice before shutdown goes on. */
export const ABORT_GRACE_MS = 2000;

/**
 * Work that was acknowledged to a platform but is not finished yet (an answer being composed and posted). Shutdown
 * stops taking new work, waits for the running work within a grace period, and only then closes the database. Work
 * still running then is aborted through its signal: a platform does not deliver an acknowledged event again, so the
 * work must not go silent — it posts a short notice instead of its answer (and never the answer after the notice).
 */
export class WorkTracker {
  private readonly running = new Map<Promise<unknown>, { label: WorkLabel; abort: AbortController }>();
  private closed = false;

  /** False once shutdown began: new work must be refused (HTTP 503, so the platform retries elsewhere). */
  get accepting(): boolean {
    return !this.closed;
  }

  /** How much work is running right now. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Runs work and keeps track of it until it settles; refuses with SHUTTING_DOWN once shutdown began. The signal is
   * aborted when the grace period ends: check it before posting an answer.
   */
  async track<T>(label: WorkLabel, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closed) throw new LotseError("SHUTTING_DOWN", "Lotse is shutting down; new work is refused");
    const abort = new AbortController();
    const p = work(abort.signal);
    this.running.set(p, { label, abort });
    try {
      return await p;
    } finally {
      this.running.delete(p);
    }
  }

  /**
   * Stops taking work and waits for what runs, at most graceMs; then aborts what still runs and waits abortGraceMs
   * more for it to post its notice. Returns the labels of the aborted work and of what had not settled even then.
   */
  async drain(
    graceMs: number,
    abortGraceMs = ABORT_GRACE_MS,
  ): Promise<{ finished: boolean; aborted: WorkLabel[]; unfinished: WorkLabel[] }> {
    this.closed = true;
    if (await this.settled(graceMs)) return { finished: true, aborted: [], unfinished: [] };
    const aborted = [...this.running.values()];
    for (const w of aborted) w.abort.abort(new LotseError("SHUTTING_DOWN", "grace period over"));
    await this.settled(abortGraceMs);
    return {
      finished: false,
      aborted: aborted.map((w) => w.label),
      unfinished: [...this.running.values()].map((w) => w.label),
    };
  }

  /** Whether all running work settled within ms (work started meanwhile is waited for too). */
  private async settled(ms: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const all = async (): Promise<true> => {
      while (this.running.size > 0) await Promise.allSettled([...this.running.keys()]);
      return true;
    };
    const outcome = await Promise.race([all(), timeout]);
    clearTimeout(timer);
    return outcome;
  }
}

import type { Queryable } from "../db/database.ts";
import type { Logger } from "../log.ts";

interface Held {
  at: () => Date;
  lost: AbortController;
}

/**
 * Renews the leases of the jobs this instance holds, every leaseMs/3 while it holds any: a handler may run longer
 * than the lease (an HTTP client without a timeout), and another replica must not claim the job meanwhile and post it
 * again. One statement per renewal for all held jobs. A job whose claim is found lost (it expired anyway, someone
 * else took it) has its `lost` signal aborted, so its handler stops early and it is not started.
 */
export class LeaseKeeper {
  private readonly held = new Map<string, Held>();
  private timer?: NodeJS.Timeout;
  private renewing = false;
  private readonly db: Queryable;
  private readonly me: string;
  private readonly leaseMs: number;
  private readonly log: Logger;

  constructor(db: Queryable, me: string, leaseMs: number, log: Logger) {
    this.db = db;
    this.me = me;
    this.leaseMs = leaseMs;
    this.log = log;
  }

  /** Keeps the claim of job `id` (claimed at `at()`) until release(id); the signal aborts when the claim is lost. */
  hold(id: string, at: () => Date): AbortSignal {
    const lost = new AbortController();
    this.held.set(id, { at, lost });
    this.timer ??= setInterval(() => void this.renew(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
    return lost.signal;
  }

  /** The job is settled (or given back): its lease is no longer renewed. */
  release(id: string): void {
    this.held.delete(id);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** One renewal round (also called by the timer): extends every held lease from its clock's now. */
  async renew(): Promise<void> {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = true;
    try {
      // Jobs held from tick(now) and start() may run on different clocks: one statement per clock.
      const byClock = new Map<() => Date, string[]>();
      for (const [id, h] of this.held) byClock.set(h.at, [...(byClock.get(h.at) ?? []), id]);
      for (const [at, ids] of byClock) {
        const r = await this.db.query<{ job_id: string | number }>(
          `UPDATE jobs SET locked_until = $1::timestamptz + $2::double precision * interval '1 millisecond'
           WHERE job_id = ANY($3::bigint[]) AND locked_by = $4 AND status = 'running' RETURNING job_id`,
          [at().toISOString(), this.leaseMs, ids, this.me],
        );
        const kept = new Set(r.rows.map((row) => String(row.job_id)));
        for (const id of ids) {
          const h = this.held.get(id);
          // Released meanwhile (settled): not lost, just done.
          if (!h || kept.has(id)) continue;
          this.log.warn({ event: "job_lease_lost", job: id }, "another instance owns this job now");
          h.lost.abort();
          this.release(id);
        }
      }
    } catch (err) {
      // The lease is still good for two more renewals: try again with the next.
      this.log.error({ event: "job_lease_renewal_failed", err }, "renewing job leases failed");
    } finally {
      this.renewing = false;
    }
  }

  /** Stops renewing (the scheduler waited for its jobs). */
  close(): void {
    this.held.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

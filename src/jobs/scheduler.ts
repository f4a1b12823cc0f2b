import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Clock, Job, JobHandler } from "./job.ts";
import { claimJobs } from "./job-claims.ts";
import { type Finish, finishJob } from "./job-finish.ts";
import { LeaseKeeper } from "./lease-keeper.ts";
import { Pacer, PLATFORM_PACING } from "./pacer.ts";
import {
  defaultBackoff,
  emptySummary,
  type SchedulerOptions,
  type TickSummary,
} from "./scheduler-options.ts";
import { Slots } from "./slots.ts";

export { defaultBackoff, type SchedulerOptions, type TickSummary } from "./scheduler-options.ts";

/** Jobs of one lane per claim: a few, so one busy channel does not starve the others. */
const LANE_SHARE = 3;
/** A pacer wait longer than this (a Retry-After) gives the claim back with a later run_at instead of sleeping. */
const MAX_PACE_WAIT_MS = 5_000;
/** Part of the lease a job may still start in; the rest is the handler's time to return after its signal aborts. */
const LEASE_USABLE = 0.75;
/** A claim takes of one tenant's paced work only what its pacer can start within this (ms): the rest stays for others. */
const FAIR_HORIZON_MS = 2_000;
/** While jobs run, claims come at most this often (ms): finished jobs and ready lanes are gathered into one claim. */
const CLAIM_GAP_MS = 100;
/** Looking for kinds no handler here knows scans the due rows: now and then only. */
const UNKNOWN_CHECK_MS = 600_000;

/** Each job is processed as a link in its lane's chain; a lane-less job is a lane of its own. */
const laneOf = (job: Job): string => job.lane ?? `\u0000${job.id}`;

/**
 * The one scheduler: claims due jobs from PostgreSQL (any number of replicas share the table) and runs them through
 * their kind's handler, paced per lane and tenant. Pacing is per process: two replicas may together exceed a lane's
 * rate; the platform then answers 429 and the handler returns `wait`, which holds the lane back here too.
 */
export class Scheduler {
  private readonly db: Database;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly me: string;
  private readonly handlers: Map<string, JobHandler>;
  private readonly pacer: Pacer;
  private readonly slots: Slots;
  /** A Slack channel (one a second) gets one job per claim, a Teams conversation (burst 7) a few. */
  private readonly laneShares: Record<string, number>;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly lateAfterMs: number;
  private readonly stopGraceMs: number;
  /** The last link of each lane's chain; a lane listed here is not claimed again until its chain is done. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly unknownLogged = new Set<string>();
  private readonly leases: LeaseKeeper;
  /** Jobs held per tenant pacing group ("teams:musterstadt"): what the pacer has yet to let through. */
  private readonly heldByGroup = new Map<string, number>();
  private readonly tenantIntervals: Record<string, number>;
  private readonly laneIntervals: Record<string, number>;
  private lastUnknownCheck = Number.NEGATIVE_INFINITY;
  private loop?: Promise<void>;
  private stopping = false;
  /** Aborted at stop(): jobs not started yet are given back at once. */
  private halt = new AbortController();
  /** Aborted stopGraceMs later: running handlers should return. */
  private abort = new AbortController();
  private woken = false;
  private readonly bells = new Set<() => void>();

  constructor(opts: SchedulerOptions) {
    this.db = opts.db;
    this.log = opts.log;
    this.clock = opts.clock ?? { now: () => new Date() };
    this.me = opts.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    this.handlers = new Map(opts.handlers.map((h) => [h.kind, h]));
    this.pacer = opts.pacer ?? new Pacer(opts.pacing ?? PLATFORM_PACING);
    this.slots = new Slots(opts.concurrency ?? 16);
    this.laneShares = this.pacer.laneShares(LANE_SHARE);
    this.pollMs = opts.pollMs ?? 15_000;
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.batchSize = opts.batchSize ?? 100;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.backoffMs = opts.backoffMs ?? defaultBackoff;
    this.lateAfterMs = opts.lateAfterMs ?? 120_000;
    this.stopGraceMs = opts.stopGraceMs ?? 2_000;
    this.leases = new LeaseKeeper(this.db, this.me, this.leaseMs, this.log);
    this.tenantIntervals = this.pacer.tenantIntervals();
    this.laneIntervals = this.pacer.laneIntervals();
  }

  /** Runs continuously (real timers): claims due work, sleeps until the next due job or pollMs, whichever is sooner. */
  start(): void {
    if (this.loop) return;
    this.loop = this.drive(() => this.clock.now(), true, emptySummary()).catch((err) => {
      this.log.error({ event: "scheduler_stopped", err }, "scheduler loop ended by an error");
    });
  }

  /**
   * Stops claiming, gives back jobs not started yet, lets running ones finish for stopGraceMs, then aborts their
   * signal and waits for them. Given back means pending again (locked_by and locked_until cleared, the attempt not
   * counted), so another replica or the next start takes them at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.halt.abort();
    this.ring();
    const settled = () => Promise.allSettled([...this.inflight, ...(this.loop ? [this.loop] : [])]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled(), new Promise((r) => (timer = setTimeout(r, this.stopGraceMs)))]);
    clearTimeout(timer);
    this.abort.abort();
    await settled();
    this.leases.close();
    // Usable again: a later start() or tick() claims afresh.
    this.loop = undefined;
    this.stopping = false;
    this.halt = new AbortController();
    this.abort = new AbortController();
  }

  /** One claim-and-run round at `now` (default clock.now()). */
  async tick(now?: Date): Promise<TickSummary> {
    const at = now ? () => now : () => this.clock.now();
    const summary = emptySummary();
    if (this.stopping) return summary;
    const claim = await this.claim(at(), this.batchSize, false);
    await Promise.all(claim.jobs.map((job) => this.dispatch(job, at, summary)));
    return summary;
  }

  /** Rounds at `now` until nothing due at `now` is left to run now (waits and backoffs in the future are left). */
  async runDue(now?: Date): Promise<TickSummary> {
    const summary = emptySummary();
    const fixed = now ?? this.clock.now();
    await this.drive(() => fixed, false, summary);
    return summary;
  }

  /** Something was planned sooner than the next wake-up: look again now. */
  wake(): void {
    this.woken = true;
    this.ring();
  }

  /**
   * Claims whenever fewer than half a batch is in hand, so lanes keep flowing while others are paced; in `forever`
   * mode sleeps when nothing is due, otherwise returns once nothing due at `at()` is left.
   */
  private async drive(at: () => Date, forever: boolean, summary: TickSummary): Promise<void> {
    const low = Math.floor(this.batchSize / 2);
    let patient = true;
    let lastClaim = Number.NEGATIVE_INFINITY;
    while (!this.stopping) {
      if (this.inflight.size > low) {
        await this.wait(this.pollMs);
        continue;
      }
      if (forever && this.inflight.size > 0) await this.pause(CLAIM_GAP_MS - (performance.now() - lastClaim));
      this.woken = false;
      lastClaim = performance.now();
      let claim: Awaited<ReturnType<Scheduler["claim"]>>;
      try {
        claim = await this.claim(at(), this.batchSize - this.inflight.size, patient);
        patient = true;
      } catch (err) {
        if (!forever) throw err;
        this.log.error({ event: "job_claim_failed", err }, "claiming due jobs failed; trying again later");
        await this.wait(this.pollMs);
        continue;
      }
      for (const job of claim.jobs) void this.dispatch(job, at, summary);
      if (claim.jobs.length > 0) continue;
      if (this.inflight.size > 0 && !forever) {
        // A fixed instant: lanes at work may hold more due jobs, and their results may plan some.
        while (this.inflight.size > 0 && !this.woken && !this.stopping) await this.wait(this.pollMs);
        continue;
      }
      if (this.inflight.size > 0) {
        // Claim again when a job is done (its lane and slot free), the next job is due or a paced lane is ready —
        // not only once all are done, so one slow delivery does not hold up the other lanes.
        const untilNext = claim.next ? claim.next.getTime() - at().getTime() : Number.POSITIVE_INFINITY;
        const ready = this.pacer.readyIn() ?? Number.POSITIVE_INFINITY;
        if (!this.woken) await this.wait(Math.max(1, Math.min(this.pollMs, untilNext, ready)));
        continue;
      }
      if (claim.leftUnready) {
        // Only lanes paced for a moment have due work: take it anyway, to wait in the pacer.
        patient = false;
        continue;
      }
      if (!forever) return;
      if (this.woken) continue;
      const untilNext = claim.next ? claim.next.getTime() - at().getTime() : Number.POSITIVE_INFINITY;
      await this.wait(Math.max(1, Math.min(this.pollMs, untilNext)));
    }
  }

  /**
   * Claims up to `limit`, leaving out lanes this instance still works on and, when `patient`, lanes its pacer holds
   * back right now, so the claim goes to lanes that can be served at once.
   */
  private async claim(now: Date, limit: number, patient: boolean) {
    const findUnknownKinds = performance.now() - this.lastUnknownCheck >= UNKNOWN_CHECK_MS;
    if (findUnknownKinds) this.lastUnknownCheck = performance.now();
    const excludeLanes = [...this.tails.keys()].filter((l) => !l.startsWith("\u0000"));
    const unready = patient ? this.pacer.unready() : [];
    if (unready.length > 0) excludeLanes.push(...unready);
    const claim = await claimJobs(this.db, {
      now,
      me: this.me,
      leaseMs: this.leaseMs,
      kinds: [...this.handlers.keys()],
      limit: Math.max(1, limit),
      perLane: LANE_SHARE,
      perLaneOf: this.laneShares,
      excludeLanes,
      findUnknownKinds,
      fairness: {
        tenantIntervalMs: this.tenantIntervals,
        laneIntervalMs: this.laneIntervals,
        backlogMs: Object.fromEntries(
          [...this.heldByGroup].map(([g, n]) => [
            g,
            n * (this.tenantIntervals[g.split(":", 1)[0] ?? ""] ?? 0),
          ]),
        ),
        horizonMs: FAIR_HORIZON_MS,
      },
    });
    for (const kind of claim.unknownKinds) {
      if (this.unknownLogged.has(kind)) continue;
      this.unknownLogged.add(kind);
      this.log.warn(
        { event: "job_kind_unknown", kind },
        "due jobs of a kind without a handler here are left",
      );
    }
    return { ...claim, leftUnready: unready.length > 0 };
  }

  /** Appends the job to its lane's chain; resolves when it is processed. */
  private dispatch(job: Job, at: () => Date, summary: TickSummary): Promise<void> {
    summary.claimed++;
    const claimedAt = performance.now();
    const lane = laneOf(job);
    const lost = this.leases.hold(job.id, at);
    const group = this.groupOf(job);
    if (group) this.heldByGroup.set(group, (this.heldByGroup.get(group) ?? 0) + 1);
    const p = (this.tails.get(lane) ?? Promise.resolve())
      .then(() => this.process(job, claimedAt, at, summary, lost))
      .catch((err) => {
        // The claim is left to expire: another run takes the job after its lease.
        this.log.error(
          { event: "job_process_failed", kind: job.kind, key: job.key, err },
          "processing a job failed",
        );
      });
    this.tails.set(lane, p);
    this.inflight.add(p);
    void p.finally(() => {
      this.leases.release(job.id);
      if (group) {
        const left = (this.heldByGroup.get(group) ?? 1) - 1;
        if (left > 0) this.heldByGroup.set(group, left);
        else this.heldByGroup.delete(group);
      }
      this.inflight.delete(p);
      if (this.tails.get(lane) === p) this.tails.delete(lane);
      this.ring();
    });
    return p;
  }

  /** The tenant pacing group of a job of a platform paced per tenant, else undefined. */
  private groupOf(job: Job): string | undefined {
    const platform = job.lane?.split(":", 1)[0];
    return platform !== undefined && platform in this.tenantIntervals
      ? `${platform}:${job.tenant}`
      : undefined;
  }

  private async process(
    job: Job,
    claimedAt: number,
    at: () => Date,
    summary: TickSummary,
    lost: AbortSignal,
  ): Promise<void> {
    // The claim query asked only for kinds with a handler.
    const handler = this.handlers.get(job.kind) as JobHandler;
    const deadline = claimedAt + this.leaseMs * LEASE_USABLE;
    const finish = (f: Finish) => finishJob(this.finishContext(summary), job, handler, f);
    if (this.stopping) return finish({ kind: "release" });
    // Another instance owns it now: it must not run here too (and there is nothing of ours to finish).
    if (lost.aborted) return;
    const now = at();
    if (handler.graceMs !== undefined && now.getTime() - job.dueAt.getTime() > handler.graceMs)
      return finish({ kind: "skip", now });
    const paceWait = this.pacer.wouldWait(job.lane, job.tenant);
    if (paceWait > MAX_PACE_WAIT_MS)
      return finish({ kind: "defer", runAt: new Date(now.getTime() + paceWait) });
    try {
      await this.pacer.take(job.lane, job.tenant, this.halt.signal);
    } catch {
      return finish({ kind: "release" });
    }
    await this.slots.acquire();
    try {
      // A job that waited so long its lease is nearly gone is given back rather than risk a second run elsewhere.
      if (lost.aborted) return;
      if (this.stopping || performance.now() >= deadline) return await finish({ kind: "release" });
      const started = at();
      const ctx = {
        now: started,
        late: started.getTime() - job.dueAt.getTime() > this.lateAfterMs,
        lastAttempt: job.attempts + 1 >= this.maxAttempts,
        signal: AbortSignal.any([this.abort.signal, lost]),
      };
      let result: Awaited<ReturnType<JobHandler["run"]>>;
      try {
        result = await handler.run(job, ctx);
      } catch (err) {
        this.log.error({ event: "job_error", kind: job.kind, key: job.key, err }, "job handler threw");
        result = { kind: "retry", outcome: "INTERNAL" };
      }
      await finish({ kind: "result", result, late: ctx.late, now: at() });
    } finally {
      this.slots.release();
    }
  }

  private finishContext(summary: TickSummary) {
    return {
      db: this.db,
      me: this.me,
      log: this.log,
      pacer: this.pacer,
      maxAttempts: this.maxAttempts,
      backoffMs: this.backoffMs,
      summary,
    };
  }

  /** Resolves on the next ring (a job done, wake, stop) or after ms. */
  private wait(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.bells.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.bells.add(done);
    });
  }

  /** Sleeps ms (if positive), ended early only by stop(). */
  private async pause(ms: number): Promise<void> {
    if (ms < 1 || this.stopping) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.halt.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }

  private ring(): void {
    for (const b of [...this.bells]) b();
  }
}

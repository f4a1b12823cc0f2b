import { setTimeout as delay } from "node:timers/promises";

/** A token bucket: `perSecond` on average, up to `burst` at once. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** Rates keyed by the lane's platform prefix ("slack" for "slack:C0123", "teams" for "teams:19:…"). */
export interface Pacing {
  /** Per lane (one conversation). */
  lane?: Record<string, Rate>;
  /** Per platform and tenant together (Teams limits an app per tenant). */
  tenant?: Record<string, Rate>;
}

/**
 * The platforms' published limits: Slack chat.postMessage about one message per second per channel; Teams 7 per
 * second per conversation and 50 per second per app and tenant. Slack counts a strict one-second window, so two posts
 * a second apart here can arrive within one there (network jitter): a Slack channel is paced to one per 1.1 s.
 */
export const PLATFORM_PACING: Pacing = {
  lane: { slack: { perSecond: 1 / 1.1, burst: 1 }, teams: { perSecond: 7, burst: 7 } },
  tenant: { teams: { perSecond: 50, burst: 50 } },
};

interface Bucket {
  /** GCRA's theoretical arrival time (ms): a take at t conforms when t ≥ tat − tolerance. */
  tat: number;
  /** A platform's Retry-After: nothing goes before this (ms). */
  blockedUntil: number;
}

/** Buckets beyond this many are pruned of those that are back to full. */
const PRUNE_ABOVE = 10_000;

/**
 * Paces deliveries per lane and per tenant in this process (GCRA, with reservations so concurrent takers queue in
 * order). Real time, not the scheduler's clock: a fixed `run-due --now` instant must still be paced.
 */
export class Pacer {
  private readonly pacing: Pacing;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    pacing: Pacing,
    opts: { now?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
  ) {
    this.pacing = pacing;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  }

  /** Waits until one more delivery into `lane` (and its tenant) is allowed, and counts it. No lane: not paced. */
  async take(lane: string | undefined, tenant: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.now();
    const ms = this.startOf(lane, tenant, now, true) - now;
    // Below a millisecond is float noise of the bucket arithmetic, not a wait.
    if (ms >= 1) await this.sleep(ms, signal);
  }

  /** How long take() would wait now (ms), without counting anything. */
  wouldWait(lane: string | undefined, tenant: string): number {
    const now = this.now();
    const ms = this.startOf(lane, tenant, now, false) - now;
    return ms >= 1 ? ms : 0;
  }

  /** The platform said "not before ms from now" (429, Retry-After) for this lane. */
  block(lane: string, ms: number): void {
    const b = this.bucket(`lane:${lane}`);
    b.blockedUntil = Math.max(b.blockedUntil, this.now() + ms);
  }

  /** Lanes that could not take one more right now (paced or blocked): a claim may leave them for a moment. */
  unready(): string[] {
    const now = this.now();
    const out: string[] = [];
    for (const [key, b] of this.buckets) {
      if (!key.startsWith("lane:")) continue;
      const lane = key.slice(5);
      const rate = this.pacing.lane?.[lane.split(":", 1)[0] ?? ""];
      if (b.blockedUntil - now >= 1 || (rate && b.tat - tolerance(rate) - now >= 1)) out.push(lane);
    }
    return out;
  }

  /** Per paced platform, how many of one lane may go at once (its burst), at most `max`. */
  laneShares(max: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [platform, rate] of Object.entries(this.pacing.lane ?? {}))
      out[platform] = Math.max(1, Math.min(max, Math.floor(rate.burst)));
    return out;
  }

  /** Per platform paced per tenant, ms between two deliveries of one tenant. */
  tenantIntervals(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.pacing.tenant ?? {}).map(([p, r]) => [p, interval(r)]));
  }

  /** Per platform paced per lane, ms between two deliveries into one lane. */
  laneIntervals(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.pacing.lane ?? {}).map(([p, r]) => [p, interval(r)]));
  }

  /** Ms until the first lane unready() names could take one more (undefined: none is held back). */
  readyIn(): number | undefined {
    const now = this.now();
    let soonest: number | undefined;
    for (const [key, b] of this.buckets) {
      if (!key.startsWith("lane:")) continue;
      const rate = this.pacing.lane?.[key.slice(5).split(":", 1)[0] ?? ""];
      const ready = Math.max(b.blockedUntil, rate ? b.tat - tolerance(rate) : 0) - now;
      if (ready >= 1 && (soonest === undefined || ready < soonest)) soonest = ready;
    }
    return soonest;
  }

  private startOf(lane: string | undefined, tenant: string, now: number, reserve: boolean): number {
    if (lane === undefined) return now;
    const platform = lane.split(":", 1)[0] ?? "";
    const parts: { key: string; rate?: Rate }[] = [
      { key: `lane:${lane}`, rate: this.pacing.lane?.[platform] },
    ];
    const tenantRate = this.pacing.tenant?.[platform];
    if (tenantRate) parts.push({ key: `tenant:${platform}:${tenant}`, rate: tenantRate });
    let start = now;
    for (const p of parts) {
      const b = this.buckets.get(p.key);
      if (!b) continue;
      start = Math.max(start, b.blockedUntil);
      if (p.rate) start = Math.max(start, b.tat - tolerance(p.rate));
    }
    if (reserve) {
      if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
      for (const p of parts) {
        if (!p.rate) continue;
        const b = this.bucket(p.key);
        b.tat = Math.max(b.tat, start) + interval(p.rate);
      }
    }
    return start;
  }

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tat: 0, blockedUntil: 0 };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** A bucket whose tat and block have passed behaves like a new one. */
  private prune(now: number): void {
    for (const [key, b] of this.buckets) if (b.tat <= now && b.blockedUntil <= now) this.buckets.delete(key);
  }
}

const interval = (r: Rate): number => 1000 / r.perSecond;
const tolerance = (r: Rate): number => (Math.max(1, r.burst) - 1) * interval(r);

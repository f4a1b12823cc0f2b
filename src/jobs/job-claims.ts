import type { Queryable } from "../db/database.ts";
import type { Job } from "./job.ts";
import { toJob } from "./job-store.ts";

export interface ClaimRequest {
  now: Date;
  /** The claiming instance (locked_by). */
  me: string;
  leaseMs: number;
  /** Only kinds this instance has handlers for: a newer replica may own the others. */
  kinds: string[];
  limit: number;
  /** At most this many of one lane per claim, so one busy channel does not starve the others. */
  perLane: number;
  /** Per lane platform prefix ("slack"), instead of perLane: a lane paced to one a second gets one. */
  perLaneOf?: Record<string, number>;
  /** Lanes this instance still works on: their next jobs wait until it is done, in order. */
  excludeLanes: string[];
  /** Also report due pending kinds no handler here knows (a scan of the due rows: done now and then). */
  findUnknownKinds: boolean;
  /**
   * Fair turns between pacing groups: a group is a platform and tenant for platforms paced per tenant, else a lane.
   * A candidate's turn is when the pacer could start it (ms from now); the claim takes the earliest turns first and
   * none beyond `horizonMs`, so a tenant's backlog neither fills a claim nor hides other lanes' due work.
   */
  fairness?: Fairness;
}

export interface Fairness {
  /** Per platform paced per tenant ("teams"): ms between two of one tenant. */
  tenantIntervalMs: Record<string, number>;
  /** Per platform paced per lane ("slack"): ms between two of one lane. */
  laneIntervalMs: Record<string, number>;
  /** Per group ("teams:musterstadt"): ms of work this instance already holds for it. */
  backlogMs: Record<string, number>;
  horizonMs: number;
}

export interface Claim {
  /** Claimed, in run order; `attempts` counts those before this one. */
  jobs: Job[];
  /** The earliest pending run_at after `now` of the kinds asked for: when to look again. */
  next?: Date;
  unknownKinds: string[];
}

/** Candidates looked at per claimed job: enough to spread a claim over many lanes. */
const SCAN_FACTOR = 20;

/**
 * Claims due jobs in one statement, also reporting when the next one is due (one query per idle poll). A job is due
 * when pending with run_at ≤ now, or running with an expired lease (its replica crashed). Rows another replica is
 * claiming right now are skipped (SKIP LOCKED); a row it claimed meanwhile fails the re-check in `pick`.
 */
export async function claimJobs(q: Queryable, r: ClaimRequest): Promise<Claim> {
  const unknown = r.findUnknownKinds
    ? `, (SELECT coalesce(array_agg(kind), '{}') FROM (
          SELECT DISTINCT kind FROM jobs
          WHERE status = 'pending' AND run_at <= $1::timestamptz AND NOT (kind = ANY($2::text[])) LIMIT 20) u) AS unknown`
    : "";
  const f = r.fairness ?? { tenantIntervalMs: {}, laneIntervalMs: {}, backlogMs: {}, horizonMs: 1e12 };
  const tenantPaced = Object.keys(f.tenantIntervalMs);
  const res = await q.query<{ jobs: unknown; next_run_at: unknown; unknown?: string[] }>(
    // Two bounded scans: the oldest due rows, and the oldest of platforms not paced per tenant, so that a tenant's
    // backlog at one instant cannot hide a Slack channel's job put back a second later.
    `WITH scan AS NOT MATERIALIZED (
       SELECT job_id, lane, tenant, run_at, due_at FROM jobs
       WHERE status IN ('pending', 'running') AND (status = 'pending' OR locked_until < $1::timestamptz)
         AND run_at <= $1::timestamptz AND kind = ANY($2::text[])
         AND (lane IS NULL OR NOT (lane = ANY($3::text[])))
     ), candidates AS (
       (SELECT * FROM scan ORDER BY run_at, job_id LIMIT $4)
       UNION
       (SELECT * FROM scan WHERE lane IS NULL OR NOT (split_part(lane, ':', 1) = ANY($10::text[]))
        ORDER BY run_at, job_id LIMIT $4)
     ), in_lane AS (
       SELECT job_id, lane, tenant, run_at, due_at, split_part(lane, ':', 1) AS platform,
         row_number() OVER (PARTITION BY coalesce(lane, job_id::text) ORDER BY run_at, due_at, job_id) AS n
       FROM candidates
     ), grouped AS (
       SELECT job_id, run_at, due_at, n, platform,
         CASE WHEN platform = ANY($10::text[]) THEN platform || ':' || tenant ELSE coalesce(lane, job_id::text) END AS g
       FROM in_lane WHERE n <= coalesce(($9::jsonb ->> platform)::integer, $5)
     ), turns AS (
       SELECT job_id, run_at, due_at,
         coalesce(($12::jsonb ->> g)::double precision, 0) + CASE
           WHEN platform = ANY($10::text[]) THEN
             (row_number() OVER (PARTITION BY g ORDER BY n, run_at, due_at, job_id) - 1)
               * ($11::jsonb ->> platform)::double precision
           ELSE (n - 1) * coalesce(($13::jsonb ->> platform)::double precision, 0)
         END AS turn
       FROM grouped
     ), due AS (
       SELECT job_id, turn FROM turns WHERE turn <= $14::double precision
     ), pick AS MATERIALIZED (
       SELECT j.job_id FROM jobs j JOIN due d ON d.job_id = j.job_id
       WHERE (j.status = 'pending' OR (j.status = 'running' AND j.locked_until < $1::timestamptz))
         AND j.run_at <= $1::timestamptz
       ORDER BY d.turn, j.run_at, j.job_id
       LIMIT $6
       FOR UPDATE OF j SKIP LOCKED
     ), claimed AS (
       UPDATE jobs j SET status = 'running', locked_by = $7,
         locked_until = $1::timestamptz + $8::double precision * interval '1 millisecond', attempts = j.attempts + 1
       FROM pick WHERE j.job_id = pick.job_id
       RETURNING j.job_id, j.kind, j.job_key, j.tenant, j.subject, j.lane, j.due_at, j.run_at, j.payload, j.attempts
     )
     SELECT (SELECT coalesce(json_agg(c ORDER BY c.run_at, c.due_at, c.job_id), '[]') FROM claimed c) AS jobs,
       (SELECT min(run_at) FROM jobs
        WHERE status = 'pending' AND run_at > $1::timestamptz AND kind = ANY($2::text[])) AS next_run_at
       ${unknown}`,
    [
      r.now.toISOString(),
      r.kinds,
      r.excludeLanes,
      r.limit * SCAN_FACTOR,
      r.perLane,
      r.limit,
      r.me,
      r.leaseMs,
      JSON.stringify(r.perLaneOf ?? {}),
      tenantPaced,
      JSON.stringify(f.tenantIntervalMs),
      JSON.stringify(f.backlogMs),
      JSON.stringify(f.laneIntervalMs),
      f.horizonMs,
    ],
  );
  const row = res.rows[0];
  const raw = typeof row?.jobs === "string" ? JSON.parse(row.jobs) : row?.jobs;
  const jobs = ((raw ?? []) as Record<string, unknown>[]).map((j) => {
    const job = toJob(j);
    return { ...job, attempts: job.attempts - 1 };
  });
  const next = row?.next_run_at == null ? undefined : new Date(row.next_run_at as string | Date);
  return { jobs, next, unknownKinds: row?.unknown ?? [] };
}

/** What becomes of a claimed job. */
export type Settlement =
  | { status: "done" | "failed" | "skipped"; outcome: string; late: boolean; at: Date }
  /** Back to pending: at runAt (absent: as it was), with this attempt not counted when `uncount`. */
  | { status: "pending"; runAt?: Date; outcome?: string; uncount: boolean };

/**
 * Records a settlement, only while this instance still holds the claim: after a lost lease another replica owns the
 * job, and this one must not finish it twice. True when recorded.
 */
export async function settleJob(q: Queryable, id: string, me: string, s: Settlement): Promise<boolean> {
  const r =
    s.status === "pending"
      ? await q.query(
          `UPDATE jobs SET status = 'pending', run_at = coalesce($3::timestamptz, run_at),
             outcome = coalesce($4, outcome), attempts = attempts - $5::integer, locked_by = NULL, locked_until = NULL
           WHERE job_id = $1::bigint AND locked_by = $2 AND status = 'running' RETURNING 1`,
          [id, me, s.runAt?.toISOString() ?? null, s.outcome ?? null, s.uncount ? 1 : 0],
        )
      : await q.query(
          `UPDATE jobs SET status = $3, outcome = $4, late = $5, finished_at = $6::timestamptz, locked_until = NULL
           WHERE job_id = $1::bigint AND locked_by = $2 AND status = 'running' RETURNING 1`,
          [id, me, s.status, s.outcome, s.late, s.at.toISOString()],
        );
  return r.rows.length === 1;
}

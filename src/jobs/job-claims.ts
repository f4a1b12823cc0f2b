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
  const res = await q.query<{ jobs: unknown; next_run_at: unknown; unknown?: string[] }>(
    `WITH candidates AS (
       SELECT job_id, lane, run_at, due_at FROM jobs
       WHERE status IN ('pending', 'running') AND (status = 'pending' OR locked_until < $1::timestamptz)
         AND run_at <= $1::timestamptz AND kind = ANY($2::text[])
         AND (lane IS NULL OR NOT (lane = ANY($3::text[])))
       ORDER BY run_at, job_id
       LIMIT $4
     ), due AS (
       SELECT job_id FROM (
         SELECT job_id, lane,
           row_number() OVER (PARTITION BY coalesce(lane, job_id::text) ORDER BY run_at, due_at, job_id) AS n
         FROM candidates
       ) ranked WHERE n <= coalesce(($9::jsonb ->> split_part(lane, ':', 1))::integer, $5)
     ), pick AS MATERIALIZED (
       SELECT j.job_id FROM jobs j
       WHERE j.job_id IN (SELECT job_id FROM due)
         AND (j.status = 'pending' OR (j.status = 'running' AND j.locked_until < $1::timestamptz))
         AND j.run_at <= $1::timestamptz
       ORDER BY j.run_at, j.job_id
       LIMIT $6
       FOR UPDATE SKIP LOCKED
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

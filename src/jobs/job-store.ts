import type { Queryable } from "../db/database.ts";
import type { Job, NewJob } from "./job.ts";

/** A row of `jobs` as lists show it: the job plus what became of it. */
export interface JobRecord {
  id: string;
  kind: string;
  key: string;
  tenant: string;
  subject?: string;
  lane?: string;
  dueAt: Date;
  runAt: Date;
  status: "pending" | "running" | "done" | "failed" | "skipped" | "cancelled";
  attempts: number;
  late: boolean;
  outcome?: string;
  finishedAt?: Date;
  payload: Record<string, unknown>;
}

export interface JobsOfOptions {
  /** Per subject; default 20. */
  limit?: number;
  statuses?: JobRecord["status"][];
}

const DEFAULT_LIMIT = 20;
const COLUMNS =
  "job_id, kind, job_key, tenant, subject, lane, due_at, run_at, status, attempts, late, outcome, finished_at, payload";

/**
 * Plans jobs, each once per (kind, key): planning an occurrence again (another replica, a retried transaction) does
 * nothing. One statement for the whole list; returns how many rows were inserted.
 */
export async function planJobs(q: Queryable, jobs: NewJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = jobs.map((j) => ({
    kind: j.kind,
    key: j.key,
    tenant: j.tenant,
    subject: j.subject ?? null,
    lane: j.lane ?? null,
    due: j.dueAt.toISOString(),
    payload: j.payload ?? {},
  }));
  const r = await q.query(
    `INSERT INTO jobs (kind, job_key, tenant, subject, lane, due_at, run_at, payload)
     SELECT kind, key, tenant, subject, lane, due, due, payload
     FROM jsonb_to_recordset($1::jsonb) AS x(kind text, key text, tenant text, subject text, lane text, due timestamptz, payload jsonb)
     ON CONFLICT (kind, job_key) DO NOTHING
     RETURNING 1`,
    [JSON.stringify(rows)],
  );
  return r.rows.length;
}

/** Cancels the subject's pending jobs (a deleted or paused reminder); one already running is left to finish. */
export async function cancelJobs(q: Queryable, subject: string, now: Date): Promise<number> {
  const r = await q.query(
    "UPDATE jobs SET status = 'cancelled', finished_at = $2::timestamptz WHERE subject = $1 AND status = 'pending' RETURNING 1",
    [subject, now.toISOString()],
  );
  return r.rows.length;
}

/** Moves the subject's pending jobs to run at runAt (a resumed reminder); their due time stays what it was. */
export async function rescheduleJobs(q: Queryable, subject: string, runAt: Date): Promise<number> {
  const r = await q.query(
    "UPDATE jobs SET run_at = $2::timestamptz WHERE subject = $1 AND status = 'pending' RETURNING 1",
    [subject, runAt.toISOString()],
  );
  return r.rows.length;
}

/** The subject's jobs, newest due first. */
export async function jobsOf(q: Queryable, subject: string, opts: JobsOfOptions = {}): Promise<JobRecord[]> {
  return (await jobsOfSubjects(q, [subject], opts)).get(subject) ?? [];
}

/** The jobs of several subjects in one query (a list of reminders), newest due first, up to `limit` per subject. */
export async function jobsOfSubjects(
  q: Queryable,
  subjects: string[],
  opts: JobsOfOptions = {},
): Promise<Map<string, JobRecord[]>> {
  const out = new Map<string, JobRecord[]>(subjects.map((s) => [s, []]));
  if (subjects.length === 0) return out;
  const r = await q.query(
    `SELECT ${COLUMNS} FROM (
       SELECT ${COLUMNS}, row_number() OVER (PARTITION BY subject ORDER BY due_at DESC, job_id DESC) AS n
       FROM jobs
       WHERE subject = ANY($1::text[]) AND ($2::text[] IS NULL OR status = ANY($2::text[]))
     ) ranked
     WHERE n <= $3
     ORDER BY subject, due_at DESC, job_id DESC`,
    [subjects, opts.statuses ?? null, opts.limit ?? DEFAULT_LIMIT],
  );
  for (const row of r.rows) {
    const rec = toRecord(row);
    out.get(rec.subject ?? "")?.push(rec);
  }
  return out;
}

/** A `jobs` row (from the driver or from json_agg) as a JobRecord. */
export function toRecord(row: Record<string, unknown>): JobRecord {
  return {
    ...toJob(row),
    runAt: toDate(row.run_at),
    status: row.status as JobRecord["status"],
    attempts: Number(row.attempts),
    late: row.late === true,
    outcome: (row.outcome as string | null) ?? undefined,
    finishedAt: row.finished_at == null ? undefined : toDate(row.finished_at),
  };
}

/** A `jobs` row as the Job a handler gets; `attempts` is taken as the row has it. */
export function toJob(row: Record<string, unknown>): Job {
  return {
    id: String(row.job_id),
    kind: String(row.kind),
    key: String(row.job_key),
    tenant: String(row.tenant),
    subject: (row.subject as string | null) ?? undefined,
    lane: (row.lane as string | null) ?? undefined,
    dueAt: toDate(row.due_at),
    payload: parsePayload(row.payload),
    attempts: Number(row.attempts),
  };
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

function parsePayload(v: unknown): Record<string, unknown> {
  if (typeof v === "string") return JSON.parse(v) as Record<string, unknown>;
  return (v as Record<string, unknown> | null) ?? {};
}

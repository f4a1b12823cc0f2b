import type { Database, Queryable } from "../db/database.ts";
import {
  conditionOf,
  type DataSubject,
  PERSONAL_DATA,
  type PersonalDataTable,
  SUBJECT_CTE,
  subjectParams,
} from "./personal-data.ts";

/** What a deletion does (or did) to one table's rows of the person. */
export interface TableDeletion {
  table: string;
  deleted: number;
  /** Kept without the person (they belong to a channel). */
  anonymised: number;
  /** Kept as they are, with the reason. */
  kept: number;
  note?: string;
}

/** What a deletion does (or did) per table; total: rows deleted or anonymised. */
export interface DeletionPlan {
  tables: TableDeletion[];
  total: number;
}

async function count(
  q: Queryable,
  e: PersonalDataTable,
  subject: DataSubject,
  extra = "true",
): Promise<number> {
  const r = await q.query<{ n: number | string }>(
    `${SUBJECT_CTE} SELECT count(*) AS n FROM ${e.table} t, s WHERE ${conditionOf(e)} AND (${extra})`,
    subjectParams(subject),
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** The person's rows of a table that the deletion will delete, anonymise or keep, counted without changing them. */
async function planOf(q: Queryable, e: PersonalDataTable, subject: DataSubject): Promise<TableDeletion> {
  const all = await count(q, e, subject);
  const { erase } = e;
  if (erase.kind === "delete") return { table: e.table, deleted: all, anonymised: 0, kept: 0 };
  if (erase.kind === "kept")
    return { table: e.table, deleted: 0, anonymised: 0, kept: all, note: erase.reason };
  const deleted = await count(q, e, subject, erase.deleteWhere);
  const rest = all - deleted;
  return erase.anonymise
    ? { table: e.table, deleted, anonymised: rest, kept: 0, note: erase.why }
    : { table: e.table, deleted, anonymised: 0, kept: rest, note: erase.why };
}

/** Deletes one table's rows of the person, or anonymises those that belong to a channel. */
async function eraseIn(q: Queryable, e: PersonalDataTable, subject: DataSubject): Promise<TableDeletion> {
  const params = subjectParams(subject);
  const { erase } = e;
  if (erase.kind === "kept") return planOf(q, e, subject);
  const where = erase.kind === "split" ? `${conditionOf(e)} AND (${erase.deleteWhere})` : conditionOf(e);
  const deleted = (
    await q.query(`${SUBJECT_CTE} DELETE FROM ${e.table} t USING s WHERE ${where} RETURNING 1`, params)
  ).rows.length;
  if (erase.kind === "delete") return { table: e.table, deleted, anonymised: 0, kept: 0 };
  if (!erase.anonymise)
    return { table: e.table, deleted, anonymised: 0, kept: await count(q, e, subject), note: erase.why };
  const anonymised = (
    await q.query(
      `${SUBJECT_CTE} UPDATE ${e.table} t SET ${erase.anonymise} FROM s WHERE ${conditionOf(e)} RETURNING 1`,
      params,
    )
  ).rows.length;
  return { table: e.table, deleted, anonymised, kept: 0, note: erase.why };
}

const totalOf = (tables: TableDeletion[]) => tables.reduce((n, t) => n + t.deleted + t.anonymised, 0);

/** What `deletePerson` would do, changing nothing (the dry run). */
export async function planDeletion(q: Queryable, subject: DataSubject): Promise<DeletionPlan> {
  const tables: TableDeletion[] = [];
  for (const e of PERSONAL_DATA) tables.push(await planOf(q, e, subject));
  return { tables, total: totalOf(tables) };
}

/**
 * Deletes the person's data (DSGVO Art. 17) in one transaction, in registry order: their rows go, their pending
 * personal jobs with them; channel reminders and subscriptions they set up stay for the channel without them;
 * aggregates (onboarding_stats) are untouched. Returns what was done per table.
 */
export async function deletePerson(db: Database, subject: DataSubject): Promise<DeletionPlan> {
  const tables = await db.transaction(async (tx) => {
    const done: TableDeletion[] = [];
    for (const e of PERSONAL_DATA) done.push(await eraseIn(tx, e, subject));
    return done;
  });
  return { tables, total: totalOf(tables) };
}

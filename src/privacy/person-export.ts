import type { Queryable } from "../db/database.ts";
import {
  conditionOf,
  type DataSubject,
  PERSONAL_DATA,
  type PersonalDataTable,
  SUBJECT_CTE,
  subjectParams,
} from "./personal-data.ts";

/** One table's part of an export: what the table is for, and the person's rows with their column names. */
export interface ExportedTable {
  content: string;
  purpose: string;
  retention: string;
  rows: Record<string, unknown>[];
}

/** What Lotse stores about one person (DSGVO Art. 15): per registry table, the person's rows. */
export interface PersonExport {
  subject: {
    platform: DataSubject["platform"];
    userId: string;
    /** The person's platform ids found in the data (the one asked for among them). */
    ids: DataSubject["ids"];
    tenant: string | null;
    pseudonyms: string[];
  };
  exportedAt: string;
  tables: Record<string, ExportedTable>;
}

/** A value as JSON shows it: timestamps ISO 8601, 64-bit ids as strings. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** The person's rows of one registry table. */
export async function rowsOf(
  q: Queryable,
  e: PersonalDataTable,
  subject: DataSubject,
): Promise<Record<string, unknown>[]> {
  const r = await q.query<Record<string, unknown>>(
    `${SUBJECT_CTE} SELECT t.* FROM ${e.table} t, s WHERE ${conditionOf(e)} ORDER BY ${e.orderBy}`,
    subjectParams(subject),
  );
  return r.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
}

/** Every row of every registry table that is about the subject. */
export async function exportPerson(q: Queryable, subject: DataSubject, now: Date): Promise<PersonExport> {
  const tables: Record<string, ExportedTable> = {};
  for (const e of PERSONAL_DATA)
    tables[e.table] = {
      content: e.content,
      purpose: e.purpose,
      retention: e.retention,
      rows: await rowsOf(q, e, subject),
    };
  return {
    subject: {
      platform: subject.platform,
      userId: subject.userId,
      ids: subject.ids,
      tenant: subject.tenant ?? null,
      pseudonyms: subject.pseudonyms,
    },
    exportedAt: now.toISOString(),
    tables,
  };
}

/** Rows per table (for logs and the summary line: counts only). */
export function countsOf(x: PersonExport): Record<string, number> {
  return Object.fromEntries(Object.entries(x.tables).map(([t, v]) => [t, v.rows.length]));
}

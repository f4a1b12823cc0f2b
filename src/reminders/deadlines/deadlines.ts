import type { Queryable } from "../../db/database.ts";
import { readSchedule } from "../schedule/read-schedule.ts";
import { dueAnchor } from "./due-anchor.ts";
import { deadlineSummary } from "./summary.ts";

/** A deadline of the knowledge base (a document of type deadline with a `due`), its schedule read by the reminder grammar. */
export interface Deadline {
  docId: string;
  /** The tenant it belongs to; a shared deadline (tenant NULL) is listed with the tenant it was asked for. */
  tenant: string;
  title: string;
  /** As written in front matter: "jährlich am 31.3.". */
  due: string;
  /** "DTSTART;TZID=Europe/Berlin:…\nRRULE:…", DTSTART the first occurrence after the document's reviewed date. */
  rrule: string;
  /** The schedule in German words. */
  reading: string;
  /** The document's first source. */
  url?: string;
  /** The first paragraph of its first section, about 300 characters at most. */
  summary: string;
}

interface Row {
  doc_id: string;
  tenant: string | null;
  title: string;
  due: string;
  sources: { url?: string }[] | string;
  reviewed: string | null;
  body: string | null;
}

// The first chunk of the first `##` section: chunks of text above it are named after the title (see chunk.ts).
const SELECT = `
  SELECT d.doc_id, d.tenant, d.title, d.due, d.sources, to_char(d.reviewed, 'YYYY-MM-DD') AS reviewed,
    (SELECT c.body FROM chunks c WHERE c.doc_id = d.doc_id ORDER BY (c.section = d.title), c.ord LIMIT 1) AS body
  FROM documents d
  WHERE d.type = 'deadline' AND d.due IS NOT NULL AND (d.tenant = $1 OR d.tenant IS NULL)`;

/** The deadlines of a tenant (its own and shared ones), read from the index. */
export class Deadlines {
  private readonly db: Queryable;

  constructor(db: Queryable) {
    this.db = db;
  }

  /** All deadlines of the tenant, by title. */
  async list(tenant: string): Promise<Deadline[]> {
    const { rows } = await this.db.query<Row>(`${SELECT} ORDER BY d.title, d.doc_id`, [tenant]);
    return rows.flatMap((r) => toDeadline(r, tenant) ?? []);
  }

  /** One deadline of the tenant, or undefined (not a deadline, another tenant's, or no readable `due`). */
  async get(tenant: string, docId: string): Promise<Deadline | undefined> {
    const { rows } = await this.db.query<Row>(`${SELECT} AND d.doc_id = $2`, [tenant, docId]);
    return rows[0] ? toDeadline(rows[0], tenant) : undefined;
  }
}

function toDeadline(r: Row, tenant: string): Deadline | undefined {
  // Ingest refuses a due the grammar cannot read; one indexed before the grammar changed is left out, not guessed.
  const schedule = readSchedule(r.due, dueAnchor(r.reviewed ?? undefined));
  if (!schedule.ok) return undefined;
  const sources = typeof r.sources === "string" ? (JSON.parse(r.sources) as { url?: string }[]) : r.sources;
  const url = sources.find((s) => typeof s.url === "string")?.url;
  return {
    docId: r.doc_id,
    tenant: r.tenant ?? tenant,
    title: r.title,
    due: r.due,
    rrule: schedule.rrule,
    reading: schedule.reading,
    ...(url ? { url } : {}),
    summary: deadlineSummary(r.body ?? ""),
  };
}

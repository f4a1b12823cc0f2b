import type { Queryable } from "../db/database.ts";
import { LotseError } from "../errors.ts";

export type ReminderStatus = "draft" | "active" | "paused" | "ended";

/** A reminder as stored in `reminders` (src/db/migrations/009_reminders_jobs.sql). */
export interface Reminder {
  id: string;
  tenant: string;
  status: ReminderStatus;
  audience: "channel" | "personal";
  platform: "slack" | "teams";
  /** The conversation it is posted into (channel), or the platform user id it is sent to (personal). */
  target: string;
  originConversation: string;
  text: string;
  linkUrl?: string;
  /** RFC 5545 with TZID: "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO". */
  rrule: string;
  timezone: string;
  /** The schedule in German words, as confirmed. */
  reading: string;
  creatorPseudonym: string;
  creatorName?: string;
  creatorUserId: string;
  /** chat | cli | deadline:<doc id> */
  source: string;
  pausedReason?: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NewReminder = Omit<
  Reminder,
  "id" | "status" | "createdAt" | "updatedAt" | "pausedReason" | "timezone"
>;

/** What one reminder may store: the values come from forms a client sends, so a forged one must not fill the table. */
export const REMINDER_LIMITS = {
  textChars: 3000,
  urlChars: 2000,
  /** Platform ids (Teams conversation ids are the longest) and the RRULE text stay far below this. */
  idChars: 512,
  rruleChars: 2000,
  readingChars: 1000,
  nameChars: 200,
} as const;

interface ReminderRow {
  reminder_id: string | number;
  tenant: string;
  status: ReminderStatus;
  audience: "channel" | "personal";
  platform: "slack" | "teams";
  target: string;
  origin_conversation: string;
  text: string;
  link_url: string | null;
  rrule: string;
  timezone: string;
  reading: string;
  creator_pseudonym: string;
  creator_name: string | null;
  creator_user_id: string;
  source: string;
  paused_reason: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS =
  "reminder_id, tenant, status, audience, platform, target, origin_conversation, text, link_url, rrule, timezone, reading, creator_pseudonym, creator_name, creator_user_id, source, paused_reason, created_at, updated_at";

function toReminder(row: ReminderRow): Reminder {
  return {
    id: String(row.reminder_id),
    tenant: row.tenant,
    status: row.status,
    audience: row.audience,
    platform: row.platform,
    target: row.target,
    originConversation: row.origin_conversation,
    text: row.text,
    ...(row.link_url ? { linkUrl: row.link_url } : {}),
    rrule: row.rrule,
    timezone: row.timezone,
    reading: row.reading,
    creatorPseudonym: row.creator_pseudonym,
    ...(row.creator_name ? { creatorName: row.creator_name } : {}),
    creatorUserId: row.creator_user_id,
    source: row.source,
    ...(row.paused_reason ? { pausedReason: row.paused_reason } : {}),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The TZID of an RFC 5545 rule, Europe/Berlin where it names none. */
export function timezoneOf(rrule: string): string {
  return /TZID=([^:;\n]+)/.exec(rrule)?.[1] ?? "Europe/Berlin";
}

/** Ids are bigserial: anything else (a forged button value) cannot name a reminder and is not sent to the database. */
export function isReminderId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id);
}

function invalid(field: string, reason: string): LotseError {
  return new LotseError("REQUEST_INVALID", `reminder ${field}: ${reason}`, { details: { reason, field } });
}

function check(r: NewReminder): void {
  if (r.text.trim() === "") throw invalid("text", "reminder_text_empty");
  const bounds: [string, string | undefined, number][] = [
    ["text", r.text, REMINDER_LIMITS.textChars],
    ["linkUrl", r.linkUrl, REMINDER_LIMITS.urlChars],
    ["target", r.target, REMINDER_LIMITS.idChars],
    ["originConversation", r.originConversation, REMINDER_LIMITS.idChars],
    ["creatorUserId", r.creatorUserId, REMINDER_LIMITS.idChars],
    ["creatorPseudonym", r.creatorPseudonym, REMINDER_LIMITS.idChars],
    ["rrule", r.rrule, REMINDER_LIMITS.rruleChars],
    ["reading", r.reading, REMINDER_LIMITS.readingChars],
    ["creatorName", r.creatorName, REMINDER_LIMITS.nameChars],
  ];
  for (const [field, value, max] of bounds)
    if (value !== undefined && value.length > max) throw invalid(field, "reminder_field_too_long");
  // A link is shown as a button: only web addresses, never javascript: or a platform's internal scheme.
  if (r.linkUrl !== undefined && !/^https?:\/\/\S+$/i.test(r.linkUrl))
    throw invalid("linkUrl", "reminder_link_invalid");
}

/**
 * Who may see a reminder in a list: the channel's reminders (set there or posted there; `conversation` is the
 * channel, ConversationAddress.channel, never a thread of it) and, with creatorPseudonym, one's own; with neither,
 * all of the tenant's (CLI).
 */
export interface ReminderQuery {
  tenant: string;
  platform?: "slack" | "teams";
  conversation?: string;
  creatorPseudonym?: string;
  includeEnded?: boolean;
}

/** SQL on `reminders`; every method takes the connection or transaction to run on. */
export class ReminderStore {
  /** Inserts a reminder with the given status (a draft unless said otherwise); validates it first. */
  async insert(q: Queryable, r: NewReminder, status: ReminderStatus = "draft"): Promise<Reminder> {
    check(r);
    const { rows } = await q.query<ReminderRow>(
      `INSERT INTO reminders (tenant, status, audience, platform, target, origin_conversation, text, link_url, rrule, timezone, reading, creator_pseudonym, creator_name, creator_user_id, source)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING ${COLUMNS}`,
      [
        r.tenant,
        status,
        r.audience,
        r.platform,
        r.target,
        r.originConversation,
        r.text,
        r.linkUrl ?? null,
        r.rrule,
        timezoneOf(r.rrule),
        r.reading,
        r.creatorPseudonym,
        r.creatorName ?? null,
        r.creatorUserId,
        r.source,
      ],
    );
    return toReminder(rows[0] as ReminderRow);
  }

  /** One reminder of a tenant; `lock` holds its row until the transaction ends (status changes are serialised). */
  async get(q: Queryable, id: string, tenant: string, lock = false): Promise<Reminder | undefined> {
    if (!isReminderId(id)) return undefined;
    const { rows } = await q.query<ReminderRow>(
      `SELECT ${COLUMNS} FROM reminders WHERE reminder_id = $1 AND tenant = $2${lock ? " FOR UPDATE" : ""}`,
      [id, tenant],
    );
    return rows[0] ? toReminder(rows[0]) : undefined;
  }

  /**
   * Moves a reminder to `to` only from one of `from` (so two replicas or two clicks cannot both make the change);
   * undefined when it is not in one of them.
   */
  async transition(
    q: Queryable,
    id: string,
    tenant: string,
    from: ReminderStatus[],
    to: ReminderStatus,
    pausedReason?: string,
  ): Promise<Reminder | undefined> {
    if (!isReminderId(id)) return undefined;
    const { rows } = await q.query<ReminderRow>(
      `UPDATE reminders SET status = $3, paused_reason = $4, updated_at = now()
       WHERE reminder_id = $1 AND tenant = $2 AND status = ANY($5::text[]) RETURNING ${COLUMNS}`,
      [id, tenant, to, pausedReason ?? null, from],
    );
    return rows[0] ? toReminder(rows[0]) : undefined;
  }

  /** Deletes a reminder; false when there was none. */
  async delete(q: Queryable, id: string, tenant: string): Promise<boolean> {
    if (!isReminderId(id)) return false;
    const { rows } = await q.query(
      "DELETE FROM reminders WHERE reminder_id = $1 AND tenant = $2 RETURNING 1",
      [id, tenant],
    );
    return rows.length > 0;
  }

  /** The reminders a list shows (never drafts), oldest first. */
  async list(q: Queryable, query: ReminderQuery): Promise<Reminder[]> {
    const params: unknown[] = [
      query.tenant,
      query.includeEnded ? ["active", "paused", "ended"] : ["active", "paused"],
    ];
    let where = "tenant = $1 AND status = ANY($2::text[])";
    if (query.platform) {
      params.push(query.platform);
      where += ` AND platform = $${params.length}`;
    }
    const who: string[] = [];
    if (query.conversation !== undefined) {
      params.push(query.conversation);
      // A personal reminder is nobody else's business: it is listed only as one's own, wherever it was set.
      who.push(
        `(audience = 'channel' AND (origin_conversation = $${params.length} OR target = $${params.length}))`,
      );
    }
    if (query.creatorPseudonym !== undefined) {
      params.push(query.creatorPseudonym);
      who.push(`creator_pseudonym = $${params.length}`);
    }
    if (who.length > 0) where += ` AND (${who.join(" OR ")})`;
    const { rows } = await q.query<ReminderRow>(
      `SELECT ${COLUMNS} FROM reminders WHERE ${where} ORDER BY created_at, reminder_id`,
      params,
    );
    return rows.map(toReminder);
  }

  /** Deletes drafts (shown for confirmation, never confirmed) created before `olderThan`. */
  async purgeDrafts(q: Queryable, olderThan: Date): Promise<number> {
    const { rows } = await q.query(
      "DELETE FROM reminders WHERE status = 'draft' AND created_at < $1 RETURNING 1",
      [olderThan],
    );
    return rows.length;
  }
}

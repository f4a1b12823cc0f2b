import type { TenantSettings } from "../core/tenant-settings.ts";
import type { Queryable } from "../db/database.ts";
import { NUDGE_JOB } from "../onboarding/onboarding-nudge.ts";
import type { TenantPurge } from "./retention-job.ts";

const DAY_MS = 86_400_000;

/**
 * How long a person's own state (onboarding progress, the link between their platform and email pseudonyms, the
 * "automatisierter Assistent" notice) is kept after their last step: a year. Someone who has not touched it for a
 * year has left or finished long ago; the aggregates (onboarding_stats) stay.
 */
export const INACTIVE_DAYS = 365;

/**
 * The retention cut-off of every tenant that has its own period (`retention_days` in LOTSE_TENANT_SETTINGS), as
 * JSON for jsonb_to_recordset; every other tenant found in the data gets `$2`, the default cut-off.
 */
function cutoffs(tenantSettings: TenantSettings, now: Date): string {
  const own = tenantSettings
    .tenants()
    .map((tenant) => ({ tenant, days: tenantSettings.of(tenant).retentionDays }))
    .filter((x): x is { tenant: string; days: number } => x.days !== undefined)
    .map((x) => ({ tenant: x.tenant, cutoff: new Date(now.getTime() - x.days * DAY_MS).toISOString() }));
  return JSON.stringify(own);
}

/** The cut-off of a row's tenant (alias t): its own period's, else the default's. */
const CUTOFF = `COALESCE((SELECT x.cutoff FROM jsonb_to_recordset($1::jsonb) AS x(tenant text, cutoff timestamptz)
                          WHERE x.tenant = t.tenant), $2::timestamptz)`;

/**
 * The clean-ups of the daily retention job (RetentionJob), each tenant's by its own period
 * (TenantSettings.of(t).retentionDays, else `defaultDays` = LOTSE_RETENTION_DAYS), applied to every tenant in the
 * data: conversation turns go; feedback keeps rating, reason and cited documents (the aggregates) without question,
 * comment, the pseudonym and the conversation; reminder drafts (never confirmed) go after a day; finished onboarding
 * nudges after the retention period; a display name kept for a per-person report goes once the tenant switched that
 * off; a person's own state (onboarding progress, person links, the assistant notice) goes a year (INACTIVE_DAYS)
 * after their last step. Aggregate tables (onboarding_stats) are not touched.
 */
export function retentionPurges(deps: {
  db: Queryable;
  tenantSettings: TenantSettings;
  defaultDays: number;
}): TenantPurge[] {
  const { db, tenantSettings, defaultDays } = deps;
  const params = (now: Date) => [
    cutoffs(tenantSettings, now),
    new Date(now.getTime() - defaultDays * DAY_MS),
  ];
  return [
    {
      name: "turns",
      purgeAt: async (now) =>
        (
          await db.query(
            `DELETE FROM conversation_turns t WHERE t.created_at < ${CUTOFF} RETURNING 1`,
            params(now),
          )
        ).rows.length,
    },
    {
      name: "feedbackTexts",
      purgeAt: async (now) =>
        (
          await db.query(
            `UPDATE feedback t SET question = '', comment = NULL, user_id = '', conversation_id = NULL
             WHERE t.created_at < ${CUTOFF}
               AND (t.question <> '' OR t.comment IS NOT NULL OR t.user_id <> '' OR t.conversation_id IS NOT NULL)
             RETURNING 1`,
            params(now),
          )
        ).rows.length,
    },
    {
      // Drafts are reminders shown for confirmation and never saved: a day is long enough to press "Speichern".
      name: "reminderDrafts",
      purgeAt: async (now) =>
        (
          await db.query("DELETE FROM reminders WHERE status = 'draft' AND created_at < $1 RETURNING 1", [
            new Date(now.getTime() - DAY_MS),
          ])
        ).rows.length,
    },
    {
      // A nudge done (sent or not) is history nobody reads: it goes with the texts, the person's pseudonym with it.
      name: "finishedNudges",
      purgeAt: async (now) =>
        (
          await db.query(
            `DELETE FROM jobs t WHERE t.kind = $3 AND t.status NOT IN ('pending', 'running')
               AND coalesce(t.finished_at, t.due_at) < ${CUTOFF} RETURNING 1`,
            [...params(now), NUDGE_JOB],
          )
        ).rows.length,
    },
    {
      // Names are kept only for a per-person report the tenant switched on (with the staff council's consent).
      name: "displayNames",
      purgeAt: async () =>
        (
          await db.query(
            `UPDATE onboarding_progress SET display_name = NULL
             WHERE display_name IS NOT NULL AND NOT (tenant = ANY($1::text[])) RETURNING 1`,
            [tenantSettings.tenants().filter((t) => tenantSettings.of(t).onboarding.perPersonReport)],
          )
        ).rows.length,
    },
    {
      // A path left for a year: the person's progress goes (the counts in onboarding_stats stay).
      name: "inactiveOnboarding",
      purgeAt: async (now) =>
        (
          await db.query("DELETE FROM onboarding_progress WHERE updated_at < $1 RETURNING 1", [
            inactiveSince(now),
          ])
        ).rows.length,
    },
    {
      // A link is needed only while the person has progress to carry across platforms; a join renews it.
      name: "staleLinks",
      purgeAt: async (now) =>
        (
          await db.query(
            `DELETE FROM person_links l WHERE l.linked_at < $1
               AND NOT EXISTS (SELECT 1 FROM onboarding_progress o WHERE o.tenant = l.tenant AND o.person = l.person)
             RETURNING 1`,
            [inactiveSince(now)],
          )
        ).rows.length,
    },
    {
      // After a year the notice is shown once more, which is harmless.
      name: "oldNotices",
      purgeAt: async (now) =>
        (await db.query("DELETE FROM user_notices WHERE shown_at < $1 RETURNING 1", [inactiveSince(now)]))
          .rows.length,
    },
  ];
}

const inactiveSince = (now: Date) => new Date(now.getTime() - INACTIVE_DAYS * DAY_MS);

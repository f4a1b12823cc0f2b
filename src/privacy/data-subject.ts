import type { People } from "../core/people.ts";
import type { Pseudonyms } from "../core/pseudonyms.ts";
import type { Queryable } from "../db/database.ts";
import { LotseError } from "../errors.ts";
import type { DataSubject } from "./personal-data.ts";

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The Bot Framework's id of a Teams user ("29:1abc…"): not the id Lotse knows Teams users by. */
const TEAMS_BOT_USER = /^29:\S+$/;

/**
 * The platform of a user id where its form tells it (Slack U…/W…, a Teams Entra object id or 29:…); otherwise the
 * given one; REQUEST_INVALID when neither says, or when they contradict each other.
 */
export function platformOf(userId: string, given?: "slack" | "teams"): "slack" | "teams" {
  const inferred = SLACK_USER.test(userId)
    ? "slack"
    : ENTRA_OBJECT_ID.test(userId) || TEAMS_BOT_USER.test(userId)
      ? "teams"
      : undefined;
  if (given && inferred && given !== inferred)
    throw new LotseError(
      "REQUEST_INVALID",
      `--user hat die Form einer ${inferred === "slack" ? "Slack" : "Teams"}-Kennung, --platform sagt ${given}: Bitte prüfen Sie die Angaben.`,
    );
  const platform = given ?? inferred;
  if (!platform)
    throw new LotseError(
      "REQUEST_INVALID",
      "Aus der Kennung ist die Plattform nicht ersichtlich: Geben Sie --platform slack oder --platform teams an (Slack-Kennungen beginnen mit U oder W, Teams-Kennungen sind Entra-Objekt-IDs).",
    );
  return platform;
}

/**
 * The Entra object id of a Teams user known by their Bot Framework id (29:…), read from a stored conversation
 * reference; the id itself when it is none or no reference knows it.
 */
async function entraIdOf(db: Queryable, userId: string): Promise<{ id: string; resolved: boolean }> {
  if (!TEAMS_BOT_USER.test(userId)) return { id: userId, resolved: true };
  const r = await db.query<{ aad: string }>(
    `SELECT reference->'user'->>'aadObjectId' AS aad FROM conversation_refs
     WHERE platform = 'teams' AND reference->'user'->>'id' = $1 AND reference->'user'->>'aadObjectId' IS NOT NULL
     ORDER BY updated_at DESC LIMIT 1`,
    [userId],
  );
  const aad = r.rows[0]?.aad;
  return aad ? { id: aad.toLowerCase(), resolved: true } : { id: userId, resolved: false };
}

/**
 * The person's platform ids where a feature keeps them beside a pseudonym (reminders, onboarding) or a platform keeps
 * them in a reference (Teams: the Entra object id of the last writer; Slack: a personal chat named by the user id),
 * each taken only when its pseudonym is one of the person's — so a person asked for by their Slack id is also found
 * by the Teams id stored for their linked Teams account.
 */
async function storedIds(
  db: Queryable,
  pseudonyms: Pseudonyms,
  of: Set<string>,
): Promise<{ slack: string[]; teams: string[] }> {
  const r = await db.query<{ platform: string; id: string }>(
    `SELECT DISTINCT platform, creator_user_id AS id FROM reminders
     UNION SELECT DISTINCT platform, target FROM reminders WHERE audience = 'personal'
     UNION SELECT DISTINCT platform, notify_user_id FROM onboarding_progress WHERE notify_user_id IS NOT NULL
     UNION SELECT DISTINCT 'teams', reference->'user'->>'aadObjectId' FROM conversation_refs
       WHERE platform = 'teams' AND reference->'user'->>'aadObjectId' IS NOT NULL
     UNION SELECT DISTINCT platform, conversation_id FROM conversation_refs WHERE platform = 'slack' AND kind = 'personal'`,
  );
  const ids = { slack: new Set<string>(), teams: new Set<string>() };
  for (const row of r.rows)
    if ((row.platform === "slack" || row.platform === "teams") && of.has(pseudonyms.of(row.platform, row.id)))
      ids[row.platform].add(row.id);
  return { slack: [...ids.slack], teams: [...ids.teams] };
}

/** The subject of a request, and whether a 29:… id could be read as the Entra object id Lotse stores users by. */
export interface ResolvedSubject {
  subject: DataSubject;
  /** false: a Teams 29:… id no stored reference knows; only references can be matched. */
  resolved: boolean;
}

/**
 * The person behind a platform user: their pseudonym (Pseudonyms.of), the persons it is linked to in person_links
 * (in the tenant, or in every tenant), and every pseudonym of those persons (People.pseudonymsOf).
 */
export async function resolveSubject(
  deps: { db: Queryable; pseudonyms: Pseudonyms; people: People },
  request: { userId: string; platform?: "slack" | "teams"; tenant?: string },
): Promise<ResolvedSubject> {
  const platform = platformOf(request.userId, request.platform);
  const { id, resolved } =
    platform === "teams" ? await entraIdOf(deps.db, request.userId) : { id: request.userId, resolved: true };
  // Teams sends Entra object ids lower-case; one typed in upper case is the same user.
  const userId = platform === "teams" && ENTRA_OBJECT_ID.test(id) ? id.toLowerCase() : id;
  const own = [...new Set([deps.pseudonyms.of(platform, userId), deps.pseudonyms.of(platform, id)])];
  const links = await deps.db.query<{ tenant: string; person: string }>(
    `SELECT DISTINCT tenant, person FROM person_links
     WHERE platform = $1 AND user_pseudonym = ANY($2::text[]) AND ($3::text IS NULL OR tenant = $3)`,
    [platform, own, request.tenant ?? null],
  );
  const all = new Set(own);
  for (const l of links.rows) for (const p of await deps.people.pseudonymsOf(l.tenant, l.person)) all.add(p);
  const ids = await storedIds(deps.db, deps.pseudonyms, all);
  ids[platform] = [...new Set([userId, ...ids[platform]])];
  return {
    subject: {
      platform,
      userId,
      ids,
      pseudonyms: [...all],
      ...(request.tenant ? { tenant: request.tenant } : {}),
    },
    resolved,
  };
}

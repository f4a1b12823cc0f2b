import type { Inbound } from "./inbound.ts";
import type { Roster } from "./roster.ts";
import type { TenantSettingsEntry } from "./tenant-settings.ts";

/**
 * Whether the user of an input is one of the tenant's coordinators (LOTSE_TENANT_SETTINGS): a configured Slack user
 * or member of a configured Slack user group; a configured Entra object id on Teams (Teams does not say who owns a
 * team). The CLI is the operator's and always is. The roster is asked only when an id alone does not decide.
 */
export async function isCoordinator(
  inbound: Inbound,
  settings: TenantSettingsEntry,
  roster: Roster | undefined,
): Promise<boolean> {
  const c = settings.coordinators;
  const user = inbound.user.id;
  if (inbound.platform === "cli") return true;
  if (inbound.platform === "slack") {
    if (c.slackUsers.includes(user)) return true;
    if (c.slackUsergroups.length === 0 || !roster) return false;
    const { usergroups } = await roster.memberships(inbound);
    return usergroups.some((g) => c.slackUsergroups.includes(g));
  }
  return c.teamsUsers.includes(user.toLowerCase());
}

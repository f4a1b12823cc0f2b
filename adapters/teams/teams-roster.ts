import type { Inbound } from "../../src/core/inbound.ts";
import type { Memberships, Roster } from "../../src/core/roster.ts";

/**
 * What Teams says about a user, for authorisation. Teams has no user groups. Team ownership is not known: the Bot
 * Connector's member look-up (GET /v3/conversations/{teamId}/members/{userId}) gives a TeamsChannelAccount whose
 * userRole tells users from guests but not owners (msteams-docs#1990: no bot API names team owners); only Microsoft
 * Graph (an extra permission such as TeamMember.Read.Group) does — so coordinators on Teams are configured by Entra
 * object id.
 */
export class TeamsRoster implements Roster {
  readonly platform = "teams" as const;

  async memberships(_inbound: Inbound): Promise<Memberships> {
    return { usergroups: [], teamOwner: false };
  }
}

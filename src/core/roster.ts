import type { Inbound } from "./inbound.ts";

/** What a platform says about the user of an input, for authorisation (coordinators). */
export interface Memberships {
  /** Slack user group ids (S…) the user belongs to; empty where the platform has none or was not asked. */
  usergroups: string[];
  /** Teams: the user owns the team the input came from (false outside a team). */
  teamOwner: boolean;
}

/**
 * The port through which features ask a platform about a user (Slack usergroups.list / usergroups.users.list; Teams
 * team membership). One per platform, registered in Runtime.rosters when its adapter starts; an implementation may
 * cache for minutes. It never throws for "does not know": it answers no groups and no ownership.
 */
export interface Roster {
  readonly platform: "teams" | "slack";
  memberships(inbound: Inbound): Promise<Memberships>;
  /**
   * The work email of the input's user where the platform tells it outside a join (Slack users.info with
   * users:read.email): onboarding then links a colleague who was already there before Lotse came. Undefined where it
   * does not (no scope, another organisation's member, Teams outside a turn), never throwing.
   */
  emailOf?(inbound: Inbound): Promise<string | undefined>;
}

import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { Inbound } from "../../src/core/inbound.ts";
import type { Memberships, Roster } from "../../src/core/roster.ts";
import type { Logger } from "../../src/log.ts";
import { slackErrorOf } from "./slack-poster.ts";
import type { SlackUser } from "./to-inbound.ts";

/** How long a team's user groups are trusted: a coordinator added to a group is one within five minutes. */
export const ROSTER_TTL_MS = 5 * 60_000;
/** How long a failed lookup is not repeated: a missing scope would otherwise cost a Slack call per input. */
export const ROSTER_FAILURE_TTL_MS = 60_000;

const NONE: Memberships = { usergroups: [], teamOwner: false };

/** The part of usergroups.list (include_users) Lotse reads. */
const UsergroupList = z.object({
  usergroups: z.array(
    z.object({
      id: z.string(),
      users: z.array(z.string()).optional(),
      date_delete: z.number().optional(),
    }),
  ),
});

/** A team's user groups by member: user id → group ids. */
type GroupsByUser = ReadonlyMap<string, string[]>;

/** A failed lookup's answer: no groups for anyone (one instance, so its shorter life can be told apart). */
const FAILED: GroupsByUser = new Map();

export interface SlackRosterDeps {
  /** The Web API client of the adapter (usergroups:read; users:read.email for emailOf). */
  client: () => WebClient;
  log: Logger;
  /** ms since the epoch; injected so tests turn the cache over without waiting. */
  now?: () => number;
}

/**
 * Which Slack user groups (S…) the user of an input belongs to, for the core's authorisation (coordinators by user
 * group): one usergroups.list with include_users per team, cached for five minutes and fetched again lazily on the
 * first input after that; concurrent inputs share one call. Slack has no team owners in this sense: teamOwner is
 * always false. A failure (missing scope, a free workspace without user groups, a network error) answers no groups,
 * logged once at warn with Slack's error until a lookup succeeds again.
 */
export class SlackRoster implements Roster {
  readonly platform = "slack" as const;
  private readonly deps: SlackRosterDeps;
  private readonly now: () => number;
  private readonly cache = new Map<string, { until: number; groups: Promise<GroupsByUser> }>();
  /** Teams whose failure was logged (team → Slack's error), until a lookup succeeds. */
  private readonly failing = new Map<string, string>();

  constructor(deps: SlackRosterDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  async memberships(inbound: Inbound): Promise<Memberships> {
    if (inbound.platform !== "slack" || inbound.user.id === "unknown") return NONE;
    const team = inbound.externalTenantId ?? "";
    const groups = await this.groupsOf(team);
    return { usergroups: [...(groups.get(inbound.user.id) ?? [])], teamOwner: false };
  }

  async emailOf(inbound: Inbound): Promise<string | undefined> {
    if (inbound.platform !== "slack" || inbound.user.id === "unknown") return undefined;
    try {
      const r = await this.deps.client().users.info({ user: inbound.user.id });
      const user = r.user as SlackUser | undefined;
      // A member of another organisation (a Slack Connect channel) is not the tenant's staff.
      if (!user || (user.team_id && inbound.externalTenantId && user.team_id !== inbound.externalTenantId))
        return undefined;
      const email = user.profile?.email;
      return typeof email === "string" && email.includes("@") ? email : undefined;
    } catch (err) {
      this.deps.log.warn(
        { code: "SLACK_USER_LOOKUP_FAILED", slackError: slackErrorOf(err) ?? "unknown" },
        "users.info failed; onboarding goes on without linking the email",
      );
      return undefined;
    }
  }

  private groupsOf(team: string): Promise<GroupsByUser> {
    const cached = this.cache.get(team);
    if (cached && cached.until > this.now()) return cached.groups;
    const entry = { until: Number.POSITIVE_INFINITY, groups: this.fetch(team) };
    this.cache.set(team, entry);
    // The entry's life starts when Slack has answered; until then concurrent inputs wait for the same call.
    void entry.groups.then((g) => {
      entry.until = this.now() + (g === FAILED ? ROSTER_FAILURE_TTL_MS : ROSTER_TTL_MS);
    });
    return entry.groups;
  }

  private async fetch(team: string): Promise<GroupsByUser> {
    try {
      const raw = await this.deps
        .client()
        .usergroups.list({ include_users: true, ...(team ? { team_id: team } : {}) });
      const { usergroups } = UsergroupList.parse(raw);
      const byUser = new Map<string, string[]>();
      for (const group of usergroups) {
        if (group.date_delete) continue; // disabled groups are listed only on request, but be sure
        for (const user of group.users ?? []) byUser.set(user, [...(byUser.get(user) ?? []), group.id]);
      }
      this.failing.delete(team);
      return byUser;
    } catch (err) {
      const slackError = slackErrorOf(err) ?? (err instanceof z.ZodError ? "invalid_response" : "unknown");
      if (this.failing.get(team) !== slackError) {
        this.failing.set(team, slackError);
        this.deps.log.warn(
          { event: "slack_roster_failed", slackError, team },
          "Slack user groups not readable: no one is a coordinator by user group",
        );
      }
      return FAILED;
    }
  }
}

import { Activity } from "@microsoft/agents-activity";
import { describe, expect, it } from "vitest";
import { TeamsRoster } from "../../../adapters/teams/teams-roster.ts";
import { toInbound } from "../../../adapters/teams/to-inbound.ts";
import { fixture } from "../../fakes/teams-activities.ts";

describe("TeamsRoster", () => {
  it("answers no user groups and no team ownership (Teams names no owners without Graph), in a team too", async () => {
    const roster = new TeamsRoster();
    expect(roster.platform).toBe("teams");
    const inbound = toInbound(
      Activity.fromObject(await fixture("teams-reminder-submit", "https://smba.trafficmanager.net/emea/")),
      new Date("2026-11-25T10:12:32.000Z"),
    );
    if (!inbound) throw new Error("fixture is no input");
    expect(await roster.memberships(inbound)).toEqual({ usergroups: [], teamOwner: false });
  });
});

import { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROSTER_FAILURE_TTL_MS, ROSTER_TTL_MS, SlackRoster } from "../../../adapters/slack/slack-roster.ts";
import type { Inbound } from "../../../src/core/inbound.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { BOT_TOKEN } from "../../fakes/slack-events.ts";
import { captureLogs } from "../../helpers.ts";

/** A /lotse from a user of a team, as to-inbound.ts makes it. */
const inbound = (user: string, team = "T0MUSTER1"): Inbound => ({
  kind: "message",
  platform: "slack",
  externalTenantId: team,
  user: { id: user },
  conversation: { id: "C0NACHHALT", kind: "channel", channel: "C0NACHHALT" },
  receivedAt: new Date("2026-03-02T08:00:00Z"),
  text: "erinnerungen",
  private: true,
});

describe("the Slack roster", () => {
  const api = new FakeSlackApi();
  const { logs, log } = captureLogs();
  let clock = 1_764_070_000_000;
  let roster: SlackRoster;
  const client = () =>
    new WebClient(BOT_TOKEN, {
      slackApiUrl: api.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });

  beforeAll(() => api.start());
  afterEach(() => {
    api.reset();
    logs.length = 0;
  });
  afterAll(() => api.stop());

  const fresh = () => {
    const c = client();
    roster = new SlackRoster({ client: () => c, log, now: () => clock });
    api.usergroups.set("T0MUSTER1", [
      { id: "S0KOORD001", handle: "nachhaltigkeit-koordination", users: ["U0JULIA01", "U0MAX00001"] },
      { id: "S0UMWELT01", handle: "umweltamt", users: ["U0JULIA01"] },
    ]);
    api.usergroups.set("T0NACHBAR1", [{ id: "S0NACHBAR1", handle: "koordination", users: ["U0ERIKA01"] }]);
  };

  it("answers a user's user groups from one usergroups.list with include_users per team", async () => {
    fresh();
    expect(await roster.memberships(inbound("U0JULIA01"))).toEqual({
      usergroups: ["S0KOORD001", "S0UMWELT01"],
      teamOwner: false,
    });
    expect(await roster.memberships(inbound("U0MAX00001"))).toEqual({
      usergroups: ["S0KOORD001"],
      teamOwner: false,
    });
    expect(await roster.memberships(inbound("U0ERIKA01"))).toEqual({ usergroups: [], teamOwner: false });
    expect(await roster.memberships(inbound("U0ERIKA01", "T0NACHBAR1"))).toEqual({
      usergroups: ["S0NACHBAR1"],
      teamOwner: false,
    });
    expect(api.callsOf("usergroups.list").map((c) => [c.args.team_id, c.args.include_users])).toEqual([
      ["T0MUSTER1", "true"],
      ["T0NACHBAR1", "true"],
    ]);
  });

  it("shares one call among concurrent inputs, and asks again only after five minutes", async () => {
    fresh();
    await Promise.all(["U0JULIA01", "U0MAX00001", "U0ERIKA01"].map((u) => roster.memberships(inbound(u))));
    expect(api.callsOf("usergroups.list")).toHaveLength(1);
    // Max leaves the group; within the five minutes Lotse still knows the old list.
    api.usergroups.set("T0MUSTER1", [
      { id: "S0KOORD001", handle: "nachhaltigkeit-koordination", users: ["U0JULIA01"] },
    ]);
    clock += ROSTER_TTL_MS - 1;
    expect((await roster.memberships(inbound("U0MAX00001"))).usergroups).toEqual(["S0KOORD001"]);
    expect(api.callsOf("usergroups.list")).toHaveLength(1);
    clock += 1;
    expect((await roster.memberships(inbound("U0MAX00001"))).usergroups).toEqual([]);
    expect(api.callsOf("usergroups.list")).toHaveLength(2);
  });

  it("answers no groups when Slack refuses, logs it once at warn with Slack's error, and tries again later", async () => {
    fresh();
    api.failures.set("usergroups.list T0MUSTER1", "missing_scope");
    for (const u of ["U0JULIA01", "U0MAX00001"])
      expect(await roster.memberships(inbound(u))).toEqual({ usergroups: [], teamOwner: false });
    clock += ROSTER_FAILURE_TTL_MS;
    expect((await roster.memberships(inbound("U0JULIA01"))).usergroups).toEqual([]);
    expect(api.callsOf("usergroups.list")).toHaveLength(2);
    const warned = logs.filter((l) => l.event === "slack_roster_failed");
    expect(warned.map((l) => [l.level, l.slackError, l.team])).toEqual([[40, "missing_scope", "T0MUSTER1"]]);
    // The scope granted: the groups are back.
    api.failures.clear();
    clock += ROSTER_FAILURE_TTL_MS;
    expect((await roster.memberships(inbound("U0JULIA01"))).usergroups).toEqual(["S0KOORD001", "S0UMWELT01"]);
  });

  it("answers no groups for an unreachable Slack and for inputs that are not Slack's, without throwing", async () => {
    const unreachable = new WebClient(BOT_TOKEN, {
      slackApiUrl: "http://127.0.0.1:9/api/",
      retryConfig: { retries: 0 },
    });
    const offline = new SlackRoster({ client: () => unreachable, log, now: () => clock });
    expect(await offline.memberships(inbound("U0JULIA01"))).toEqual({ usergroups: [], teamOwner: false });
    expect(logs.filter((l) => l.event === "slack_roster_failed")).toHaveLength(1);
    fresh();
    const teams = { ...inbound("U0JULIA01"), platform: "teams" as const };
    expect(await roster.memberships(teams)).toEqual({ usergroups: [], teamOwner: false });
    expect(api.callsOf("usergroups.list")).toHaveLength(0);
  });
});

describe("the Slack roster's email of a user (onboarding links a colleague at their first step)", () => {
  const api = new FakeSlackApi();
  const { logs, log } = captureLogs();
  let roster: SlackRoster;
  beforeAll(async () => {
    await api.start();
    const client = new WebClient(BOT_TOKEN, {
      slackApiUrl: api.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    roster = new SlackRoster({ client: () => client, log });
  });
  afterEach(() => {
    api.reset();
    logs.length = 0;
  });
  afterAll(() => api.stop());

  it("tells the work email users.info gives with users:read.email", async () => {
    api.users.set("U0ALT00001", {
      id: "U0ALT00001",
      name: "ute.alt",
      real_name: "Ute Alt",
      email: "ute.alt@musterstadt.example",
    });
    expect(await roster.emailOf(inbound("U0ALT00001"))).toBe("ute.alt@musterstadt.example");
    expect(api.calls.map((c) => c.method)).toEqual(["users.info"]);
  });

  it("tells none without the scope, for another organisation's member or an unknown user, and logs no id or address", async () => {
    api.users.set("U0ALT00001", {
      id: "U0ALT00001",
      name: "ute.alt",
      real_name: "Ute Alt",
      email: "ute.alt@musterstadt.example",
    });
    // A Slack Connect member: users.info names their own workspace.
    expect(await roster.emailOf(inbound("U0ALT00001", "T0NACHBAR1"))).toBeUndefined();
    api.failures.set("users.info", "missing_scope");
    expect(await roster.emailOf(inbound("U0ALT00001"))).toBeUndefined();
    api.failures.clear();
    expect(await roster.emailOf(inbound("U0NIEMAND1"))).toBeUndefined();
    expect(logs.map((l) => [l.code, l.slackError])).toEqual([
      ["SLACK_USER_LOOKUP_FAILED", "missing_scope"],
      ["SLACK_USER_LOOKUP_FAILED", "user_not_found"],
    ]);
    expect(JSON.stringify(logs)).not.toMatch(/U0ALT00001|ute\.alt/);
  });
});

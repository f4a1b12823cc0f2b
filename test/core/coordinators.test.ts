import { describe, expect, it } from "vitest";
import { isCoordinator } from "../../src/core/coordinators.ts";
import type { Inbound } from "../../src/core/inbound.ts";
import type { Memberships, Roster } from "../../src/core/roster.ts";
import { TenantSettings } from "../../src/core/tenant-settings.ts";

const AAD = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const settings = TenantSettings.parse(
  JSON.stringify({
    musterstadt: {
      coordinators: {
        slack_users: ["U0COORD1"],
        slack_usergroups: ["S0NACHH"],
        teams_users: [AAD],
      },
    },
  }),
  [14, 2],
).of("musterstadt");

function inbound(platform: "slack" | "teams" | "cli", user: string): Inbound {
  return {
    kind: "message",
    text: "erinnerung",
    platform,
    user: { id: user },
    conversation: {
      id: platform === "slack" ? "C0123ABCD" : "19:abc@thread.tacv2",
      kind: "channel",
      channel: platform === "slack" ? "C0123ABCD" : "19:abc@thread.tacv2",
    },
    receivedAt: new Date("2026-12-02T09:00:00Z"),
  };
}

function roster(platform: "slack" | "teams", m: Memberships): Roster & { asked: number } {
  const r = {
    platform,
    asked: 0,
    async memberships() {
      r.asked += 1;
      return m;
    },
  };
  return r;
}

describe("isCoordinator", () => {
  it("knows configured Slack users without asking the roster", async () => {
    const r = roster("slack", { usergroups: [], teamOwner: false });
    expect(await isCoordinator(inbound("slack", "U0COORD1"), settings, r)).toBe(true);
    expect(r.asked).toBe(0);
  });

  it("asks the roster for Slack user groups", async () => {
    expect(
      await isCoordinator(
        inbound("slack", "U0OTHER"),
        settings,
        roster("slack", { usergroups: ["S0NACHH"], teamOwner: false }),
      ),
    ).toBe(true);
    expect(
      await isCoordinator(
        inbound("slack", "U0OTHER"),
        settings,
        roster("slack", { usergroups: ["S0ANDERE"], teamOwner: false }),
      ),
    ).toBe(false);
    expect(await isCoordinator(inbound("slack", "U0OTHER"), settings, undefined)).toBe(false);
  });

  it("knows Teams users by Entra object id, in any case, and no one else", async () => {
    expect(await isCoordinator(inbound("teams", AAD.toUpperCase()), settings, undefined)).toBe(true);
    const owner = roster("teams", { usergroups: [], teamOwner: true });
    expect(
      await isCoordinator(inbound("teams", "9a8b7c6d-0000-4000-8000-000000000001"), settings, owner),
    ).toBe(false);
  });

  it("treats the CLI as the operator", async () => {
    expect(await isCoordinator(inbound("cli", "cli"), new TenantSettings().of("x"), undefined)).toBe(true);
  });
});

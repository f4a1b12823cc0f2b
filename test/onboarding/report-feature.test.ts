import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeContact } from "../../src/assistant/contacts.ts";
import type { Turn } from "../../src/core/feature.ts";
import type { ConversationAddress, MessageInbound } from "../../src/core/inbound.ts";
import type { CardReply, NoticeReply } from "../../src/core/replies.ts";
import { silentLogger } from "../../src/log.ts";
import { OnboardingReportFeature, reportIntent } from "../../src/onboarding/report-feature.ts";
import { OnboardingReport } from "../../src/onboarding/report-onboarding.ts";
import type { Runtime } from "../../src/runtime.ts";
import { fixtureRuntime } from "../helpers.ts";
import { insertModules, insertProgress, insertStats } from "./report-fixture.ts";

const NOW = new Date("2026-12-02T08:00:00Z");
const COORDINATOR = { id: "U0KOORD01", name: "Kim Koordination" };
const STAFF = { id: "U0ERIKA01", name: "Erika Mustermann" };
const TEAMS_COORDINATOR = { id: "6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b", name: "Jonas Koordination" };
const SLACK_CHANNEL: ConversationAddress = { id: "C0123ABCD", kind: "channel", channel: "C0123ABCD" };
const SLACK_DM: ConversationAddress = { id: "D0456EFGH", kind: "personal", channel: "D0456EFGH" };
const TEAMS_CHANNEL_ID = "19:4f7c2a1be0d94e7f8b5c3a2d1e0f9a8b@thread.tacv2";
const TEAMS_CHANNEL: ConversationAddress = {
  id: TEAMS_CHANNEL_ID,
  kind: "channel",
  channel: TEAMS_CHANNEL_ID,
};
const TEAMS_CHAT: ConversationAddress = {
  id: "a:1Xq9BvHkz0TzR7w",
  kind: "personal",
  channel: "a:1Xq9BvHkz0TzR7w",
};

const coordinators = {
  slack_users: [COORDINATOR.id],
  teams_users: [TEAMS_COORDINATOR.id],
};
const settings = (perPerson: boolean) =>
  JSON.stringify({ musterstadt: { coordinators, onboarding: { per_person_report: perPerson } } });

/** The real runtime (PGlite, prompts, tenant settings from LOTSE_TENANT_SETTINGS) and the feature built from it. */
async function setUp(perPerson: boolean): Promise<{ rt: Runtime; feature: OnboardingReportFeature }> {
  const rt = await fixtureRuntime({ LOTSE_TENANT_SETTINGS: settings(perPerson) });
  await insertModules(rt.db);
  await insertStats(rt.db);
  await insertProgress(rt.db);
  const feature = new OnboardingReportFeature({
    report: new OnboardingReport({
      db: rt.db,
      tenantSettings: rt.config.tenantSettings,
      templates: rt.templates,
      clock: () => NOW,
    }),
    templates: rt.templates,
    tenantSettings: rt.config.tenantSettings,
    rosters: rt.rosters,
    log: silentLogger,
    whoCanHelp: async (tenant) => {
      const c = (await rt.assistant.contacts(tenant)).get(rt.config.defaultContactRole);
      return c ? describeContact(c) : undefined;
    },
  });
  return { rt, feature };
}

const message = (
  text: string,
  user: { id: string; name?: string },
  conversation: ConversationAddress,
  extra: Partial<MessageInbound> = {},
): MessageInbound => ({
  kind: "message",
  platform: conversation.id.startsWith("19:") || conversation.id.startsWith("a:") ? "teams" : "slack",
  externalTenantId:
    conversation.id.startsWith("19:") || conversation.id.startsWith("a:")
      ? "8c1f7e2a-3b4d-4e5f-9a6b-7c8d9e0f1a2b"
      : "T0MUSTER",
  user,
  conversation,
  receivedAt: NOW,
  text,
  ...extra,
});
const turn = (inbound: MessageInbound): Turn => ({
  inbound,
  tenant: "musterstadt",
  user: `p-${inbound.user.id}`,
});

describe("reportIntent", () => {
  it("takes the report's phrasings and leaves plain „onboarding“ to the onboarding feature", () => {
    for (const t of [
      "onboarding bericht",
      "Onboarding-Bericht",
      "onboarding report",
      "/lotse onboarding bericht",
      "  Onboarding   Bericht! ",
      "onboardingbericht",
    ])
      expect(reportIntent(t), t).toEqual({ kind: "report" });
    for (const t of [
      "onboarding bericht personen",
      "Onboarding-Bericht pro Person",
      "/lotse onboarding report personen",
    ])
      expect(reportIntent(t), t).toEqual({ kind: "persons" });
    for (const t of [
      "onboarding",
      "/lotse onboarding",
      "onboarding starten",
      "Wie schreibe ich einen Bericht zum Onboarding?",
      "onboarding bericht für die Beschaffung bitte",
    ])
      expect(reportIntent(t), t).toBeUndefined();
  });
});

describe("OnboardingReportFeature, per-person reporting off", () => {
  let rt: Runtime;
  let feature: OnboardingReportFeature;
  beforeAll(async () => {
    ({ rt, feature } = await setUp(false));
  }, 60_000);
  afterAll(() => rt.close());

  it("owns the report's messages only", () => {
    expect(feature.owns(message("onboarding bericht", COORDINATOR, SLACK_CHANNEL))).toBe(true);
    expect(feature.owns(message("onboarding", COORDINATOR, SLACK_CHANNEL))).toBe(false);
    expect(feature.owns({ ...message("x", COORDINATOR, SLACK_CHANNEL), kind: "home" } as never)).toBe(false);
  });

  it("gives a Slack coordinator the aggregate card privately, small counts hidden", async () => {
    const replies = await feature.handle(
      turn(message("onboarding bericht", COORDINATOR, SLACK_CHANNEL, { private: true })),
    );
    expect(replies).toHaveLength(1);
    const r = replies[0] as CardReply;
    expect(r).toMatchObject({ kind: "card", private: true });
    expect(r.card.title).toBe("Onboarding-Bericht musterstadt");
    const text = JSON.stringify(r.card);
    expect(text).toContain("14 begonnen, 6 abgeschlossen (43 % abgeschlossen)");
    expect(text).toContain("< 5 begonnen");
    expect(text).toContain("Häufig falsch beantwortet");
    expect(text).not.toContain("Erika");
  });

  it("gives a Teams coordinator the card too (Entra id, case as Teams sends it)", async () => {
    const replies = await feature.handle(
      turn(
        message(
          "Onboarding-Bericht",
          { ...TEAMS_COORDINATOR, id: TEAMS_COORDINATOR.id.toUpperCase() },
          TEAMS_CHANNEL,
        ),
      ),
    );
    expect(replies[0]?.kind).toBe("card");
  });

  it("refuses everyone else, naming who can help", async () => {
    for (const [user, where] of [
      [STAFF, SLACK_CHANNEL],
      [{ id: "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", name: "Max Muster" }, TEAMS_CHAT],
    ] as const) {
      const replies = await feature.handle(turn(message("onboarding bericht", user, where)));
      expect(replies).toHaveLength(1);
      const r = replies[0] as NoticeReply;
      expect(r).toMatchObject({ kind: "notice", private: true });
      expect(r.text).toContain("Den Onboarding-Bericht sehen nur die Nachhaltigkeitskoordinatorinnen");
      expect(r.text).toContain("Dr. Anna Grün");
      expect(r.text).toContain("nachhaltigkeit@musterstadt.example");
    }
  });

  it("refuses the per-person list with the reason and how to switch it on, even in a personal chat", async () => {
    const replies = await feature.handle(turn(message("onboarding bericht personen", COORDINATOR, SLACK_DM)));
    const r = replies[0] as NoticeReply;
    expect(r.kind).toBe("notice");
    expect(r.text).toContain("§ 80 Abs. 1 Nr. 21 BPersVG");
    expect(r.text).toContain("onboarding.per_person_report: true");
    expect(JSON.stringify(replies)).not.toContain("Erika");
  });

  it("refuses a non-coordinator's per-person request as a non-coordinator", async () => {
    const replies = await feature.handle(turn(message("onboarding bericht personen", STAFF, SLACK_DM)));
    expect((replies[0] as NoticeReply).text).toContain("Den Onboarding-Bericht sehen nur");
  });
});

describe("OnboardingReportFeature, per-person reporting on", () => {
  let rt: Runtime;
  let feature: OnboardingReportFeature;
  beforeAll(async () => {
    ({ rt, feature } = await setUp(true));
  }, 60_000);
  afterAll(() => rt.close());

  it("lists persons in a personal chat and on a Slack slash command's private answer", async () => {
    for (const inbound of [
      message("onboarding bericht personen", COORDINATOR, SLACK_DM),
      message("onboarding bericht personen", COORDINATOR, SLACK_CHANNEL, { private: true }),
      message("onboarding bericht personen", TEAMS_COORDINATOR, TEAMS_CHAT),
    ]) {
      const replies = await feature.handle(turn(inbound));
      const r = replies[0] as CardReply;
      expect(r).toMatchObject({ kind: "card", private: true });
      expect(r.card.title).toBe("Onboarding pro Person – musterstadt");
      expect(JSON.stringify(r.card)).toContain("Erika Mustermann (Beschaffende): 7 von 7 Modulen");
    }
  });

  it("never posts names into a channel", async () => {
    for (const inbound of [
      message("onboarding bericht personen", COORDINATOR, SLACK_CHANNEL),
      message("onboarding bericht personen", TEAMS_COORDINATOR, TEAMS_CHANNEL),
    ]) {
      const replies = await feature.handle(turn(inbound));
      expect(replies[0]?.kind).toBe("notice");
      expect((replies[0] as NoticeReply).text).toContain("nur im persönlichen Chat");
      expect(JSON.stringify(replies)).not.toContain("Erika");
    }
  });

  it("still shows only aggregates on plain „onboarding bericht“, now exact", async () => {
    const replies = await feature.handle(turn(message("onboarding bericht", COORDINATOR, SLACK_DM)));
    const text = JSON.stringify((replies[0] as CardReply).card);
    expect(text).toContain("4 begonnen, 2 abgeschlossen (50 % abgeschlossen)");
    expect(text).not.toContain("Erika");
  });
});

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import type { ConversationAddress, MessageInbound } from "../../src/core/inbound.ts";
import type { CardReply, NoticeReply, Reply } from "../../src/core/replies.ts";
import type { Memberships, Roster } from "../../src/core/roster.ts";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import { silentLogger } from "../../src/log.ts";
import { DeadlineFeature } from "../../src/reminders/deadline-feature.ts";
import type {
  DeadlineSubscription,
  DeadlineSubscriptions,
} from "../../src/reminders/deadline-subscriptions.ts";
import type { Deadline } from "../../src/reminders/deadlines/deadlines.ts";
import { ROOT } from "../helpers.ts";

const TENANT = "musterstadt";
const NOW = new Date("2026-12-02T08:00:00Z");
const CHANNEL_ID = "19:4f7c2a1be0d94e7f8b5c3a2d1e0f9a8b@thread.tacv2";
const CHANNEL: ConversationAddress = { id: CHANNEL_ID, kind: "channel", channel: CHANNEL_ID };
/** A post of that channel, answered in its reply chain: its own conversation id, the same channel. */
const post = (id: string): ConversationAddress => ({
  id: `${CHANNEL_ID};messageid=${id}`,
  kind: "thread",
  channel: CHANNEL_ID,
});
const OWNER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const STAFF = "7d6c5b4a-3f2e-4d1c-9b0a-8f7e6d5c4b3a";

const deadlines: Deadline[] = [
  {
    docId: "musterstadt/fristen/indikatorenbericht",
    tenant: TENANT,
    title: "Indikatorenbericht an den Rat",
    due: "jährlich am 31.3.",
    rrule: "DTSTART;TZID=Europe/Berlin:20270331T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
    reading: "jedes Jahr am 31. März um 9:00 Uhr",
    summary: "Die Fachbereiche melden ihre Indikatoren.",
  },
  {
    docId: "musterstadt/fristen/produktblaetter",
    tenant: TENANT,
    title: "Produktblätter im Haushalt",
    due: "jährlich am 30.9.",
    rrule: "DTSTART;TZID=Europe/Berlin:20270930T090000\nRRULE:FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=30",
    reading: "jedes Jahr am 30. September um 9:00 Uhr",
    summary: "Nachhaltigkeitsziele in den Produktblättern.",
  },
];

/** Subscriptions in memory, with the calls it got. */
class FakeSubscriptions implements Pick<DeadlineSubscriptions, "subscribe" | "unsubscribe"> {
  readonly rows = new Map<string, DeadlineSubscription>();
  async subscribe(s: Omit<DeadlineSubscription, "id">, _now: Date) {
    const key = `${s.tenant}|${s.platform}|${s.conversationId}`;
    const created = !this.rows.has(key);
    const subscription = { ...s, id: String(this.rows.size + 1) };
    this.rows.set(key, subscription);
    return { subscription, created, planned: deadlines.length * s.leadDays.length };
  }
  async unsubscribe(tenant: string, platform: "slack" | "teams", conversationId: string) {
    return this.rows.delete(`${tenant}|${platform}|${conversationId}`);
  }
}

/** A roster that would call the owner a team owner: being one does not make a coordinator, the settings do. */
const roster: Roster = {
  platform: "teams",
  memberships: async (inbound): Promise<Memberships> => ({
    usergroups: [],
    teamOwner: inbound.user.id === OWNER,
  }),
};

let templates: Templates;
beforeAll(async () => {
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
});

function setUp(leadDays = [14, 2]) {
  const subscriptions = new FakeSubscriptions();
  const settings = new TenantSettings(
    new Map([
      [
        TENANT,
        {
          coordinators: { slackUsers: [], slackUsergroups: [], teamsUsers: [OWNER] },
          deadlineLeadDays: leadDays,
          onboarding: { perPersonReport: false, slackChannels: [] },
        },
      ],
    ]),
  );
  const feature = new DeadlineFeature({
    subscriptions,
    deadlines: { list: async (tenant) => (tenant === TENANT ? deadlines : []) },
    templates,
    tenantSettings: settings,
    rosters: new Map([["teams", roster]]),
    log: silentLogger,
    clock: () => NOW,
  });
  const say = (text: string, user: string, conversation = CHANNEL): Promise<Reply[]> => {
    const inbound: MessageInbound = {
      kind: "message",
      platform: "teams",
      externalTenantId: "8c1f7e2a-3b4d-4e5f-9a6b-7c8d9e0f1a2b",
      user: { id: user },
      conversation,
      receivedAt: NOW,
      text,
    };
    expect(feature.owns(inbound)).toBe(true);
    return feature.handle({ inbound, tenant: TENANT, user: `p-${user}` });
  };
  return { subscriptions, say };
}

describe("DeadlineFeature", () => {
  it("subscribes a channel for a configured coordinator, with the tenant's lead days, and lists the deadlines' next dates", async () => {
    const { subscriptions, say } = setUp();
    const [reply] = (await say("fristen abonnieren", OWNER)) as CardReply[];
    expect(reply?.card.title).toBe("Fristen abonniert");
    expect(reply?.card.sections[0]?.text).toBe(
      "Dieser Kanal wird jeweils 14 und 2 Tage vor jeder Frist erinnert.",
    );
    expect(reply?.card.sections[1]?.items).toEqual([
      "Indikatorenbericht an den Rat – nächste Frist: 31. März 2027",
      "Produktblätter im Haushalt – nächste Frist: 30. September 2027",
    ]);
    expect([...subscriptions.rows.values()]).toEqual([
      expect.objectContaining({
        tenant: TENANT,
        platform: "teams",
        conversationId: CHANNEL.id,
        leadDays: [14, 2],
      }),
    ]);
    const [again] = (await say("Fristen abonnieren", OWNER)) as CardReply[];
    expect(again?.card.title).toBe("Fristen sind bereits abonniert");
  });

  it("refuses a non-coordinator and a personal chat, saying why", async () => {
    const { subscriptions, say } = setUp();
    const [staff] = (await say("fristen abonnieren", STAFF)) as NoticeReply[];
    expect(staff).toMatchObject({ kind: "notice", private: true });
    expect(staff?.text).toContain("Nachhaltigkeitskoordinatorinnen und -koordinatoren");
    const [personal] = (await say("fristen abonnieren", OWNER, {
      id: "a:1Xq9personalchat",
      kind: "personal",
      channel: "a:1Xq9personalchat",
    })) as NoticeReply[];
    expect(personal?.text).toContain("nicht im persönlichen Chat");
    expect(subscriptions.rows.size).toBe(0);
  });

  it("keys the subscription on the channel, whichever post of it asks", async () => {
    const { subscriptions, say } = setUp();
    await say("fristen abonnieren", OWNER, post("1764662400123"));
    const [again] = (await say("fristen abonnieren", OWNER, post("1764662499999"))) as CardReply[];
    expect(again?.card.title).toBe("Fristen sind bereits abonniert");
    expect([...subscriptions.rows.values()].map((s) => s.conversationId)).toEqual([CHANNEL_ID]);
    const [ended] = (await say("fristen abbestellen", OWNER, post("1764663000000"))) as CardReply[];
    expect(ended?.card.sections[0]?.text).toContain("Abbestellt");
    expect(subscriptions.rows.size).toBe(0);
  });

  it("unsubscribes, and says so when there was nothing to end", async () => {
    const { subscriptions, say } = setUp([7]);
    await say("fristen abonnieren", OWNER);
    expect([...subscriptions.rows.values()][0]?.leadDays).toEqual([7]);
    const [ended] = (await say("fristen abbestellen", OWNER)) as CardReply[];
    expect(ended?.card.sections[0]?.text).toContain("Abbestellt");
    const [none] = (await say("fristen abbestellen", OWNER)) as CardReply[];
    expect(none?.card.sections[0]?.text).toBe("Dieser Kanal hatte keine Fristen abonniert.");
  });
});

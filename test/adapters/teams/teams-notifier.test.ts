import { Activity } from "@microsoft/agents-activity";
import { CloudAdapter, getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { retryAfterMs } from "../../../adapters/teams/connector-failure.ts";
import { conversationReferenceOf } from "../../../adapters/teams/conversation-reference.ts";
import { ServiceUrlPolicy } from "../../../adapters/teams/service-hosts.ts";
import { TeamsNotifier } from "../../../adapters/teams/teams-notifier.ts";
import { TokenHealth } from "../../../adapters/teams/token-health.ts";
import type { Reply } from "../../../src/core/replies.ts";
import { LotseError } from "../../../src/errors.ts";
import { CLIENT_ID, CREDENTIALS, fixture, TENANT } from "../../fakes/teams-activities.ts";
import { FakeConnector } from "../../fakes/teams-connector.ts";
import { type Lotse, startLotse } from "../../fakes/teams-harness.ts";
import { captureLogs } from "../../helpers.ts";

// Personal messages (NotifyTarget "user") against the fake Bot Connector, with Bot credentials so that Lotse's
// own id is the Azure Bot's (28:<app id>) as in production; the connector is on loopback, which
// TEAMS_SERVICE_HOSTS allows here.

const ERIKA = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const THOMAS = "0b9e4d1c-7f2a-4e6b-8c3d-5a1f9e7b2c4d";
const PERSONAL =
  "a:1pQ7wZ3xN9mK2vB5cR8tY4uE6iO0aS1dF3gH5jK7lZ9xC2vB4nM6qW8eR0tY2uI4oP6aS8dF0gH2jK4lZ6xC8vB0nM2qW4eR6tY8uI0oP";
const CHANNEL = "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2";
const CHANNEL_THREAD = `${CHANNEL};messageid=1764064790000`;
const GROUP = "19:meeting_Njk4ZTI1YzctMzBhYi00ZjE0LWI2NzItNDk3YjE1ZDc0N2Uw@thread.v2";
const REMINDER: Reply = { kind: "notice", text: "Erinnerung: Indikatoren bis 31. März melden." };

describe("TeamsNotifier: personal messages to a user", () => {
  let clock = 1_000_000;
  const connector = new FakeConnector({ now: () => clock });
  let lotse: Lotse;

  /** Stores the reference of a recorded activity as the core does for the tenant. */
  async function store(
    name: string,
    tenant: string,
    kind: "personal" | "group" | "thread",
    patch: Record<string, unknown> = {},
  ): Promise<void> {
    const activity = Activity.fromObject(await fixture(name, connector.url, patch));
    await lotse.rt.conversations.save({
      platform: "teams",
      conversationId: activity.conversation?.id as string,
      tenant,
      externalTenantId: TENANT,
      kind,
      reference: conversationReferenceOf(activity),
    });
  }

  beforeAll(async () => {
    await connector.start();
    lotse = await startLotse(
      { ...CREDENTIALS, TEAMS_SERVICE_HOSTS: "127.0.0.1" },
      { accessToken: async () => "lotse-access-token" },
    );
  });
  afterEach(async () => {
    lotse.logs.length = 0;
    connector.reset();
    connector.rateLimit = undefined;
    await lotse.rt.db.query("DELETE FROM conversation_refs");
  });
  afterAll(async () => {
    await lotse.stop();
    await connector.stop();
  });

  it("posts into the user's stored personal chat, found by the Entra object id", async () => {
    await store("channel-mention", "musterstadt", "thread");
    await store("personal-message", "musterstadt", "personal");
    expect(
      await lotse.teams.notifier.send({ kind: "user", userId: ERIKA, tenant: "musterstadt" }, REMINDER),
    ).toEqual({ ok: true, conversationId: PERSONAL });
    // A reply to the activity the reference was stored from: /v3/conversations/{chat}/activities/{activity}.
    expect(connector.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v3/conversations/${PERSONAL}/activities/1764064900456`,
    ]);
    // Another tenant's user of the same id is not this chat: nothing of that tenant is stored.
    connector.reset();
    expect(
      await lotse.teams.notifier.send({ kind: "user", userId: ERIKA, tenant: "anderstadt" }, REMINDER),
    ).toEqual({ ok: false, reason: "gone" });
    expect(connector.calls).toHaveLength(0);
  });

  it("creates the personal chat with the Entra object id as member on the tenant's service URL, then posts", async () => {
    await store("channel-mention", "musterstadt", "thread");
    const outcome = await lotse.teams.notifier.send(
      { kind: "user", userId: THOMAS, tenant: "musterstadt" },
      REMINDER,
    );
    const [create, message] = connector.calls;
    expect(create).toMatchObject({ method: "POST", path: "/v3/conversations" });
    expect(create?.body).toMatchObject({
      isGroup: false,
      bot: { id: `28:${CLIENT_ID}` },
      members: [{ id: THOMAS }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });
    expect(create?.authorization).toBe("Bearer lotse-access-token");
    const created = connector.personalChats.get(THOMAS) as string;
    expect(outcome).toEqual({ ok: true, conversationId: created });
    expect(message?.path).toMatch(new RegExp(`^/v3/conversations/${created}/activities`));
    expect(message?.body).toMatchObject({
      type: "message",
      from: { id: `28:${CLIENT_ID}` },
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive" }],
    });
    expect(connector.delivered(created)).toHaveLength(1);
  });

  it("creates the chat anew when the stored one is gone (the user cleared it)", async () => {
    await store("personal-message", "musterstadt", "personal");
    connector.failFor = {
      pathIncludes: `/v3/conversations/${PERSONAL}/activities`,
      status: 404,
      code: "ConversationNotFound",
    };
    const outcome = await lotse.teams.notifier.send(
      { kind: "user", userId: ERIKA, tenant: "musterstadt" },
      REMINDER,
    );
    const created = connector.personalChats.get(ERIKA) as string;
    expect(connector.calls.map((c) => c.path.replace(/\/activities\/.*$/, "/activities"))).toEqual([
      `/v3/conversations/${PERSONAL}/activities`,
      "/v3/conversations",
      `/v3/conversations/${created}/activities`,
    ]);
    expect(outcome).toEqual({ ok: true, conversationId: created });
    expect(connector.delivered(created)).toHaveLength(1);
  });

  it("is gone when the app is not installed for the user (403, 404) or no conversation of the tenant is stored", async () => {
    expect(
      await lotse.teams.notifier.send({ kind: "user", userId: THOMAS, tenant: "musterstadt" }, REMINDER),
    ).toEqual({ ok: false, reason: "gone" });
    expect(connector.calls).toHaveLength(0);
    expect(lotse.logs.find((l) => l.reason === "no_reference_for_tenant")).toMatchObject({
      event: "conversation_gone",
      tenant: "musterstadt",
    });
    await store("channel-mention", "musterstadt", "thread");
    connector.notInstalled.add(THOMAS);
    expect(
      await lotse.teams.notifier.send({ kind: "user", userId: THOMAS, tenant: "musterstadt" }, REMINDER),
    ).toEqual({ ok: false, reason: "gone" });
    connector.reset();
    connector.failFor = { pathIncludes: "/v3/conversations", status: 404, code: "NotFound" };
    expect(
      await lotse.teams.notifier.send({ kind: "user", userId: THOMAS, tenant: "musterstadt" }, REMINDER),
    ).toEqual({ ok: false, reason: "gone" });
    expect(connector.calls).toHaveLength(1);
    // Nothing was posted for the user.
    expect(connector.delivered()).toHaveLength(0);
  });

  it("answers a 429 as rate-limited with the Retry-After, after one request (the SDK does not retry)", async () => {
    await store("personal-message", "musterstadt", "personal");
    connector.rateLimit = { perConversationPerSecond: 7, perTenantPerSecond: 50 };
    const target = { kind: "conversation", conversationId: PERSONAL } as const;
    for (let i = 0; i < 7; i++)
      expect(await lotse.teams.notifier.send(target, REMINDER)).toMatchObject({ ok: true });
    connector.calls.length = 0;
    expect(await lotse.teams.notifier.send(target, REMINDER)).toEqual({
      ok: false,
      reason: "rate-limited",
      retryAfterMs: 1000,
    });
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]?.status).toBe(429);
    // The user target's stored chat is rate-limited alike: no new chat is created for it.
    expect(
      await lotse.teams.notifier.send({ kind: "user", userId: ERIKA, tenant: "musterstadt" }, REMINDER),
    ).toMatchObject({ ok: false, reason: "rate-limited" });
    expect(connector.calls.filter((c) => c.path === "/v3/conversations")).toHaveLength(0);
    clock += 1000;
    expect(await lotse.teams.notifier.send(target, REMINDER)).toEqual({ ok: true, conversationId: PERSONAL });
  });

  it("waits the default second on a 429 without Retry-After, on creation too", async () => {
    await store("channel-mention", "musterstadt", "thread");
    connector.failFor = { pathIncludes: "/v3/conversations", status: 429, code: "TooManyRequests" };
    for (const target of [
      { kind: "user", userId: THOMAS, tenant: "musterstadt" },
      { kind: "new-thread", channelConversationId: CHANNEL_THREAD },
      { kind: "conversation", conversationId: CHANNEL_THREAD },
    ] as const)
      expect(await lotse.teams.notifier.send(target, REMINDER)).toEqual({
        ok: false,
        reason: "rate-limited",
        retryAfterMs: 1000,
      });
    expect(connector.calls).toHaveLength(3);
  });
  // Reminders and deadline notices go to { kind: "new-thread", channelConversationId: conversation.channel }.
  it("posts a new thread into a group chat as a new message in the chat: there are no threads there", async () => {
    await store("group-message", "musterstadt", "group");
    expect(
      await lotse.teams.notifier.send({ kind: "new-thread", channelConversationId: GROUP }, REMINDER),
    ).toEqual({ ok: true, conversationId: GROUP });
    // A message into the chat, no reply to the stored activity, no conversation created.
    expect(connector.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v3/conversations/${GROUP}/activities`,
    ]);
    expect(connector.delivered(GROUP)[0]?.body).toMatchObject({
      type: "message",
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive" }],
    });
  });

  it("posts a new thread into a personal chat as a new message in the chat", async () => {
    await store("personal-message", "musterstadt", "personal");
    expect(
      await lotse.teams.notifier.send({ kind: "new-thread", channelConversationId: PERSONAL }, REMINDER),
    ).toEqual({ ok: true, conversationId: PERSONAL });
    expect(connector.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v3/conversations/${PERSONAL}/activities`,
    ]);
  });

  it("starts a new thread in a channel known only by its threads, with the newest thread's service URL", async () => {
    await store("channel-mention", "musterstadt", "thread", {
      conversation: {
        isGroup: true,
        conversationType: "channel",
        tenantId: TENANT,
        id: `${CHANNEL};messageid=1764000000000`,
      },
    });
    await store("channel-mention", "musterstadt", "thread");
    const outcome = await lotse.teams.notifier.send(
      { kind: "new-thread", channelConversationId: CHANNEL },
      REMINDER,
    );
    const [create] = connector.calls;
    expect(connector.calls).toHaveLength(1);
    expect(create).toMatchObject({ method: "POST", path: "/v3/conversations" });
    expect(create?.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: CHANNEL } },
      tenantId: TENANT,
      activity: { type: "message" },
    });
    expect(outcome).toEqual({ ok: true, conversationId: expect.stringMatching(/;messageid=/) });
    // A channel of which no thread is stored stays unknown; so does a thread id of another channel's prefix.
    await expect(
      lotse.teams.notifier.send(
        { kind: "new-thread", channelConversationId: "19:andere@thread.tacv2" },
        REMINDER,
      ),
    ).rejects.toMatchObject({ code: "CONVERSATION_UNKNOWN" });
    await expect(
      lotse.teams.notifier.send(
        { kind: "new-thread", channelConversationId: CHANNEL.slice(0, -5) },
        REMINDER,
      ),
    ).rejects.toMatchObject({ code: "CONVERSATION_UNKNOWN" });
    expect(connector.calls).toHaveLength(1);
  });
});

describe("TeamsNotifier: a connector that never answers", () => {
  const connector = new FakeConnector();
  let lotse: Lotse;
  let release: () => void = () => {};

  beforeAll(async () => {
    await connector.start();
    lotse = await startLotse({ ...CREDENTIALS, TEAMS_SERVICE_HOSTS: "127.0.0.1" });
  });
  afterAll(async () => {
    release();
    await lotse.stop();
    await connector.stop();
  });

  it("gives up after the send timeout with TEAMS_SEND_FAILED (reason timeout), so the scheduler retries", async () => {
    // Built as teams-app.ts builds it, with a short timeout (production: SEND_TIMEOUT_MS, 30 s).
    const adapter = new CloudAdapter(
      getAuthConfigWithDefaults({
        clientId: CLIENT_ID,
        clientSecret: CREDENTIALS.TEAMS_CLIENT_SECRET,
        tenantId: TENANT,
      }),
    );
    const { logs, log } = captureLogs();
    new TokenHealth(log).watch(adapter, async () => "lotse-access-token");
    const notifier = new TeamsNotifier({
      adapter,
      appId: CLIENT_ID,
      conversations: lotse.rt.conversations,
      db: lotse.rt.db,
      log,
      policy: new ServiceUrlPolicy({ extraHosts: ["127.0.0.1"] }),
      sendTimeoutMs: 300,
    });
    const activity = Activity.fromObject(await fixture("group-message", connector.url));
    await lotse.rt.conversations.save({
      platform: "teams",
      conversationId: GROUP,
      tenant: "musterstadt",
      externalTenantId: TENANT,
      kind: "group",
      reference: conversationReferenceOf(activity),
    });
    release = connector.hold();
    for (const target of [
      { kind: "conversation", conversationId: GROUP },
      { kind: "new-thread", channelConversationId: GROUP },
    ] as const) {
      const err = await notifier.send(target, REMINDER).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LotseError);
      expect(err).toMatchObject({ code: "TEAMS_SEND_FAILED", details: { reason: "timeout" } });
    }
    // The posts reached the connector, which held them unanswered.
    expect(
      connector.calls.filter((c) => c.path.startsWith(`/v3/conversations/${GROUP}/activities`)),
    ).toHaveLength(2);
    expect(logs.filter((l) => l.code === "TEAMS_SEND_FAILED" && l.reason === "timeout")).toHaveLength(2);
  });
});

describe("retryAfterMs", () => {
  const now = new Date("2026-12-02T09:00:00.000Z");
  it("reads seconds and HTTP dates, and falls back to one second", () => {
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("0.5", now)).toBe(500);
    expect(retryAfterMs("Wed, 02 Dec 2026 09:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Wed, 02 Dec 2026 08:59:00 GMT", now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBe(1000);
    expect(retryAfterMs("bald", now)).toBe(1000);
  });
});

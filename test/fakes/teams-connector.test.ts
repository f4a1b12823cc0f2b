import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeConnector } from "./teams-connector.ts";

// The fake Bot Connector is shared by the adapter tests, the scenario suite and the bench: its Teams behaviour
// (personal chats, rate limits) is checked here on its own, over HTTP as Lotse reaches it.

const TENANT_A = "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10";
const TENANT_B = "9a7c5e3f-1b2d-4c6e-8f0a-3b5d7e9f1c2a";

describe("FakeConnector", () => {
  let clock = 50_000;
  const connector = new FakeConnector({ now: () => clock });

  const postJson = async (path: string, body: unknown) => {
    const res = await fetch(new URL(path, connector.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      body: (await res.json()) as Record<string, unknown>,
    };
  };
  const message = (conversation: string, tenantId: string) =>
    postJson(`/v3/conversations/${encodeURIComponent(conversation)}/activities`, {
      type: "message",
      conversation: { id: conversation, tenantId },
      text: "Erinnerung",
    });

  beforeAll(() => connector.start());
  afterEach(() => {
    connector.reset();
    connector.rateLimit = undefined;
  });
  afterAll(() => connector.stop());

  it("creates one personal chat per member (the same again for the same member) and refuses users without the app", async () => {
    const create = (member: string) =>
      postJson("/v3/conversations", {
        isGroup: false,
        bot: { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" },
        members: [{ id: member }],
        tenantId: TENANT_A,
        channelData: { tenant: { id: TENANT_A } },
      });
    const first = await create("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f");
    const again = await create("6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f");
    const other = await create("0b9e4d1c-7f2a-4e6b-8c3d-5a1f9e7b2c4d");
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(other.body.id).not.toBe(first.body.id);
    connector.notInstalled.add("29:ohne-app");
    expect((await create("29:ohne-app")).body).toMatchObject({ error: { code: "Forbidden" } });
    expect(connector.calls.at(-1)?.status).toBe(403);
  });

  it("answers posts beyond 7 per second in one conversation with 429 and Retry-After, and counts only accepted ones", async () => {
    connector.rateLimit = { perConversationPerSecond: 7, perTenantPerSecond: 50 };
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await message("a:chat-1", TENANT_A)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429, 429]);
    const limited = await message("a:chat-1", TENANT_A);
    expect(limited.retryAfter).toBe("1");
    // Another conversation of the tenant still has room.
    expect((await message("a:chat-2", TENANT_A)).status).toBe(200);
    clock += 999;
    expect((await message("a:chat-1", TENANT_A)).status).toBe(429);
    clock += 1;
    expect((await message("a:chat-1", TENANT_A)).status).toBe(200);
    expect(connector.delivered("a:chat-1")).toHaveLength(8);
    expect(connector.delivered()).toHaveLength(9);
  });

  it("limits a tenant's posts across conversations to 50 per second, other tenants apart", async () => {
    connector.rateLimit = { perConversationPerSecond: 7, perTenantPerSecond: 50 };
    let accepted = 0;
    for (let i = 0; i < 60; i++)
      if ((await message(`19:kanal-${i}@thread.tacv2`, TENANT_A)).status === 200) accepted++;
    expect(accepted).toBe(50);
    expect((await message("19:kanal-b@thread.tacv2", TENANT_B)).status).toBe(200);
    clock += 1000;
    expect((await message("19:kanal-0@thread.tacv2", TENANT_A)).status).toBe(200);
  });
});

import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTeamsAdapter } from "../../../adapters/teams/teams-app.ts";
import { Tenancy } from "../../../src/core/tenancy.ts";
import { ERROR_CODES } from "../../../src/errors.ts";
import { silentLogger } from "../../../src/log.ts";
import { CREDENTIALS, FOREIGN_TENANT, fixture, post } from "../../fakes/teams-activities.ts";
import { FakeConnector } from "../../fakes/teams-connector.ts";
import { type Lotse, startLotse } from "../../fakes/teams-harness.ts";
import { BotTokens, strangerKey } from "../../fakes/teams-tokens.ts";
import { OutboundRecorder } from "./outbound-recorder.ts";

// A POST to /api/messages is answered only once its turn is done, replies included: right after `await post(...)`
// everything the turn sent (or dialled) is recorded, so "nothing was sent" needs no sleep.
const NEUTRAL_401 = { error: { code: "AUTH_REJECTED", message: "Die Anmeldung wurde abgelehnt." } };
const cardTexts = (call: { body: Record<string, unknown> } | undefined): string =>
  JSON.stringify((call?.body.attachments as { content: { body: unknown } }[] | undefined)?.[0]?.content.body);

describe("Teams with Bot credentials: tokens, service URLs, tenants", () => {
  const connector = new FakeConnector();
  /** Where a replayed token would send Lotse's reply (and token): must never be dialled. */
  const collector = new FakeConnector();
  const tokens = new BotTokens();
  const outbound = new OutboundRecorder();
  let acquire: (scope: string) => Promise<string> = async () => "lotse-access-token";
  let lotse: Lotse;

  beforeAll(async () => {
    await Promise.all([connector.start(), collector.start(), tokens.start()]);
    // The fake connectors listen on loopback: with credentials Lotse posts there only because TEAMS_SERVICE_HOSTS
    // names 127.0.0.1 (a production configuration does not).
    lotse = await startLotse(
      { ...CREDENTIALS, TEAMS_SERVICE_HOSTS: "127.0.0.1" },
      { signingKeys: tokens.keys, accessToken: (scope) => acquire(scope) },
    );
    outbound.start();
  });
  afterEach(() => {
    connector.reset();
    collector.reset();
    outbound.reset();
    tokens.unavailable = false;
    acquire = async () => "lotse-access-token";
  });
  afterAll(async () => {
    outbound.stop();
    await lotse.stop();
    await Promise.all([connector.stop(), collector.stop()]);
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const ownPorts = () => [lotse.port, new URL(connector.url).port];

  it("accepts Bot Framework and single-tenant Entra tokens signed by the published keys, and replies with its own token", async () => {
    for (const set of ["botFramework", "entraSingleTenant"] as const) {
      connector.reset();
      const activity = await fixture("personal-message", connector.url);
      const res = await post(lotse.base, activity, bearer(await tokens.token(set, connector.url)));
      expect(res.status).toBe(200);
      await connector.waitFor(2);
      const reply = connector.messages()[0];
      expect(reply?.authorization).toBe("Bearer lotse-access-token");
      expect(cardTexts(reply)).toContain("Quellen");
    }
    expect(lotse.teams.health()).toEqual({ teams: "ok" });
  });

  it("refuses a replayed token whose serviceurl claim names another host: 401, nothing posted, nothing dialled", async () => {
    const token = await tokens.token("botFramework", connector.url);
    const activity = await fixture("personal-message", collector.url);
    const res = await post(lotse.base, activity, bearer(token));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(NEUTRAL_401);
    expect(collector.calls).toHaveLength(0);
    expect(connector.calls).toHaveLength(0);
    expect(outbound.others(...ownPorts())).toEqual([]);
    expect(lotse.logs.find((l) => l.code === "AUTH_REJECTED")).toMatchObject({
      level: 40,
      reason: "serviceurl_mismatch",
    });
  });

  it("answers refused tokens with a short neutral 401 and logs the reason category, never the token", async () => {
    const activity = await fixture("personal-message", connector.url);
    const expired = await tokens.token("botFramework", connector.url, {
      nbf: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 3600,
    });
    const stranger = await tokens.token("botFramework", connector.url, {}, await strangerKey());
    const otherBot = await tokens.token("botFramework", connector.url, {
      aud: "00000000-0000-4000-8000-000000000000",
    });
    const unknownIssuer = await tokens.token("botFramework", connector.url, { iss: "https://evil.example/" });
    const cases: [Record<string, string>, string][] = [
      [{}, "missing"],
      [{ authorization: "Basic dXNlcjpwYXNz" }, "malformed"],
      [bearer(expired), "expired"],
      [bearer(stranger), "signature"],
      [bearer(otherBot), "audience"],
      [bearer(unknownIssuer), "issuer"],
    ];
    for (const [headers, reason] of cases) {
      lotse.logs.length = 0;
      const res = await post(lotse.base, activity, headers);
      expect(res.status, reason).toBe(401);
      expect(await res.json()).toEqual(NEUTRAL_401);
      expect(lotse.logs.filter((l) => l.code === "AUTH_REJECTED")).toEqual([
        expect.objectContaining({ level: 40, reason }),
      ]);
    }
  });

  it("answers its own outage (signing keys cannot be fetched) with a 5xx and an error, never a 401", async () => {
    tokens.unavailable = true;
    lotse.logs.length = 0;
    const valid = await tokens.token("botFramework", connector.url);
    const res = await post(lotse.base, await fixture("personal-message", connector.url), bearer(valid));
    // TEAMS_AUTH_FAILED's status (src/errors.ts): the Bot Connector sees a failure of the service, not of its token.
    expect(res.status).toBe(ERROR_CODES.TEAMS_AUTH_FAILED);
    expect(res.status).toBeGreaterThanOrEqual(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ error: { code: "TEAMS_AUTH_FAILED" } });
    expect(body).not.toMatch(/getaddrinfo|botframework/);
    expect(lotse.logs.find((l) => l.code === "TEAMS_AUTH_FAILED")).toMatchObject({
      level: 50,
      reason: "keys_unavailable",
    });
    expect(lotse.logs.some((l) => l.code === "AUTH_REJECTED")).toBe(false);
    expect(JSON.stringify(lotse.logs)).not.toContain(valid.split(".")[2]);
    expect(connector.calls).toHaveLength(0);
  });

  it("never dials a loopback serviceUrl on a token that names no service URL", async () => {
    lotse.logs.length = 0;
    const activity = await fixture("personal-message", collector.url);
    // A Bot Framework token always names one: without, it is refused before the body is read.
    const bare = await tokens.token("botFramework", collector.url, { serviceurl: undefined });
    const res = await post(lotse.base, activity, bearer(bare));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(NEUTRAL_401);
    // An Entra-issued token names none by design: its activity may only name a Teams service host, and loopback
    // (even listed in TEAMS_SERVICE_HOSTS, as here) is none.
    const entra = await tokens.token("entraSingleTenant", collector.url, { serviceurl: undefined });
    const res2 = await post(lotse.base, activity, bearer(entra));
    expect(res2.status).toBe(401);
    expect(collector.calls).toHaveLength(0);
    expect(outbound.others(...ownPorts())).toEqual([]);
    expect(lotse.logs.filter((l) => l.code === "AUTH_REJECTED").map((l) => l.reason)).toEqual([
      "serviceurl_missing",
      "serviceurl_unverified",
    ]);
  });

  it("accepts an Entra-issued token without serviceurl for a Teams service host", async () => {
    lotse.logs.length = 0;
    const teams = "https://smba.trafficmanager.net/emea/";
    const entra = await tokens.token("entraSingleTenant", teams, { serviceurl: undefined });
    // An edited message: accepted, and nothing to answer, so the test dials no Microsoft host.
    const edited = await fixture("personal-message", teams, { type: "messageUpdate" });
    const res = await post(lotse.base, edited, bearer(entra));
    expect(res.status).toBe(200);
    expect(lotse.logs.some((l) => l.code === "AUTH_REJECTED" || l.code === "OUTBOUND_HOST_REFUSED")).toBe(
      false,
    );
    expect(outbound.others(...ownPorts())).toEqual([]);
  });

  it("refuses a valid token issued by another Entra tenant politely, logs TENANT_FOREIGN and stores nothing", async () => {
    lotse.logs.length = 0;
    const token = await tokens.token("entraForeignTenant", connector.url);
    const res = await post(lotse.base, await fixture("personal-message", connector.url), bearer(token));
    expect(res.status).toBe(200);
    await connector.waitFor(1);
    const reply = connector.messages()[0];
    expect(cardTexts(reply)).toContain("nicht freigeschaltet");
    expect(cardTexts(reply)).not.toContain("Quellen");
    expect(lotse.logs.find((l) => l.code === "TENANT_FOREIGN")).toMatchObject({
      level: 40,
      source: "token",
      entraTenantId: FOREIGN_TENANT,
    });
  });

  it("refuses an activity from another tenant under a valid token: message and 👍/👎 alike", async () => {
    lotse.logs.length = 0;
    const foreign = { channelData: { tenant: { id: FOREIGN_TENANT } } };
    const token = await tokens.token("botFramework", connector.url);
    const refs = await lotse.rt.db.query("SELECT conversation_id FROM conversation_refs");
    const message = await fixture("group-message", connector.url, {
      ...foreign,
      conversation: {
        conversationType: "groupChat",
        tenantId: FOREIGN_TENANT,
        id: "19:meeting_ZmY0ZTI1YzctMzBhYi00ZjE0LWI2NzItNDk3YjE1ZDc0N2Uw@thread.v2",
      },
    });
    expect((await post(lotse.base, message, bearer(token))).status).toBe(200);
    await connector.waitFor(1);
    expect(cardTexts(connector.messages()[0])).toContain("nicht freigeschaltet");
    const feedback = await fixture("card-action-feedback", connector.url, foreign);
    const res = await post(lotse.base, feedback, bearer(token));
    expect(await res.json()).toMatchObject({ value: expect.stringContaining("nicht freigeschaltet") });
    expect((await lotse.rt.db.query("SELECT 1 FROM feedback")).rows).toHaveLength(0);
    expect((await lotse.rt.db.query("SELECT conversation_id FROM conversation_refs")).rows).toEqual(
      refs.rows,
    );
    const foreignLines = lotse.logs.filter((l) => l.code === "TENANT_FOREIGN");
    expect(foreignLines).toHaveLength(2);
    for (const line of foreignLines)
      expect(line).toMatchObject({ source: "activity", entraTenantId: FOREIGN_TENANT });
  });

  it("when its own token cannot be acquired: no 500, TEAMS_AUTH_FAILED logged once, /readyz shows it, recovery noticed", async () => {
    lotse.logs.length = 0;
    acquire = async () => {
      throw new Error(
        "invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
      );
    };
    const token = await tokens.token("botFramework", connector.url);
    for (let i = 0; i < 3; i++) {
      const res = await post(lotse.base, await fixture("personal-message", connector.url), bearer(token));
      expect(res.status).toBe(202);
    }
    const failures = lotse.logs.filter((l) => l.code === "TEAMS_AUTH_FAILED");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 50, reason: expect.stringContaining("AADSTS7000215") });
    expect(lotse.logs.some((l) => Number(l.level) >= 50 && l.code !== "TEAMS_AUTH_FAILED")).toBe(false);
    expect(connector.calls).toHaveLength(0);
    expect(lotse.teams.health()).toEqual({ teams: "auth_failed" });
    const ready = await fetch(`${lotse.base}/readyz`);
    expect(await ready.json()).toMatchObject({ teams: "auth_failed" });
    // The secret is fixed: the next message is answered and readiness says so.
    acquire = async () => "lotse-access-token";
    expect(
      (await post(lotse.base, await fixture("personal-message", connector.url), bearer(token))).status,
    ).toBe(200);
    await connector.waitFor(2);
    expect(connector.messages()).toHaveLength(1);
    expect(await (await fetch(`${lotse.base}/readyz`)).json()).toMatchObject({
      status: "ready",
      teams: "ok",
    });
    expect(lotse.logs.some((l) => l.event === "teams_auth_recovered")).toBe(true);
  });

  it("never sends a proactive message to a stored reference whose serviceUrl is no Teams service host", async () => {
    const reference = {
      ...(await fixture("personal-message", "http://169.254.169.254/latest/meta-data/")),
    } as Record<string, unknown>;
    await lotse.rt.conversations.save({
      platform: "teams",
      conversationId: "a:forged-reference",
      tenant: "musterstadt",
      kind: "personal",
      reference: {
        serviceUrl: reference.serviceUrl,
        channelId: "msteams",
        conversation: { id: "a:forged-reference" },
        bot: { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" },
      },
    });
    await expect(
      lotse.teams.notifier.send(
        { kind: "conversation", conversationId: "a:forged-reference" },
        { kind: "notice", text: "Erinnerung" },
      ),
    ).rejects.toMatchObject({ code: "OUTBOUND_HOST_REFUSED" });
    expect(outbound.others(...ownPorts())).toEqual([]);
    expect(lotse.logs.find((l) => l.code === "OUTBOUND_HOST_REFUSED")).toMatchObject({
      host: "169.254.169.254",
    });
  });
});

describe("Teams with Bot credentials as in production (no TEAMS_SERVICE_HOSTS): loopback is never dialled", () => {
  /** A service on this machine a replayed token would point Lotse at (any port: a database, an admin API). */
  const collector = new FakeConnector();
  const tokens = new BotTokens();
  const outbound = new OutboundRecorder();
  let lotse: Lotse;

  beforeAll(async () => {
    await Promise.all([collector.start(), tokens.start()]);
    lotse = await startLotse(CREDENTIALS, {
      signingKeys: tokens.keys,
      accessToken: async () => "lotse-access-token",
    });
    outbound.start();
  });
  afterAll(async () => {
    outbound.stop();
    await lotse.stop();
    await collector.stop();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("refuses an activity whose serviceUrl is http://127.0.0.1:<port>, whatever the token says", async () => {
    const activity = await fixture("personal-message", collector.url);
    const claimed = await tokens.token("botFramework", collector.url);
    const withoutClaim = await tokens.token("botFramework", collector.url, { serviceurl: undefined });
    const entra = await tokens.token("entraSingleTenant", collector.url, { serviceurl: undefined });
    expect((await post(lotse.base, activity, bearer(claimed))).status).toBe(202);
    expect((await post(lotse.base, activity, bearer(withoutClaim))).status).toBe(401);
    expect((await post(lotse.base, activity, bearer(entra))).status).toBe(202);
    expect(
      (await post(lotse.base, await fixture("card-action-feedback", collector.url), bearer(claimed))).status,
    ).toBe(202);
    expect(collector.calls).toHaveLength(0);
    expect(outbound.others(lotse.port)).toEqual([]);
    expect(lotse.logs.filter((l) => l.code === "OUTBOUND_HOST_REFUSED")).toHaveLength(3);
    expect((await lotse.rt.db.query("SELECT 1 FROM conversation_refs")).rows).toHaveLength(0);
  });

  it("sends no proactive message to a stored reference on loopback", async () => {
    await lotse.rt.conversations.save({
      platform: "teams",
      conversationId: "a:stored-before-credentials",
      tenant: "musterstadt",
      kind: "personal",
      reference: {
        serviceUrl: collector.url,
        channelId: "msteams",
        conversation: { id: "a:stored-before-credentials" },
        agent: { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b" },
      },
    });
    await expect(
      lotse.teams.notifier.send(
        { kind: "conversation", conversationId: "a:stored-before-credentials" },
        { kind: "notice", text: "Erinnerung" },
      ),
    ).rejects.toMatchObject({ code: "OUTBOUND_HOST_REFUSED" });
    expect(collector.calls).toHaveLength(0);
    expect(outbound.others(lotse.port)).toEqual([]);
  });

  it("refuses to start on a tenancy that does not know TEAMS_TENANT_ID (it would serve every tenant)", () => {
    const unaware = { ...lotse.rt, tenancy: new Tenancy("musterstadt", []) };
    expect(() =>
      createTeamsAdapter({ config: lotse.rt.config, runtime: unaware, log: silentLogger }),
    ).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });
});

describe("Teams local trial (no credentials): outbound hosts, malformed activities, body size", () => {
  const connector = new FakeConnector();
  const outbound = new OutboundRecorder();
  let lotse: Lotse;

  beforeAll(async () => {
    await connector.start();
    lotse = await startLotse({});
    outbound.start();
  });
  afterEach(() => {
    connector.reset();
    outbound.reset();
  });
  afterAll(async () => {
    outbound.stop();
    await lotse.stop();
    await connector.stop();
  });

  it("posts nowhere but loopback and Teams hosts: metadata, private and arbitrary hosts are refused undialled", async () => {
    const targets = [
      ["http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254"],
      ["http://10.0.0.1/intern/", "10.0.0.1"],
      ["https://intranet-wiki.musterstadt.example/api/", "intranet-wiki.musterstadt.example"],
      ["https://smba.trafficmanager.net.attacker.example/teams/", "smba.trafficmanager.net.attacker.example"],
      ["http://smba.trafficmanager.net/teams/", "smba.trafficmanager.net"],
      ["http://[::ffff:a9fe:a9fe]/", "[::ffff:a9fe:a9fe]"],
    ];
    for (const [serviceUrl, host] of targets) {
      lotse.logs.length = 0;
      for (const name of ["personal-message", "card-action-feedback"]) {
        const res = await post(lotse.base, await fixture(name, serviceUrl as string));
        expect(res.status, `${name} ${serviceUrl}`).toBe(202);
      }
      const refused = lotse.logs.filter((l) => l.code === "OUTBOUND_HOST_REFUSED");
      expect(refused).toHaveLength(2);
      expect(refused[0]).toMatchObject({ level: 40, host });
      expect(JSON.stringify(lotse.logs)).not.toMatch(/meta-data|\/intern\/|\/api\//);
    }
    expect(outbound.others(lotse.port)).toEqual([]);
    expect(connector.calls).toHaveLength(0);
    expect((await lotse.rt.db.query("SELECT 1 FROM conversation_refs")).rows).toHaveLength(0);
    // Loopback stays open for the Agents Playground and the fake connector.
    expect((await post(lotse.base, await fixture("personal-message", connector.url))).status).toBe(200);
    await connector.waitFor(2);
    expect(connector.messages()).toHaveLength(1);
  });

  it("answers an activity without recipient or sender with 400, without a stack trace", async () => {
    lotse.logs.length = 0;
    for (const missing of ["recipient", "from"]) {
      const activity = await fixture("personal-message", connector.url);
      delete activity[missing];
      const res = await post(lotse.base, activity);
      expect(res.status, missing).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("REQUEST_INVALID");
    }
    expect(lotse.logs.filter((l) => l.code === "REQUEST_INVALID")).toHaveLength(2);
    expect(lotse.logs.some((l) => Number(l.level) >= 50 || "err" in l || "stack" in l)).toBe(false);
    expect(connector.calls).toHaveLength(0);
  });

  it("answers an oversized activity with 413 PAYLOAD_TOO_LARGE, and the next request on the agent works", async () => {
    const activity = await fixture("personal-message", connector.url, { text: "Frage ".repeat(200_000) });
    const res = await post(lotse.base, activity);
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    // The same through a keep-alive agent with one socket: the follow-up request must not hang on the old one.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${lotse.base}/api/messages`,
          { method: "POST", agent, headers: { "content-type": "application/json" } },
          (r) => {
            r.resume();
            r.on("end", () => resolve(r.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    expect(await send(JSON.stringify(activity))).toBe(413);
    expect(await send(JSON.stringify(await fixture("personal-message", connector.url)))).toBe(200);
    agent.destroy();
  });
});

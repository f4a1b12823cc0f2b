import { errors, type JWTVerifyGetKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { issuerTenant, verifyToken } from "../../../adapters/teams/verify-token.ts";
import { CLIENT_ID, FOREIGN_TENANT, TENANT } from "../../fakes/teams-activities.ts";
import { BotTokens } from "../../fakes/teams-tokens.ts";

const SERVICE = "https://smba.trafficmanager.net/emea/";

describe("Bot Framework token verification", () => {
  const tokens = new BotTokens();
  const verify = (token: string) =>
    verifyToken(`Bearer ${token}`, { clientId: CLIENT_ID, keys: tokens.keys });
  beforeAll(() => tokens.start());

  it("returns the claims of a valid token, Entra tokens with their issuing tenant", async () => {
    const claims = await verify(await tokens.token("entraSingleTenant", SERVICE));
    expect(claims).toMatchObject({ aud: CLIENT_ID, tid: TENANT, serviceurl: SERVICE });
    expect(issuerTenant(claims.iss)).toBe(TENANT);
    expect(issuerTenant("https://login.microsoftonline.com/5D0C2B4E-8F3A-4C1E-9B7D-2A6F1E3C9D10/v2.0")).toBe(
      TENANT,
    );
    expect(issuerTenant("https://api.botframework.com")).toBeUndefined();
    // A foreign tenant's token is genuine: refusing it politely is the tenant guard's job.
    await expect(verify(await tokens.token("entraForeignTenant", SERVICE))).resolves.toMatchObject({
      tid: FOREIGN_TENANT,
    });
  });

  it("names why a token is refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [Promise<string>, string][] = [
      [tokens.token("botFramework", SERVICE, { nbf: now + 3600, exp: now + 7200 }), "not_yet_valid"],
      [tokens.token("entraSingleTenant", SERVICE, { tid: FOREIGN_TENANT }), "claims"],
      [tokens.token("botFramework", SERVICE, { iss: "https://sts.windows.net/common/" }), "issuer"],
      [Promise.resolve("a.b"), "malformed"],
    ];
    for (const [token, reason] of cases)
      await expect(verify(await token), reason).rejects.toMatchObject({ name: "TokenRejected", reason });
    // The Bot Connector always names the service URL in its tokens: one without is refused.
    await expect(
      verify(await tokens.token("botFramework", SERVICE, { serviceurl: undefined })),
    ).rejects.toMatchObject({ reason: "serviceurl_missing" });
    // Entra-issued tokens carry none: the adapter then limits the service URL to Teams hosts.
    await expect(
      verify(await tokens.token("entraSingleTenant", SERVICE, { serviceurl: undefined })),
    ).resolves.toMatchObject({ tid: TENANT });
    // Within the Bot Framework's 5 minutes of clock skew a token is still good.
    await expect(
      verify(await tokens.token("botFramework", SERVICE, { exp: now - 120 })),
    ).resolves.toBeDefined();
  });

  it("tells Lotse's own failures (keys unreachable, a fault of ours) from refusals of the token", async () => {
    const token = await tokens.token("botFramework", SERVICE);
    const withKeys = (lookup: JWTVerifyGetKey) =>
      verifyToken(`Bearer ${token}`, { clientId: CLIENT_ID, keys: { botFramework: lookup, entra: lookup } });
    const outages: JWTVerifyGetKey[] = [
      async () => {
        throw new TypeError("fetch failed", {
          cause: new Error("getaddrinfo EAI_AGAIN login.botframework.com"),
        });
      },
      async () => {
        throw new errors.JWKSTimeout();
      },
      async () => {
        throw new errors.JOSEError("Expected 200 OK from the JSON Web Key Set HTTP response");
      },
    ];
    for (const lookup of outages)
      await expect(withKeys(lookup)).rejects.toMatchObject({ reason: "keys_unavailable" });
    // A key set without the token's key is a verdict on the token, not an outage.
    await expect(
      withKeys(async () => {
        throw new errors.JWKSNoMatchingKey();
      }),
    ).rejects.toMatchObject({ reason: "signature" });
    // A lookup that hands jose something that is no key: a bug of ours, never blamed on the token or the network.
    await expect(withKeys(async () => ({}) as never)).rejects.toMatchObject({ reason: "internal" });
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { issuerTenant, verifyToken } from "../../../adapters/teams/verify-token.ts";
import { BotTokens } from "./bot-tokens.ts";
import { CLIENT_ID, FOREIGN_TENANT, TENANT } from "./lotse-server.ts";

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
    // Within the Bot Framework's 5 minutes of clock skew a token is still good.
    await expect(
      verify(await tokens.token("botFramework", SERVICE, { exp: now - 120 })),
    ).resolves.toBeDefined();
  });
});

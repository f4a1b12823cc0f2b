import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
} from "jose";

type KeyObjectLike = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

import type { SigningKeys } from "../../adapters/teams/verify-token.ts";
import { ROOT } from "../helpers.ts";

export type ClaimSet = "botFramework" | "entraSingleTenant" | "entraForeignTenant";

/**
 * The issuing side of Bot Framework tokens for tests: an RSA key pair generated here, its public half served as the
 * key set Lotse verifies with (no key download), and tokens with the claims of test/fixtures/teams/token-claims.json.
 */
export class BotTokens {
  /** What Lotse verifies with; `unavailable` makes it fail like a key set that cannot be fetched. */
  readonly keys: SigningKeys;
  unavailable = false;
  private signing: { privateKey: KeyObjectLike; kid: string } | undefined;
  private verifying: JWTVerifyGetKey | undefined;

  constructor() {
    const lookup: JWTVerifyGetKey = async (header, token) => {
      if (this.unavailable)
        throw new TypeError("fetch failed", {
          cause: new Error("getaddrinfo EAI_AGAIN login.botframework.com"),
        });
      if (!this.verifying) throw new Error("BotTokens.start() first");
      return this.verifying(header, token);
    };
    this.keys = { botFramework: lookup, entra: lookup };
  }

  async start(): Promise<void> {
    const pair = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "lotse-test-key", use: "sig", alg: "RS256" };
    this.signing = { privateKey: pair.privateKey, kid: jwk.kid };
    this.verifying = createLocalJWKSet({ keys: [jwk] });
  }

  /** A signed token with the fixture's claims for `serviceUrl`, overridden by `patch`; valid for 10 minutes. */
  async token(
    set: ClaimSet,
    serviceUrl: string,
    patch: JWTPayload = {},
    key?: KeyObjectLike,
  ): Promise<string> {
    const raw = await readFile(path.join(ROOT, "test/fixtures/teams/token-claims.json"), "utf8");
    const claims = (JSON.parse(raw) as Record<ClaimSet, JWTPayload>)[set];
    const now = Math.floor(Date.now() / 1000);
    const payload = JSON.parse(
      JSON.stringify({ ...claims, ...patch }).replaceAll("{{serviceUrl}}", serviceUrl),
    );
    if (!this.signing) throw new Error("BotTokens.start() first");
    return new SignJWT({ nbf: now - 60, exp: now + 600, ...payload })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.signing.kid })
      .sign(key ?? this.signing.privateKey);
  }
}

/** A key nobody published: a token signed with it must be refused. */
export async function strangerKey(): Promise<KeyObjectLike> {
  return (await generateKeyPair("RS256")).privateKey;
}

import {
  createRemoteJWKSet,
  decodeJwt,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";

/**
 * Where the signing keys of incoming tokens come from: the Bot Framework's (issuer https://api.botframework.com) and
 * Microsoft Entra's (issuer sts.windows.net / login.microsoftonline.com, which single-tenant Azure Bots receive).
 * Injected so that tests verify real signatures against keys they generate.
 */
export interface SigningKeys {
  botFramework: JWTVerifyGetKey;
  entra: JWTVerifyGetKey;
}

/**
 * The published key sets of the public cloud (fetched on first use, cached by jose, re-fetched for an unknown key
 * id). Public cloud and GCC only: GCC High, DoD and the China cloud sign with other issuers and keys, which Lotse
 * does not accept.
 */
export function remoteSigningKeys(tenantId: string): SigningKeys {
  return {
    botFramework: createRemoteJWKSet(new URL("https://login.botframework.com/v1/.well-known/keys")),
    // Entra signs tokens of every tenant of a cloud with the same keys; the own tenant's URL is never chosen by a
    // caller.
    entra: createRemoteJWKSet(new URL(`https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`)),
  };
}

/** Why a request's token was refused: a category for logs, never the token or the library's wording. */
export type RejectionReason =
  | "missing"
  | "malformed"
  | "issuer"
  | "audience"
  | "expired"
  | "not_yet_valid"
  | "claims"
  | "signature"
  | "serviceurl_missing"
  | "keys_unavailable"
  | "internal";

/**
 * A token that did not pass. `keys_unavailable` and `internal` are failures on Lotse's side (answered 5xx, logged as
 * errors); every other reason is a refusal of the caller's token (401).
 */
export class TokenRejected extends Error {
  readonly reason: RejectionReason;
  constructor(reason: RejectionReason, options: { cause?: unknown } = {}) {
    super(`token rejected: ${reason}`, options);
    this.name = "TokenRejected";
    this.reason = reason;
  }
}

const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const ENTRA_ISSUER = new RegExp(
  `^https://(?:sts\\.windows\\.net/(${GUID})/|login\\.microsoftonline\\.com/(${GUID})/v2\\.0)$`,
  "i",
);

/** The Entra tenant that issued a token (lower case), or undefined for the Bot Framework's own issuer. */
export function issuerTenant(iss: unknown): string | undefined {
  const m = typeof iss === "string" ? ENTRA_ISSUER.exec(iss) : null;
  return (m?.[1] ?? m?.[2])?.toLowerCase();
}

/** The bearer token of an Authorization header, or a rejection. */
function bearer(authorization: string | undefined): string {
  if (!authorization?.trim()) throw new TokenRejected("missing");
  const parts = authorization.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0]?.toLowerCase() !== "bearer") throw new TokenRejected("malformed");
  return parts[1] as string;
}

/** A key set that could not be fetched or read (DNS, timeout, HTTP status, not a JWKS): our outage, not the caller's. */
class KeysUnavailable extends Error {
  constructor(cause: unknown) {
    super("signing keys unavailable", { cause });
    this.name = "KeysUnavailable";
  }
}

/** The key lookup, with any failure but "no such key" marked as ours: those mean the token is not signed by us. */
function marked(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (err) {
      if (
        err instanceof errors.JWKSNoMatchingKey ||
        err instanceof errors.JWKSMultipleMatchingKeys ||
        err instanceof errors.JOSEAlgNotAllowed
      )
        throw err;
      throw new KeysUnavailable(err);
    }
  };
}

function reasonOf(err: unknown): RejectionReason {
  if (err instanceof KeysUnavailable) return "keys_unavailable";
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed)
    return err.claim === "aud" ? "audience" : err.claim === "nbf" ? "not_yet_valid" : "claims";
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys ||
    err instanceof errors.JOSEAlgNotAllowed
  )
    return "signature";
  if (
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JOSENotSupported
  )
    return "malformed";
  // Anything else is a fault of ours (a bug, a library change), not a verdict on the token.
  return "internal";
}

/**
 * Verifies the token of a request from the Bot Framework / Azure Bot Service to the bot with the given app id: RS256
 * signature by the issuer's published keys, audience, expiry (5 minutes' clock skew, as the Bot Framework allows),
 * an Entra token's `tid` equal to its issuer's tenant, and a Bot Framework token's `serviceurl` claim (the Bot
 * Connector always sends one; without it a replayed token could send Lotse's reply anywhere). Entra-issued tokens
 * carry no such claim: the caller limits their service URL to Teams hosts. Which tenant may talk to Lotse is decided
 * later (foreign tenants get a polite refusal, not a 401). Throws TokenRejected.
 */
export async function verifyToken(
  authorization: string | undefined,
  options: { clientId: string; keys: SigningKeys },
): Promise<JWTPayload> {
  const token = bearer(authorization);
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch (cause) {
    throw new TokenRejected("malformed", { cause });
  }
  // Audience and issuer first: a token for someone else never makes Lotse fetch keys.
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(options.clientId)) throw new TokenRejected("audience");
  const tenant = issuerTenant(claims.iss);
  if (claims.iss !== BOT_FRAMEWORK_ISSUER && !tenant) throw new TokenRejected("issuer");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, marked(tenant ? options.keys.entra : options.keys.botFramework), {
      algorithms: ["RS256"],
      audience: options.clientId,
      issuer: claims.iss as string,
      clockTolerance: 300,
      requiredClaims: ["exp"],
    }));
  } catch (cause) {
    throw new TokenRejected(reasonOf(cause), { cause });
  }
  if (tenant && typeof payload.tid === "string" && payload.tid.toLowerCase() !== tenant)
    throw new TokenRejected("claims");
  if (!tenant && typeof payload.serviceurl !== "string") throw new TokenRejected("serviceurl_missing");
  return payload;
}

/**
 * The shapes of Lotse's non-secret configuration values (zod schemas with German messages); config.ts, which alone
 * reads the environment, builds its schema from them.
 */
import { z } from "zod";
import { looksLikeSecret } from "./config-secrets.ts";

/** One platform id → tenant mapping entry, e.g. slack:T0123ABC → musterstadt. */
export type TenantMapping = { platform: "teams" | "slack"; externalId: string; tenant: string };

export const tenantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Kleinbuchstaben, Ziffern und Bindestriche, z. B. musterstadt");

export const uuid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "eine GUID wie 00000000-0000-0000-0000-000000000000",
  );

export const httpsUrl = z.string().regex(/^https:\/\/\S+$/, "eine https-Adresse");

/** Whether a listen address (HOST) is this machine only. */
export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost";
}

export const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** One platform id → tenant mapping entry, e.g. "slack:T0123ABC=musterstadt". */
export const tenantMap = z.string().transform((raw, ctx) => {
  const entries: TenantMapping[] = [];
  for (const part of raw
    .split(/[;,\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(teams|slack):([^=\s]+)=([a-z0-9][a-z0-9-]*)$/.exec(part);
    if (!m) {
      ctx.addIssue({
        code: "custom",
        message: `Eintrag ${part.split(/[\s=:]+/).some(looksLikeSecret) ? "(Wert nicht angezeigt)" : `"${part}"`} hat nicht die Form teams:<Entra-Tenant-ID>=<tenant> oder slack:<Team-ID>=<tenant>`,
      });
      return z.NEVER;
    }
    entries.push({ platform: m[1] as "teams" | "slack", externalId: m[2] as string, tenant: m[3] as string });
  }
  return entries;
});

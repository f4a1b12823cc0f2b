import type { TenantMapping } from "../config.ts";
import { LotseError } from "../errors.ts";
import type { Inbound } from "./inbound.ts";

/**
 * Maps platform ids to tenants. While no mapping is configured, the default tenant serves everyone; once one
 * exists, unmapped ids are refused (TENANT_UNKNOWN).
 */
export class Tenancy {
  private readonly defaultTenant: string;
  private readonly mapping: TenantMapping[];

  constructor(defaultTenant: string, mapping: TenantMapping[]) {
    this.defaultTenant = defaultTenant;
    this.mapping = mapping;
  }

  resolve(msg: Pick<Inbound, "platform" | "externalTenantId" | "tenant">): string {
    if (msg.tenant) return msg.tenant;
    if (this.mapping.length === 0 || msg.platform === "cli") return this.defaultTenant;
    const hit = this.mapping.find(
      (m) => m.platform === msg.platform && m.externalId === msg.externalTenantId,
    );
    if (!hit)
      throw new LotseError(
        "TENANT_UNKNOWN",
        `No tenant mapped for ${msg.platform}:${msg.externalTenantId ?? "(none)"}`,
        {
          details: { platform: msg.platform },
        },
      );
    return hit.tenant;
  }
}

/** A tenant id as people read it: "musterstadt" → "Musterstadt", "bad-neustadt" → "Bad Neustadt". */
export function tenantDisplayName(tenant: string): string {
  return tenant
    .split("-")
    .map((w) => (w ? (w[0] as string).toUpperCase() + w.slice(1) : w))
    .join(" ");
}

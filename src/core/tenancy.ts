import type { Config, TenantMapping } from "../config.ts";
import { LotseError } from "../errors.ts";
import type { Inbound, Platform } from "./inbound.ts";

type ExternalPlatform = Exclude<Platform, "cli">;

export interface TenancyOptions {
  /**
   * The organisation a platform's credentials belong to (Teams: the Entra tenant of the single-tenant Azure Bot,
   * TEAMS_TENANT_ID). Set, it restricts that platform to the own organisation and the mapped ones (see admit()).
   */
  own?: Partial<Record<ExternalPlatform, string>>;
}

/** Where a foreign organisation was named: the credentials of the request, or the input itself. */
export type ForeignSource = "token" | "activity";

/**
 * Maps platform ids to tenants and decides which organisations may talk to Lotse. While no mapping is configured,
 * the default tenant serves everyone (of the own organisation, where one is configured); once one exists, unmapped
 * ids are refused (TENANT_UNKNOWN).
 */
export class Tenancy {
  private readonly defaultTenant: string;
  private readonly mapping: TenantMapping[];
  private readonly own: Partial<Record<ExternalPlatform, string>>;

  constructor(defaultTenant: string, mapping: TenantMapping[], options: TenancyOptions = {}) {
    this.defaultTenant = defaultTenant;
    this.mapping = mapping;
    this.own = Object.fromEntries(
      Object.entries(options.own ?? {}).map(([platform, id]) => [platform, id?.toLowerCase()]),
    );
  }

  /** The tenancy of a configuration: default tenant, LOTSE_TENANT_MAP and, with Bot credentials, the own Entra tenant. */
  static fromConfig(config: Pick<Config, "defaultTenant" | "tenantMap" | "teamsAuth">): Tenancy {
    return new Tenancy(config.defaultTenant, config.tenantMap, {
      own: config.teamsAuth ? { teams: config.teamsAuth.tenantId } : {},
    });
  }

  /** The own organisation of a platform (lower case), when its credentials name one. */
  ownExternalTenant(platform: ExternalPlatform): string | undefined {
    return this.own[platform];
  }

  /** The tenant of an input: the one it names (the CLI's --tenant, checked there), else the mapped or default one. */
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

  /**
   * Refuses input from a foreign organisation with TENANT_FOREIGN (details: source, externalTenantId). Once a
   * platform has an own organisation, the organisations its credentials were issued by (`issuedBy`) must be that
   * one, and those the input names (`named`) the own one or one mapped for the platform; input that names none is
   * refused too (it cannot be told apart from a foreign one). Without an own organisation (the local trial without
   * credentials) nothing is refused here, and resolve() alone applies the mapping.
   */
  admit(platform: ExternalPlatform, ids: { issuedBy?: readonly string[]; named: readonly string[] }): void {
    const own = this.own[platform];
    if (!own) return;
    const foreign = (source: ForeignSource, externalTenantId: string | undefined) =>
      new LotseError("TENANT_FOREIGN", `input from a foreign ${platform} organisation`, {
        details: { platform, source, externalTenantId },
      });
    const issuer = (ids.issuedBy ?? []).find((id) => id.toLowerCase() !== own);
    if (issuer !== undefined) throw foreign("token", issuer);
    const named = ids.named.filter((id) => id !== "");
    if (named.length === 0) throw foreign("activity", undefined);
    const allowed = new Set([
      own,
      ...this.mapping.filter((m) => m.platform === platform).map((m) => m.externalId.toLowerCase()),
    ]);
    const stranger = named.find((id) => !allowed.has(id.toLowerCase()));
    if (stranger !== undefined) throw foreign("activity", stranger);
  }
}

/** A tenant id as people read it: "musterstadt" → "Musterstadt", "bad-neustadt" → "Bad Neustadt". */
export function tenantDisplayName(tenant: string): string {
  return tenant
    .split("-")
    .map((w) => (w ? (w[0] as string).toUpperCase() + w.slice(1) : w))
    .join(" ");
}

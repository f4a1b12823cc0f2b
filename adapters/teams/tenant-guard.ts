import type { Activity } from "@microsoft/agents-activity";
import type { Config } from "../../src/config.ts";
import { issuerTenant } from "./verify-token.ts";

/** Which Entra tenant made an activity foreign, and where it was named. */
export type ForeignTenant = { source: "token" | "activity"; entraTenantId: string | undefined };

/**
 * Refuses activities from other Entra tenants, with Bot credentials only (the local trial has no token and relies on
 * the tenant map alone). The Azure Bot is single-tenant: its tokens must name its own tenant (TEAMS_TENANT_ID); the
 * tenants the activity names (channelData.tenant.id, conversation.tenantId) must be the own one or a Teams entry of
 * LOTSE_TENANT_MAP, and an activity that names none is refused too. Which Lotse tenant serves an allowed Entra
 * tenant stays the core's decision.
 */
export class TenantGuard {
  private readonly own: string | undefined;
  private readonly allowed: ReadonlySet<string>;

  constructor(config: Pick<Config, "teamsAuth" | "tenantMap">) {
    this.own = config.teamsAuth?.tenantId.toLowerCase();
    this.allowed = new Set(
      [
        ...(this.own ? [this.own] : []),
        ...config.tenantMap.filter((m) => m.platform === "teams").map((m) => m.externalId),
      ].map((t) => t.toLowerCase()),
    );
  }

  /** Why the activity comes from a foreign tenant, or undefined when it may be served. */
  check(activity: Activity, identity: Record<string, unknown> | undefined): ForeignTenant | undefined {
    if (!this.own) return undefined;
    for (const named of [issuerTenant(identity?.iss), identity?.tid])
      if (typeof named === "string" && named.toLowerCase() !== this.own)
        return { source: "token", entraTenantId: named };
    const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
    const named = [channelData?.tenant?.id, activity.conversation?.tenantId].filter(
      (t): t is string => typeof t === "string" && t !== "",
    );
    if (named.length === 0) return { source: "activity", entraTenantId: undefined };
    const foreign = named.find((t) => !this.allowed.has(t.toLowerCase()));
    return foreign ? { source: "activity", entraTenantId: foreign } : undefined;
  }
}

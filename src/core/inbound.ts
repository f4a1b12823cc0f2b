/** Where a message came from; adapters fill this in from their platform's event. */
export type Platform = "cli" | "teams" | "slack";

/** A platform-neutral message. No platform type crosses into src/: adapters convert to this. */
export interface Inbound {
  kind: "message";
  platform: Platform;
  /** The platform's tenant or workspace id (Entra tenant id, Slack team id); absent for the CLI. */
  externalTenantId?: string;
  /** Explicit Lotse tenant (CLI --tenant); takes precedence over the mapping. */
  tenant?: string;
  user: { id: string; name?: string };
  conversation: { id: string; kind: "personal" | "group" | "channel" | "thread" };
  text: string;
  receivedAt: Date;
}

import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { LotseError } from "../errors.ts";

const slackUserId = z.string().regex(/^[UW][A-Z0-9]+$/, "eine Slack-User-ID wie U0123ABCD");
const slackChannelId = z.string().regex(/^[CG][A-Z0-9]+$/, "eine Slack-Kanal-ID wie C0123ABCD");
const teamsChannelId = z
  .string()
  .regex(/^19:[^\s;]+@thread\.(tacv2|skype)$/, "eine Teams-Kanal-ID wie 19:abc…@thread.tacv2");
const slackGroupId = z.string().regex(/^S[A-Z0-9]+$/, "eine Slack-Benutzergruppen-ID wie S0123ABCD");
const entraId = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "eine Entra-Objekt-ID wie 00000000-0000-0000-0000-000000000000",
  );

const entrySchema = z
  .object({
    /** Who may create and change channel reminders and subscribe channels to deadlines. */
    coordinators: z
      .object({
        slack_users: z.array(slackUserId).default([]),
        slack_usergroups: z.array(slackGroupId).default([]),
        teams_users: z.array(entraId).default([]),
        // Teams does not tell a bot who owns a team (the Bot Connector's member role says user or guest; ownership
        // needs Microsoft Graph and a permission Lotse does not ask for): refused rather than silently ignored.
        teams_team_owners: z
          .never({
            error:
              "wird nicht unterstützt: Teams sagt Lotse nicht, wer ein Team besitzt (dafür bräuchte es Microsoft Graph mit einer zusätzlichen Berechtigung). Tragen Sie die Koordinatorinnen und Koordinatoren unter teams_users mit ihrer Entra-Objekt-ID ein",
          })
          .optional(),
      })
      .strict()
      .default({ slack_users: [], slack_usergroups: [], teams_users: [] }),
    /** Days before each deadline a subscribed channel hears of it. */
    deadline_lead_days: z.array(z.number().int().min(0).max(365)).min(1).max(5).optional(),
    /** Days question texts are kept for this tenant (default LOTSE_RETENTION_DAYS). */
    retention_days: z.number().int().min(1).max(3650).optional(),
    onboarding: z
      .object({
        /**
         * Whether coordinators may see who completed which module. Off by default: a system that can monitor
         * behaviour or performance needs the staff council's consent.
         */
        per_person_report: z.boolean().default(false),
        /** Slack channels whose new members get the onboarding offer as a direct message (member_joined_channel). */
        slack_channels: z.array(slackChannelId).default([]),
      })
      .strict()
      .optional(),
    /** Where the weekly digest of knowledge gaps goes: one coordinators' channel on Slack or Teams. */
    digest: z
      .object({
        slack_channel: slackChannelId.optional(),
        teams_channel: teamsChannelId.optional(),
      })
      .strict()
      .refine((d) => (d.slack_channel === undefined) !== (d.teams_channel === undefined), {
        error: "genau einen Kanal angeben: slack_channel oder teams_channel",
      })
      .optional(),
  })
  .strict();

const fileSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "Tenant-Kennung"), entrySchema);

/** One tenant's settings, defaults filled in. */
export interface TenantSettingsEntry {
  coordinators: {
    slackUsers: string[];
    slackUsergroups: string[];
    teamsUsers: string[];
  };
  deadlineLeadDays: number[];
  /** Days question texts are kept; undefined: the deployment's LOTSE_RETENTION_DAYS. */
  retentionDays?: number;
  onboarding: {
    /** Per-person completion may be reported (the staff council agreed); default false. */
    perPersonReport: boolean;
    /** Slack channels whose new members are offered onboarding by direct message. */
    slackChannels: string[];
  };
  /** The coordinators' channel the weekly gap digest goes to (a new thread there); undefined: no digest. */
  digest?: { platform: "slack" | "teams"; channel: string };
}

const EMPTY: Omit<TenantSettingsEntry, "deadlineLeadDays"> = {
  coordinators: { slackUsers: [], slackUsergroups: [], teamsUsers: [] },
  onboarding: { perPersonReport: false, slackChannels: [] },
};

/**
 * Per-tenant settings (LOTSE_TENANT_SETTINGS: inline JSON, or the path of a YAML or JSON file): coordinators,
 * deadline lead days, retention, onboarding (per-person report, Slack channels that start it), the gap digest channel. A tenant without an entry has no coordinators and the global defaults.
 */
export class TenantSettings {
  private readonly entries: Map<string, TenantSettingsEntry>;
  private readonly defaultLeadDays: number[];

  constructor(entries: Map<string, TenantSettingsEntry> = new Map(), defaultLeadDays: number[] = [14, 2]) {
    this.entries = entries;
    this.defaultLeadDays = defaultLeadDays;
  }

  /** The settings of a tenant (defaults where it has none). */
  of(tenant: string): TenantSettingsEntry {
    return this.entries.get(tenant) ?? { ...EMPTY, deadlineLeadDays: this.defaultLeadDays };
  }

  /** The tenants with an entry. */
  tenants(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Reads LOTSE_TENANT_SETTINGS' value: starting with "{" it is JSON, otherwise a file path (YAML or JSON).
   * Errors are CONFIG_INVALID in German naming the variable and the field, never a value.
   */
  static parse(
    raw: string | undefined,
    defaultLeadDays: number[],
    readFile: (file: string, encoding: "utf8") => string = readFileSync,
  ): TenantSettings {
    if (!raw) return new TenantSettings(new Map(), defaultLeadDays);
    let value: unknown;
    const where = raw.trim().startsWith("{")
      ? "LOTSE_TENANT_SETTINGS"
      : `LOTSE_TENANT_SETTINGS (Datei ${raw})`;
    try {
      value = raw.trim().startsWith("{") ? JSON.parse(raw) : parseYaml(readFile(raw, "utf8"));
    } catch (cause) {
      const reason =
        (cause as NodeJS.ErrnoException).code === "ENOENT"
          ? "Datei nicht gefunden"
          : "kein gültiges JSON/YAML";
      throw new LotseError("CONFIG_INVALID", `Ungültige Konfiguration:\n  ${where}: ${reason}.`, {
        cause,
        details: { variables: ["LOTSE_TENANT_SETTINGS"] },
      });
    }
    const parsed = fileSchema.safeParse(value ?? {}, { error: z.locales.de().localeError });
    if (!parsed.success) {
      const lines = parsed.error.issues.map(
        (i) => `${where}: ${i.path.join(".") || "(oberste Ebene)"}: ${i.message}`,
      );
      throw new LotseError("CONFIG_INVALID", `Ungültige Konfiguration:\n  ${lines.join("\n  ")}`, {
        details: { variables: ["LOTSE_TENANT_SETTINGS"] },
      });
    }
    const entries = new Map<string, TenantSettingsEntry>();
    for (const [tenant, e] of Object.entries(parsed.data))
      entries.set(tenant, {
        coordinators: {
          slackUsers: e.coordinators.slack_users,
          slackUsergroups: e.coordinators.slack_usergroups,
          teamsUsers: e.coordinators.teams_users.map((id) => id.toLowerCase()),
        },
        deadlineLeadDays: e.deadline_lead_days ?? defaultLeadDays,
        ...(e.retention_days !== undefined ? { retentionDays: e.retention_days } : {}),
        onboarding: {
          perPersonReport: e.onboarding?.per_person_report ?? false,
          slackChannels: e.onboarding?.slack_channels ?? [],
        },
        ...(e.digest
          ? {
              digest: e.digest.slack_channel
                ? { platform: "slack" as const, channel: e.digest.slack_channel }
                : { platform: "teams" as const, channel: e.digest.teams_channel ?? "" },
            }
          : {}),
      });
    return new TenantSettings(entries, defaultLeadDays);
  }
}

import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { LotseError } from "../errors.ts";

const slackUserId = z.string().regex(/^[UW][A-Z0-9]+$/, "eine Slack-User-ID wie U0123ABCD");
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
}

/**
 * Per-tenant settings (LOTSE_TENANT_SETTINGS: inline JSON, or the path of a YAML or JSON file): coordinators and
 * deadline lead days. A tenant without an entry has no coordinators and the global defaults.
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
    return (
      this.entries.get(tenant) ?? {
        coordinators: { slackUsers: [], slackUsergroups: [], teamsUsers: [] },
        deadlineLeadDays: this.defaultLeadDays,
      }
    );
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
      });
    return new TenantSettings(entries, defaultLeadDays);
  }
}

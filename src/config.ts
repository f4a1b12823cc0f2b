import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { agentsSdkVariables } from "./config-agents-sdk.ts";
import {
  quotable,
  slackAppToken,
  slackBotToken,
  slackSigningSecret,
  teamsClientSecret,
} from "./config-secrets.ts";
import { bool, httpsUrl, isLoopback, tenantId, tenantMap, uuid } from "./config-shapes.ts";
import { TenantSettings } from "./core/tenant-settings.ts";
import { LotseError } from "./errors.ts";

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3978),
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOTSE_LOG_MESSAGES: bool.default(false),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "eine PostgreSQL-URL wie postgres://user@host:5432/lotse")
    .optional(),
  LOTSE_DATA_DIR: z.string().min(1).default("./data"),
  LOTSE_KNOWLEDGE_DIR: z.string().min(1).default("./knowledge"),
  LOTSE_PROMPTS_DIR: z.string().min(1).default("./prompts/de"),
  LOTSE_AUTO_INGEST: z.enum(["auto", "true", "false"]).default("auto"),
  LOTSE_DEFAULT_TENANT: tenantId.default("musterstadt"),
  LOTSE_TENANT_MAP: tenantMap.default([]),
  LOTSE_DEFAULT_CONTACT_ROLE: z.string().min(1).default("nachhaltigkeit"),
  LOTSE_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.4),
  LOTSE_TENTATIVE_CONFIDENCE: z.coerce.number().min(0).max(1).optional(),
  LOTSE_MAX_QUESTION_CHARS: z.coerce.number().int().min(50).max(100000).default(1000),
  LOTSE_EMBEDDER: z.enum(["hashed-ngram"]).default("hashed-ngram"),
  LOTSE_EMBEDDING_DIM: z.coerce.number().int().min(32).max(2048).default(256),
  LOTSE_TEAMS_ENABLED: bool.default(true),
  LOTSE_SHUTDOWN_GRACE_S: z.coerce.number().int().min(0).max(600).default(20),
  LOTSE_PSEUDONYM_KEY: z
    .string()
    .min(32, "mindestens 32 Zeichen, z. B. die Ausgabe von „openssl rand -hex 32“")
    .optional(),
  LOTSE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOTSE_FOLLOW_UP_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  LOTSE_TENANT_SETTINGS: z.string().min(1).optional(),
  LOTSE_DEADLINE_LEAD_DAYS: z
    .string()
    .regex(/^\s*\d{1,3}(\s*,\s*\d{1,3}){0,4}\s*$/, "Tage durch Komma getrennt, z. B. 14,2")
    .refine((v) => v.split(",").every((d) => Number(d) <= 365), "höchstens 365 Tage je Angabe")
    .default("14,2"),
  LOTSE_REMINDER_GRACE_HOURS: z.coerce.number().min(0.25).max(168).default(6),
  LOTSE_SCHEDULER: bool.default(true),
  LOTSE_SCHEDULER_POLL_S: z.coerce.number().int().min(1).max(3600).default(15),
  TEAMS_SERVICE_HOSTS: z
    .string()
    .regex(
      /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(\s*[,;]\s*(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*)*$/i,
      "Hostnamen durch Komma getrennt, ein * nur ganz vorn als *.domain, z. B. smba.trafficmanager.net,*.example.org",
    )
    .optional(),
  NODE_ENV: z.enum(["production", "development", "test"]).optional(),
  TEAMS_CLIENT_ID: uuid.optional(),
  TEAMS_CLIENT_SECRET: teamsClientSecret.optional(),
  TEAMS_TENANT_ID: uuid.optional(),
  SLACK_SIGNING_SECRET: slackSigningSecret.optional(),
  SLACK_BOT_TOKEN: slackBotToken.optional(),
  SLACK_APP_TOKEN: slackAppToken.optional(),
  SLACK_API_URL: z
    .string()
    .regex(/^https?:\/\/\S+\/$/, "eine URL mit / am Ende, z. B. https://slack.com/api/")
    .optional(),
  TEAMS_APP_NAME: z.string().min(1).max(30).default("Lotse"),
  TEAMS_DEVELOPER_NAME: z.string().min(1).max(32).default("Stadt Musterstadt"),
  TEAMS_WEBSITE_URL: httpsUrl.default("https://www.musterstadt.example/lotse"),
  TEAMS_PRIVACY_URL: httpsUrl.default("https://www.musterstadt.example/lotse/datenschutz"),
  TEAMS_TERMS_URL: httpsUrl.default("https://www.musterstadt.example/lotse/nutzungsbedingungen"),
});

/** Every environment variable Lotse reads (each is documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

import type { TenantMapping } from "./config-shapes.ts";

export type { TenantMapping };

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  logMessages: boolean;
  /** Set when a PostgreSQL server is used instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  /** Absolute path, or ":memory:" for an in-memory embedded database. */
  dataDir: string;
  knowledgeDir: string;
  promptsDir: string;
  autoIngest: boolean;
  defaultTenant: string;
  tenantMap: TenantMapping[];
  defaultContactRole: string;
  minConfidence: number;
  /**
   * From this confidence up to minConfidence Lotse answers with a note that it is not sure and names the contact
   * (LOTSE_TENTATIVE_CONFIDENCE, default 0.33 or minConfidence if lower); equal to minConfidence: no such answers.
   */
  tentativeConfidence: number;
  maxQuestionChars: number;
  embedder: { kind: "hashed-ngram"; dim: number };
  production: boolean;
  /** NODE_ENV as set (undefined when unset). */
  nodeEnv: "production" | "development" | "test" | undefined;
  /** Whether the server mounts the Teams endpoint POST /api/messages. */
  teamsEnabled: boolean;
  /** How long shutdown waits for acknowledged work before it closes the database (LOTSE_SHUTDOWN_GRACE_S). */
  shutdownGraceMs: number;
  /**
   * Key of the user pseudonyms (LOTSE_PSEUDONYM_KEY); absent: a random key is created once and kept in the
   * database, shared by all replicas.
   */
  pseudonymKey: string | undefined;
  /** Days question texts and conversation turns are kept (LOTSE_RETENTION_DAYS). */
  retentionDays: number;
  /**
   * Minutes within which a message in a conversation without threads (a personal chat) continues the previous
   * question (LOTSE_FOLLOW_UP_MINUTES); in a thread the thread itself says so.
   */
  followUpMinutes: number;
  /** Per-tenant settings: coordinators, deadline lead days (LOTSE_TENANT_SETTINGS, LOTSE_DEADLINE_LEAD_DAYS). */
  tenantSettings: TenantSettings;
  /** A missed reminder occurrence is still posted (marked late) within this window, skipped beyond it. */
  reminderGraceMs: number;
  /** Whether `serve` runs the scheduler (LOTSE_SCHEDULER); `lotse reminders run-due` runs it once either way. */
  schedulerEnabled: boolean;
  /** Idle polling interval of the scheduler (LOTSE_SCHEDULER_POLL_S). */
  schedulerPollMs: number;
  /**
   * Extra hosts (exact, or "*.suffix") Teams replies may be sent to besides the Bot Framework / Teams service hosts
   * (TEAMS_SERVICE_HOSTS; with credentials the only way to allow loopback); empty by default.
   */
  teamsServiceHosts: string[];
  /** Bot credentials of the Azure Bot registration (single tenant); absent = unauthenticated local trial. */
  teamsAuth: { clientId: string; clientSecret: string; tenantId: string } | undefined;
  /**
   * Slack through Bolt: HTTP mode (signing secret + bot token) or Socket Mode (bot token + app token); absent = no
   * Slack. apiUrl overrides the Web API base URL (tests, proxies).
   */
  slack:
    | { mode: "http"; signingSecret: string; botToken: string; apiUrl?: string }
    | { mode: "socket"; appToken: string; botToken: string; signingSecret?: string; apiUrl?: string }
    | undefined;
  /** What the Teams app package (`npm run teams:package`) shows about the app and its publisher. */
  teamsApp: { name: string; developerName: string; websiteUrl: string; privacyUrl: string; termsUrl: string };
}

/** Loads ./.env into the environment where present (variables already set win). */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Validates the environment once; an invalid value throws CONFIG_INVALID naming the variable. */
/** Default floor of answers with a note of doubt (calibrated on test/eval, see README). */
const TENTATIVE_DEFAULT = 0.33;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  // zod's own messages (number expected, too long, …) in German; the schema's messages above win over them.
  const parsed = schema.safeParse(input, { error: z.locales.de().localeError });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "?");
      const shown = quotable(name, input[name] ?? "");
      const value = shown === undefined ? "Wert nicht angezeigt" : `aktueller Wert: ${JSON.stringify(shown)}`;
      return `${name}: ${issue.message} (${value}; siehe .env.example)`;
    });
    throw new LotseError("CONFIG_INVALID", `Ungültige Konfiguration:\n  ${lines.join("\n  ")}`, {
      details: { variables: parsed.error.issues.map((i) => i.path[0]) },
    });
  }
  const e = parsed.data;
  if (e.LOTSE_TENTATIVE_CONFIDENCE !== undefined && e.LOTSE_TENTATIVE_CONFIDENCE > e.LOTSE_MIN_CONFIDENCE)
    throw new LotseError(
      "CONFIG_INVALID",
      `Ungültige Konfiguration:\n  LOTSE_TENTATIVE_CONFIDENCE (${e.LOTSE_TENTATIVE_CONFIDENCE}) liegt über LOTSE_MIN_CONFIDENCE (${e.LOTSE_MIN_CONFIDENCE}): Antworten mit Vorbehalt gibt es nur unterhalb der Schwelle für sichere Antworten. Setzen Sie einen Wert bis ${e.LOTSE_MIN_CONFIDENCE}.`,
      { details: { variables: ["LOTSE_TENTATIVE_CONFIDENCE", "LOTSE_MIN_CONFIDENCE"] } },
    );
  const teamsVars = [e.TEAMS_CLIENT_ID, e.TEAMS_CLIENT_SECRET, e.TEAMS_TENANT_ID];
  if (teamsVars.some(Boolean) && !teamsVars.every(Boolean))
    throw new LotseError(
      "CONFIG_INVALID",
      "Ungültige Konfiguration:\n  TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID gehören zusammen: setzen Sie alle drei (Azure-Bot-Registrierung) oder keine.",
      { details: { variables: ["TEAMS_CLIENT_ID", "TEAMS_CLIENT_SECRET", "TEAMS_TENANT_ID"] } },
    );
  if (e.SLACK_BOT_TOKEN === undefined && (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN))
    throw new LotseError(
      "CONFIG_INVALID",
      "Ungültige Konfiguration:\n  SLACK_BOT_TOKEN fehlt: Slack braucht das Bot-Token (xoxb-…) und dazu SLACK_SIGNING_SECRET (HTTP) oder SLACK_APP_TOKEN (Socket Mode).",
      { details: { variables: ["SLACK_BOT_TOKEN"] } },
    );
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN)
    throw new LotseError(
      "CONFIG_INVALID",
      "Ungültige Konfiguration:\n  SLACK_BOT_TOKEN ist gesetzt, aber weder SLACK_SIGNING_SECRET (HTTP-Modus) noch SLACK_APP_TOKEN (Socket Mode).",
      { details: { variables: ["SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"] } },
    );
  // Checked here, before any database is opened: unauthenticated Teams requests are a local trial, and on a public
  // address they would let anyone post forged activities.
  if (e.LOTSE_TEAMS_ENABLED && !teamsVars.every(Boolean)) {
    if (e.NODE_ENV === "production")
      throw new LotseError(
        "CONFIG_INVALID",
        "Ungültige Konfiguration:\n  NODE_ENV=production, aber die Teams-Zugangsdaten fehlen: Setzen Sie TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID aus der Azure-Bot-Registrierung, oder schalten Sie Teams mit LOTSE_TEAMS_ENABLED=false ab.",
        { details: { variables: ["TEAMS_CLIENT_ID", "TEAMS_CLIENT_SECRET", "TEAMS_TENANT_ID", "NODE_ENV"] } },
      );
    if (!isLoopback(e.HOST) && e.NODE_ENV !== "development" && e.NODE_ENV !== "test")
      throw new LotseError(
        "CONFIG_INVALID",
        `Ungültige Konfiguration:\n  Ohne Teams-Zugangsdaten nimmt Lotse Teams-Anfragen ungeprüft an, deshalb nur lokal (HOST=127.0.0.1, aktuell ${e.HOST}) oder mit NODE_ENV=development. Setzen Sie TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID, oder schalten Sie Teams mit LOTSE_TEAMS_ENABLED=false ab.`,
        { details: { variables: ["TEAMS_CLIENT_ID", "TEAMS_CLIENT_SECRET", "TEAMS_TENANT_ID", "HOST"] } },
      );
  }
  // In production the pseudonym key is the operator's (kept with the other secrets, backed up, rotated on purpose): a
  // key Lotse made up and kept in the database would pseudonymise nothing against someone who reads the database.
  if (e.NODE_ENV === "production" && !e.LOTSE_PSEUDONYM_KEY)
    throw new LotseError(
      "CONFIG_INVALID",
      "Ungültige Konfiguration:\n  NODE_ENV=production, aber LOTSE_PSEUDONYM_KEY fehlt: Lotse speichert Nutzerkennungen nur pseudonymisiert mit diesem Schlüssel. Erzeugen Sie ihn einmal mit „openssl rand -hex 32“, bewahren Sie ihn wie ein Passwort auf und setzen Sie ihn auf allen Instanzen gleich.",
      { details: { variables: ["LOTSE_PSEUDONYM_KEY", "NODE_ENV"] } },
    );
  // The Agents SDK reads settings of its own from the environment; they would change the Teams sign-in behind ours.
  const sdkVariables = e.LOTSE_TEAMS_ENABLED ? agentsSdkVariables(env) : [];
  if (sdkVariables.length > 0)
    throw new LotseError(
      "CONFIG_INVALID",
      `Ungültige Konfiguration:\n  ${sdkVariables.join(", ")}: diese Variablen des Agents SDK würden die Teams-Anmeldung verändern. Entfernen Sie sie; Lotse liest nur TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID.`,
      { details: { variables: sdkVariables } },
    );
  const apiUrl = e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {};
  const slack: Config["slack"] = !e.SLACK_BOT_TOKEN
    ? undefined
    : e.SLACK_APP_TOKEN
      ? {
          mode: "socket",
          appToken: e.SLACK_APP_TOKEN,
          botToken: e.SLACK_BOT_TOKEN,
          ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
          ...apiUrl,
        }
      : {
          mode: "http",
          signingSecret: e.SLACK_SIGNING_SECRET as string,
          botToken: e.SLACK_BOT_TOKEN,
          ...apiUrl,
        };
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.resolve(cwd, p));
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logMessages: e.LOTSE_LOG_MESSAGES,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.LOTSE_DATA_DIR === ":memory:" ? ":memory:" : abs(e.LOTSE_DATA_DIR),
    knowledgeDir: abs(e.LOTSE_KNOWLEDGE_DIR),
    promptsDir: abs(e.LOTSE_PROMPTS_DIR),
    autoIngest:
      e.LOTSE_AUTO_INGEST === "auto" ? e.DATABASE_URL === undefined : e.LOTSE_AUTO_INGEST === "true",
    defaultTenant: e.LOTSE_DEFAULT_TENANT,
    tenantMap: e.LOTSE_TENANT_MAP,
    defaultContactRole: e.LOTSE_DEFAULT_CONTACT_ROLE,
    minConfidence: e.LOTSE_MIN_CONFIDENCE,
    tentativeConfidence: e.LOTSE_TENTATIVE_CONFIDENCE ?? Math.min(TENTATIVE_DEFAULT, e.LOTSE_MIN_CONFIDENCE),
    maxQuestionChars: e.LOTSE_MAX_QUESTION_CHARS,
    pseudonymKey: e.LOTSE_PSEUDONYM_KEY,
    retentionDays: e.LOTSE_RETENTION_DAYS,
    followUpMinutes: e.LOTSE_FOLLOW_UP_MINUTES,
    tenantSettings: TenantSettings.parse(
      e.LOTSE_TENANT_SETTINGS,
      e.LOTSE_DEADLINE_LEAD_DAYS.split(",").map((d) => Number(d.trim())),
      (file, enc) => readFileSync(path.isAbsolute(file) ? file : path.resolve(cwd, file), enc),
    ),
    reminderGraceMs: e.LOTSE_REMINDER_GRACE_HOURS * 3_600_000,
    schedulerEnabled: e.LOTSE_SCHEDULER,
    schedulerPollMs: e.LOTSE_SCHEDULER_POLL_S * 1000,
    embedder: { kind: e.LOTSE_EMBEDDER, dim: e.LOTSE_EMBEDDING_DIM },
    production: e.NODE_ENV === "production",
    nodeEnv: e.NODE_ENV,
    teamsEnabled: e.LOTSE_TEAMS_ENABLED,
    shutdownGraceMs: e.LOTSE_SHUTDOWN_GRACE_S * 1000,
    teamsServiceHosts: (e.TEAMS_SERVICE_HOSTS ?? "")
      .split(/[,;]/)
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    slack,
    teamsAuth:
      e.TEAMS_CLIENT_ID && e.TEAMS_CLIENT_SECRET && e.TEAMS_TENANT_ID
        ? { clientId: e.TEAMS_CLIENT_ID, clientSecret: e.TEAMS_CLIENT_SECRET, tenantId: e.TEAMS_TENANT_ID }
        : undefined,
    teamsApp: {
      name: e.TEAMS_APP_NAME,
      developerName: e.TEAMS_DEVELOPER_NAME,
      websiteUrl: e.TEAMS_WEBSITE_URL,
      privacyUrl: e.TEAMS_PRIVACY_URL,
      termsUrl: e.TEAMS_TERMS_URL,
    },
  };
}

/** Start-up configuration for the commands: ./.env, then the environment; a bad value becomes one German message. */
export function configFromEnvironment(): { config: Config } | { error: string } {
  try {
    loadDotEnv();
    return { config: loadConfig() };
  } catch (err) {
    return { error: err instanceof LotseError ? `Fehler [${err.code}]: ${err.message}` : String(err) };
  }
}

/** Whether stderr/stdout is an interactive terminal (progress bars only there). */
export function isInteractive(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && process.env.CI !== "true";
}

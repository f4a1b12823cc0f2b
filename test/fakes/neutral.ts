import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Runtime } from "../../src/runtime.ts";

/**
 * What a platform's fake received, reduced to neutral facts the scenario suite can state once for every platform:
 * the visible text (markup, escapes and link syntax removed), headings, buttons, what would be clickable, who would
 * be notified, who sees it, and which of the platform's limits it breaks.
 */
export interface NeutralButton {
  label: string;
  actionId?: string;
  value?: string;
  url?: string;
}

export interface NeutralReply {
  /** What the user reads, one block per line: markup and escapes undone, a link shown as its label. */
  text: string;
  headings: string[];
  buttons: NeutralButton[];
  /** Targets a click would open: link buttons and links inside the text. */
  links: string[];
  /** Who would be notified: "channel", "here", "everyone" or a user id. */
  mentions: string[];
  /** Only the user who acted sees it (Slack ephemeral; Teams invoke response). */
  private: boolean;
  /** The platform limits this reply breaks (empty: Slack or Teams accepts it as sent). */
  overLimits: string[];
  /** The platform's own handle (for pressing a button on it). */
  handle: unknown;
}

export type Platform = "slack" | "teams";

/** A field of a form as the user sees it (Slack modal input, Teams Input.*); field ids are the core's. */
export interface NeutralField {
  id: string;
  type: "text" | "longtext" | "date" | "time" | "select" | "conversation" | "user";
  label: string;
  required: boolean;
  /** What the field shows before the user types (a select's value). */
  initial?: string;
  /** A select's values. */
  options?: string[];
}

/** A form Lotse showed (Slack: a modal; Teams: an Adaptive Card with inputs), read as neutral facts. */
export interface NeutralForm {
  /** The core's form id (Slack callback_id; Teams the submit's verb). */
  id: string;
  title: string;
  /** The visible text besides the fields: intro, hints, errors. */
  text: string;
  /** The fields the platform shows (Teams shows no conversation field: it fills in the current conversation). */
  fields: NeutralField[];
  /** Validation errors by field id. */
  errors: Record<string, string>;
  /** The platform limits the form breaks. */
  overLimits: string[];
  /**
   * Only the user who acted sees it: a Slack modal always; on Teams a card that is an invoke's response (it replaces
   * the card acted on for that user alone), not one posted as a message into the conversation (false).
   */
  private: boolean;
  /** The platform's own handle (for submitting it). */
  handle: unknown;
}

/** What a submission caused: replies, and the form shown next (the same form with errors, or another). */
export interface Submitted {
  replies: NeutralReply[];
  form?: NeutralForm;
}

/** A message Lotse posted that nobody asked for (a reminder, a notice), with where it went. */
export interface NeutralPost extends NeutralReply {
  /** A channel (a new top-level message or thread in it) or the user's personal chat with Lotse (Slack DM). */
  where: "channel" | "personal";
  /** The platform's id of that channel or chat. */
  conversation: string;
}

/** The scenario's channel on each platform (ScenarioDriver.channel), for settings made before a driver starts. */
export const SCENARIO_CHANNEL: Record<Platform, string> = {
  slack: "C0NACHHALT",
  teams: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2",
};

/** An organisation Lotse does not serve, in each platform's id form (a Slack workspace, an Entra tenant). */
export const OTHER_TENANT: Record<Platform, string> = {
  slack: "T0ANDERE01",
  teams: "11111111-2222-4333-8444-555555555555",
};

/** The people and places of one scenario: a user nobody has seen before, in conversations of their own. */
export interface ScenarioDriver {
  readonly platform: Platform;
  readonly rt: Runtime;
  readonly logs: Record<string, unknown>[];
  /** Every id the platform gives the current user (none may be stored). */
  readonly userIds: string[];
  /** An id of another organisation (workspace or Entra tenant) in this platform's form. */
  readonly otherTenantId: string;
  /**
   * A fresh user (and fresh threads) for the next scenario; `as: "coordinator"` is instead the platform's coordinator
   * (COORDINATOR, named in coordinatorSettings()).
   */
  begin(options?: { as?: "coordinator" }): void;
  /** The user writes `text` in thread `thread` (its first message opens it, addressed to Lotse). */
  say(text: string, thread: string): Promise<NeutralReply[]>;
  /** The user presses the button with this action id or label on `reply`. */
  press(reply: NeutralReply, button: { actionId?: string; label?: string }): Promise<NeutralReply[]>;
  /**
   * The user joins: on Teams the team (membersAdded); on Slack the workspace (team_join, the default: the welcome goes
   * to the user's DM) or, with `where: "channel"`, the scenario's channel (member_joined_channel).
   */
  join(options?: { where?: "workspace" | "channel" }): Promise<NeutralReply[]>;
  /**
   * The user gives Lotse a command the platform's way, in the scenario's channel: Slack `/lotse <text>` (replies for
   * the user alone, a form as a modal); Teams a message to Lotse opening a new thread (a form as a card).
   */
  command(text: string): Promise<NeutralReply[]>;
  /** The forms Lotse showed the current user since begin(), latest last (not among the replies). */
  readonly forms: NeutralForm[];
  /**
   * The user submits `form` (Slack view_submission; Teams adaptiveCard/action with the Input values merged into the
   * submit's data). Fields not in `values` keep what they show, as a client sends them; `undefined` empties one.
   */
  submit(form: NeutralForm, values: Record<string, string | undefined>): Promise<Submitted>;
  /**
   * Messages Lotse posted since begin() that no step of the user caused, accepted by the fake platform (Slack
   * chat.postMessage into a channel or a DM; Teams a new thread in a channel, or a post into a personal chat, created
   * through POST /v3/conversations where there was none), in order.
   */
  proactive(): NeutralPost[];
  /** The scenario's channel as the platform names it (Slack C…; Teams the channel's 19:…@thread.tacv2). */
  readonly channel: string;
  /**
   * Lotse is removed from the scenario's channel (true), or added back (false): the fake platform refuses posts there
   * as the real one does (Slack channel_not_found; Teams 403 BotNotInConversationRoster).
   */
  channelGone(gone: boolean): void;
  /**
   * The current user can no longer be reached personally (true): Slack answers account_inactive for their DM; on
   * Teams the app is not installed for them, so creating the personal chat is refused (403).
   */
  userGone(gone: boolean): void;
  /**
   * The fake platform enforces its published rate limits (on), or none (off, the default after begin()): Slack about
   * one message per second per channel; Teams 7 per second per conversation and 50 per app and tenant.
   */
  rateLimits(on: boolean): void;
  /** Posts the fake refused since begin() for going over a rate limit (HTTP 429). */
  rateRefusals(): number;
  /**
   * Lotse restarts: the running app and runtime stop, and a new one starts on the same database and configuration,
   * behind the same fake platform, with the same current user and threads (`rt` and `logs` are then the new one's).
   * Only for a driver started with persistentDatabase() (or a DATABASE_URL): a database in memory is refused.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The coordinator of tenant musterstadt on each platform: a Slack user id; on Teams the Entra object id Teams sends
 * as aadObjectId (the id Lotse knows Teams users by), lower case as Entra writes it.
 */
export const COORDINATOR: Record<Platform, string> = {
  slack: "U0KOORD001",
  teams: "0c7e5a3d-2b1f-4e6a-9d8c-7b6a5f4e3d2c",
};

/** LOTSE_TENANT_SETTINGS naming COORDINATOR as musterstadt's coordinator on both platforms. */
export function coordinatorSettings(): Record<string, string> {
  return {
    LOTSE_TENANT_SETTINGS: JSON.stringify({
      musterstadt: {
        coordinators: { slack_users: [COORDINATOR.slack], teams_users: [COORDINATOR.teams] },
      },
    }),
  };
}

export type StartDriver = (env: Record<string, string>) => Promise<ScenarioDriver>;

/** Whether a button is the one asked for (by action id, label or both). */
export const isButton = (b: NeutralButton, wanted: { actionId?: string; label?: string }) =>
  (wanted.actionId === undefined || b.actionId === wanted.actionId) &&
  (wanted.label === undefined || b.label === wanted.label);

export function findButton(
  reply: NeutralReply,
  button: { actionId?: string; label?: string },
): NeutralButton {
  const hit = reply.buttons.find((b) => isButton(b, button));
  if (!hit)
    throw new Error(`no button ${JSON.stringify(button)} on the reply (${JSON.stringify(reply.buttons)})`);
  return hit;
}

/** Resolves once `ready()` holds, polling the fake's records; fails after timeoutMs (a bound, not a sleep). */
export async function waitUntil(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** LOTSE_DATA_DIR for a driver whose Lotse must survive restart(): the driver makes a directory of its own for it. */
export const PERSISTENT_DATA_DIR = "scenario:persistent";

/**
 * The environment of a Lotse whose database survives ScenarioDriver.restart(): PGlite in a fresh directory under the
 * system's temp directory, removed on stop(). Without it a driver's Lotse keeps its database in memory (faster).
 */
export function persistentDatabase(): Record<string, string> {
  return { LOTSE_DATA_DIR: PERSISTENT_DATA_DIR };
}

/**
 * The data directory a driver makes for persistentDatabase() (undefined otherwise), and the environment its Lotse is
 * started with each time; `restart` refuses a database in memory, which no restart would find again.
 */
export async function scenarioDatabase(env: Record<string, string>): Promise<{
  dataDir: string | undefined;
  env: Record<string, string>;
  canRestart: boolean;
}> {
  if (env.LOTSE_DATA_DIR === PERSISTENT_DATA_DIR) {
    const dataDir = await mkdtemp(path.join(tmpdir(), "lotse-scenario-"));
    return { dataDir, env: { ...env, LOTSE_DATA_DIR: dataDir }, canRestart: true };
  }
  const inMemory = env.DATABASE_URL === undefined && (env.LOTSE_DATA_DIR ?? ":memory:") === ":memory:";
  return { dataDir: undefined, env, canRestart: !inMemory };
}

/** The error of restart() on a Lotse whose database is in memory. */
export const RESTART_NEEDS_DATABASE =
  "restart() needs a database that survives it: start the driver with persistentDatabase()";

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
  /** A fresh user (and fresh threads) for the next scenario. */
  begin(): void;
  /** The user writes `text` in thread `thread` (its first message opens it, addressed to Lotse). */
  say(text: string, thread: string): Promise<NeutralReply[]>;
  /** The user presses the button with this action id or label on `reply`. */
  press(reply: NeutralReply, button: { actionId?: string; label?: string }): Promise<NeutralReply[]>;
  /** The user joins the team, workspace or channel. */
  join(): Promise<NeutralReply[]>;
  stop(): Promise<void>;
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

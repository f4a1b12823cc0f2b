/** The one slash command Lotse answers (the manifest registers it). */
export const LOTSE_COMMAND = "/lotse";

/** The buttons Lotse's listeners handle; render-blocks.ts writes these action ids. */
export const ACTION_IDS = {
  share: "share_answer",
  feedback: /^feedback_(up|down)$/,
  nextStep: /^next_step_\d+$/,
} as const;

/** Interactivity payload types Bolt dispatches (besides events and commands). */
export const INTERACTIVE_TYPES = [
  "block_actions",
  "block_suggestion",
  "interactive_message",
  "message_action",
  "shortcut",
  "view_submission",
  "view_closed",
  "dialog_submission",
  "dialog_suggestion",
  "dialog_cancellation",
] as const;

const interactive = new Set<string>(INTERACTIVE_TYPES);

type Body = Record<string, unknown>;

const record = (v: unknown): Body | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Body) : undefined;

const matches = (id: string, pattern: string | RegExp) =>
  typeof pattern === "string" ? id === pattern : pattern.test(id);

/** What a payload no listener handles is, for the log; undefined for what a listener handles, and for events. */
export type Unhandled = { payloadType: string; command?: string; actionId?: string; callbackId?: string };

/**
 * Commands and interactive payloads that no Lotse listener takes: another command routed to this URL, a button of a
 * message from an older version, shortcuts and modals Lotse never registered. Events are not judged here (Bolt
 * acknowledges them itself), nor anything that is no interactivity payload. A listener added for a new command, button, shortcut or
 * modal must be added here too, or its payloads are acknowledged and dropped before it runs.
 */
export function unhandledPayload(body: unknown): Unhandled | undefined {
  const b = record(body);
  if (!b || "event" in b) return undefined;
  if (typeof b.command === "string")
    return b.command === LOTSE_COMMAND ? undefined : { payloadType: "command", command: b.command };
  if (typeof b.type !== "string" || !interactive.has(b.type)) return undefined;
  if (b.type === "block_actions") {
    // Bolt hands listeners the first action only; Slack sends one per click.
    const first = Array.isArray(b.actions) ? record(b.actions[0]) : undefined;
    const actionId = typeof first?.action_id === "string" ? first.action_id : "";
    if (Object.values(ACTION_IDS).some((p) => matches(actionId, p))) return undefined;
    return { payloadType: b.type, actionId };
  }
  const callbackId = record(b.view)?.callback_id ?? b.callback_id;
  return { payloadType: b.type, ...(typeof callbackId === "string" ? { callbackId } : {}) };
}

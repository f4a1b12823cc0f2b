/**
 * Everything Slack may send that the adapter accepts: the one command, the action ids of the buttons Lotse writes
 * (and those of messages posted before the conversation core), and the form ids of the modals it opens. A payload
 * not listed here is acknowledged and dropped before any listener (see unhandledPayload); a feature that adds a
 * button or form adds its id here.
 */

/** The one slash command Lotse answers (the manifest registers it). */
export const LOTSE_COMMAND = "/lotse";

/** Action ids of buttons the core's features own (feedback codec, share feature). */
export const ACTION_IDS = ["feedback.up", "feedback.down", "answer.share"] as const;

/**
 * Action ids on messages posted before the conversation core, mapped to today's: their values have the same format
 * ({q,d} for 👍/👎, the question for sharing), so old buttons keep working.
 */
export const LEGACY_ACTION_IDS: Readonly<Record<string, (typeof ACTION_IDS)[number]>> = {
  feedback_up: "feedback.up",
  feedback_down: "feedback.down",
  share_answer: "answer.share",
};

/**
 * Link buttons (next steps, buttons with a URL): Slack opens the URL and still sends block_actions, which is
 * acknowledged and goes no further. "next_step_N" is also what messages from before the core carry.
 */
export const LINK_ACTION_ID = /^(next_step|link)_\d+$/;

/**
 * Form ids of modals Lotse opens (a form reply's id becomes the modal's callback_id). None of today's features asks
 * with a form; "reminder.create" and the like go here with their feature.
 */
export const FORM_IDS: readonly string[] = [];

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
const actionIds = new Set<string>(ACTION_IDS);

/** The core's action id for a button's action_id (legacy ids mapped), "link" for URL buttons, else undefined. */
export function routeAction(actionId: string): string | undefined {
  if (actionIds.has(actionId)) return actionId;
  if (Object.hasOwn(LEGACY_ACTION_IDS, actionId)) return LEGACY_ACTION_IDS[actionId];
  if (LINK_ACTION_ID.test(actionId)) return "link";
  return undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every action_id routeAction() accepts, as one pattern for Bolt's action listener. */
export const ACTION_ID_PATTERN = new RegExp(
  `^(${[...ACTION_IDS, ...Object.keys(LEGACY_ACTION_IDS)].map(escapeRegExp).join("|")}|${LINK_ACTION_ID.source.replace(/^\^|\$$/g, "")})$`,
);

/** Every callback_id isFormId() accepts, as one pattern for Bolt's view listener (undefined while there is none). */
export const FORM_ID_PATTERN: RegExp | undefined =
  FORM_IDS.length > 0 ? new RegExp(`^(${FORM_IDS.map(escapeRegExp).join("|")})$`) : undefined;

/** Whether a modal's callback_id is a form Lotse opened. */
export function isFormId(callbackId: string): boolean {
  return FORM_IDS.includes(callbackId);
}

type Body = Record<string, unknown>;

const record = (v: unknown): Body | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Body) : undefined;

/** What a payload no listener handles is, for the log; undefined for what a listener handles, and for events. */
export type Unhandled = { payloadType: string; command?: string; actionId?: string; callbackId?: string };

/**
 * Commands and interactive payloads that no Lotse listener takes: another command routed to this URL, a button of a
 * message from an older version, shortcuts and modals Lotse never registered. Events are not judged here (Bolt
 * acknowledges them itself), nor anything that is no interactivity payload.
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
    if (routeAction(actionId) !== undefined) return undefined;
    return { payloadType: b.type, actionId };
  }
  const callbackId = record(b.view)?.callback_id ?? b.callback_id;
  if (b.type === "view_submission" && typeof callbackId === "string" && isFormId(callbackId))
    return undefined;
  return { payloadType: b.type, ...(typeof callbackId === "string" ? { callbackId } : {}) };
}

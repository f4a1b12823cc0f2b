/**
 * Everything Slack may send that the adapter accepts: the one command, the action ids of the buttons Lotse writes
 * (and those of messages posted before the conversation core), and the form ids of the modals it opens. A payload
 * not listed here is acknowledged and dropped before any listener (see unhandledPayload); a feature that adds a
 * button or form adds its id here, or its namespace where it owns many (reminders).
 */

/** The one slash command Lotse answers (the manifest registers it). */
export const LOTSE_COMMAND = "/lotse";

/** Action ids of buttons the core's features own (feedback codec, share feature). */
export const ACTION_IDS = ["feedback.up", "feedback.down", "answer.share"] as const;

/**
 * Namespaces whose every action id is accepted: the reminder feature's buttons (reminder.pause, reminder.send-now, …),
 * deadline subscriptions (deadlines.subscribe, …) and onboarding (onboarding.start, onboarding.next, …, on the Home
 * tab too). The feature parses what it gets; an id it does not know is its own refusal, not the adapter's.
 */
export const ACTION_NAMESPACES = /^(reminder|deadlines|onboarding)\.[a-z][a-z-]*$/;

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
 * Form ids of modals Lotse opens one by one (a form reply's id becomes the modal's callback_id); none today outside
 * the namespaces below.
 */
export const FORM_IDS: readonly string[] = ["feedback.comment"];

/**
 * Namespaces whose every form id is accepted: the reminder feature's modals (reminder.create, reminder.edit, …) and
 * onboarding's.
 */
export const FORM_NAMESPACES = /^(reminder|onboarding)\.[a-z][a-z-]*$/;

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

/** What separates a repeated action id from the position that makes it unique in its block ("reminder.pause~3"). */
export const ACTION_ID_SUFFIX = "~";

/** A repeated action id made unique in its block by render-blocks.ts. */
const UNIQUE_SUFFIX = new RegExp(`${ACTION_ID_SUFFIX}\\d{1,3}$`);

/**
 * The core's action id for a button's action_id (legacy ids mapped, a uniqueness suffix dropped), "link" for URL
 * buttons, else undefined.
 */
export function routeAction(slackActionId: string): string | undefined {
  const actionId = slackActionId.replace(UNIQUE_SUFFIX, "");
  if (actionIds.has(actionId) || ACTION_NAMESPACES.test(actionId)) return actionId;
  if (Object.hasOwn(LEGACY_ACTION_IDS, actionId)) return LEGACY_ACTION_IDS[actionId];
  if (LINK_ACTION_ID.test(actionId)) return "link";
  return undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A pattern's body without its anchors, to join it into one alternation. */
const unanchored = (re: RegExp) => re.source.replace(/^\^|\$$/g, "");

/** Every action_id routeAction() accepts, as one pattern for Bolt's action listener. */
export const ACTION_ID_PATTERN = new RegExp(
  `^(${[...ACTION_IDS, ...Object.keys(LEGACY_ACTION_IDS)].map(escapeRegExp).join("|")}|${unanchored(LINK_ACTION_ID)}|${unanchored(ACTION_NAMESPACES)})(${unanchored(UNIQUE_SUFFIX)})?$`,
);

/** Every callback_id isFormId() accepts, as one pattern for Bolt's view listener. */
export const FORM_ID_PATTERN = new RegExp(
  `^(${[...FORM_IDS.map(escapeRegExp), unanchored(FORM_NAMESPACES)].join("|")})$`,
);

/** Whether a modal's callback_id is a form Lotse opened. */
export function isFormId(callbackId: string): boolean {
  return FORM_ID_PATTERN.test(callbackId);
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

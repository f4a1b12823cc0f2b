import { z } from "zod";

/** Action ids of the 👍/👎 buttons under an answer (the feedback feature owns the "feedback." namespace). */
export const FEEDBACK_ACTIONS = { up: "feedback.up", down: "feedback.down" } as const;

/**
 * Longest value a button may carry on every platform: Slack refuses button values over 2,000 characters, and Teams'
 * Action.Execute data gets the same bound so that both platforms carry the same value.
 */
export const MAX_BUTTON_VALUE = 2000;
/** At most this many cited documents travel with a rating (an answer cites at most ten). */
const MAX_DOCS = 10;

const schema = z.object({
  q: z.string().min(1).max(MAX_BUTTON_VALUE),
  d: z.array(z.string().min(1).max(200)).max(MAX_DOCS),
});

/** What a rating is about: the question and the documents the answer cited. */
export interface RatedAnswer {
  question: string;
  docIds: string[];
}

/** The value the 👍/👎 buttons carry, within MAX_BUTTON_VALUE characters (a long question is shortened). */
export function encodeFeedback(rated: RatedAnswer): string {
  const d = [...new Set(rated.docIds)].filter((id) => id.length > 0 && id.length <= 200).slice(0, MAX_DOCS);
  let q = rated.question.trim() || "?";
  while (JSON.stringify({ q, d }).length > MAX_BUTTON_VALUE) q = q.slice(0, Math.floor(q.length * 0.8));
  return JSON.stringify({ q, d });
}

/** The rated answer a button value names, or undefined for a value Lotse did not write (too long, not JSON, …). */
export function decodeFeedback(value: string | undefined): RatedAnswer | undefined {
  if (!value || value.length > MAX_BUTTON_VALUE) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(value));
    return r.success ? { question: r.data.q, docIds: r.data.d } : undefined;
  } catch {
    return undefined;
  }
}

/** Form id of the comment form shown after 👎 (Slack callback_id, Teams verb). */
export const FEEDBACK_FORM = "feedback.comment";

/** Field ids of the comment form (Slack action_id, Teams Input id); read back from SubmitInbound.values. */
export const FEEDBACK_FIELDS = { reason: "reason", comment: "comment" } as const;

const stateSchema = z.object({ v: z.literal(1), f: z.string().regex(/^[1-9]\d{0,17}$/) });

/**
 * The comment form's state: the id of the stored rating it annotates. It comes back from the client, so it names a
 * rating but grants nothing: the store annotates a rating only for its own tenant and user (FeedbackStore.annotate).
 */
export function encodeCommentState(feedbackId: string): string {
  return JSON.stringify({ v: 1, f: feedbackId });
}

/** The rating id a comment form's state names, or undefined for a state Lotse did not write. */
export function decodeCommentState(state: string | undefined): string | undefined {
  if (!state || state.length > 100) return undefined;
  try {
    const r = stateSchema.safeParse(JSON.parse(state));
    return r.success ? r.data.f : undefined;
  } catch {
    return undefined;
  }
}

import { FEEDBACK_LIMITS, FEEDBACK_REASONS, type FeedbackReason } from "./feedback-store.ts";

/**
 * What a submitted comment form says, checked: a reason of FEEDBACK_REASONS or none, a comment cleaned (line breaks
 * unified, control and bidi-override characters removed, blank lines collapsed, trimmed) or none. `tooLong` and
 * `badReason` are refusals the form shows at its field; values come from the user's client and may be forged.
 */
export interface CommentInput {
  reason?: FeedbackReason;
  comment?: string;
  /** The cleaned comment has more than FEEDBACK_LIMITS.commentChars characters (code points). */
  tooLong?: boolean;
  /** A reason was sent that the form does not offer. */
  badReason?: boolean;
}

/** Control characters (C0, C1) except the line feed, and the invisible marks that reorder text (bidi overrides). */
const CONTROL = /[^\P{Cc}\n]|[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/** Longer raw values are cut before cleaning: far more than any comment the limit allows, even with controls. */
const RAW_BOUND = 8 * FEEDBACK_LIMITS.commentChars;

/** The first string of a submitted value (pickers may send arrays). */
function one(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** A comment as it is stored: \r\n and \r as \n, tabs as spaces, controls removed, at most one blank line, trimmed. */
export function cleanComment(raw: string): string {
  return raw
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(CONTROL, "")
    .replace(/[ ]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Reads the reason and comment fields of a submission. */
export function readComment(
  reasonValue: string | string[] | undefined,
  commentValue: string | string[] | undefined,
): CommentInput {
  const out: CommentInput = {};
  const reason = one(reasonValue).trim();
  if (reason) {
    if ((FEEDBACK_REASONS as readonly string[]).includes(reason)) out.reason = reason as FeedbackReason;
    else out.badReason = true;
  }
  // A forged megabyte is cut before it is worked through (it is too long either way).
  const raw = one(commentValue);
  const cut = raw.length > RAW_BOUND;
  const comment = cleanComment(cut ? raw.slice(0, RAW_BOUND) : raw);
  if (comment) {
    out.comment = comment;
    if (cut || Array.from(comment).length > FEEDBACK_LIMITS.commentChars) out.tooLong = true;
  }
  return out;
}

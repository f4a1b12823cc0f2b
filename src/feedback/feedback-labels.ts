/** Labels of feedback (comment and reason after 👎; src/feedback/), prompts/de/labels-feedback.yaml. */
export const FEEDBACK_LABELS = [
  "feedback-comment-title",
  "feedback-comment-intro",
  "feedback-field-reason",
  "feedback-reason-falsch",
  "feedback-reason-veraltet",
  "feedback-reason-unvollstaendig",
  "feedback-reason-nicht-meine-frage",
  "feedback-field-comment",
  "feedback-field-comment-hint",
  "feedback-comment-submit",
  "feedback-comment-thanks",
  "feedback-comment-not-found",
  "feedback-error-comment-too-long",
  "feedback-error-reason",
] as const;

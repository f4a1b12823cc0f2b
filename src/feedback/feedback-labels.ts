/** Labels of feedback (comment and reason after 👎; src/feedback/), prompts/de/labels-feedback.yaml. */
export const FEEDBACK_LABELS = [] as const;

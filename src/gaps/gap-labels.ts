/** Labels of the gap report and its weekly digest (src/gaps/), prompts/de/labels-gaps.yaml. */
export const GAP_LABELS = [] as const;

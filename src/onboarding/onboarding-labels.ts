/** Labels of onboarding paths (src/onboarding/), prompts/de/labels-onboarding.yaml. */
export const ONBOARDING_LABELS = [] as const;

/** Labels of the onboarding report for coordinators (src/onboarding/), prompts/de/labels-onboarding-report.yaml. */
export const ONBOARDING_REPORT_LABELS = [] as const;

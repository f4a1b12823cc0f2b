/**
 * Messages that ask for onboarding: "onboarding", "einarbeitung", "onboarding starten" (also what "/lotse onboarding"
 * arrives as), with a trailing punctuation mark or "bitte" allowed; nothing longer, so a question about onboarding
 * ("Wie lange dauert das Onboarding?") is still answered from the knowledge base.
 */
const ONBOARDING =
  /^(?:onboarding|einarbeitung)(?:\s+(?:starten|beginnen|fortsetzen))?(?:\s+bitte)?\s*[.!]?$/i;

/** Whether a message asks to start or continue onboarding. */
export function isOnboardingRequest(text: string): boolean {
  return ONBOARDING.test(text.trim().replace(/\s+/g, " "));
}

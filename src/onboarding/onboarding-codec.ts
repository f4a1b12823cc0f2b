/** Action ids of onboarding (the feature owns the "onboarding." namespace); stable: tests and adapters name them. */
export const ONBOARDING_ACTIONS = {
  /** "Onboarding starten" (welcome, Home tab, channel offer) and "Fortsetzen" (nudge, Home): start or resume. */
  start: "onboarding.start",
  /** A role add-on chosen, or "Ohne Zusatzmodul". */
  role: "onboarding.role",
  /** An option of a check question. */
  answer: "onboarding.answer",
  next: "onboarding.next",
  back: "onboarding.back",
  /** "Später fortsetzen". */
  later: "onboarding.later",
  /** "Keine Erinnerungen mehr" on a nudge. */
  stopNudges: "onboarding.stop-nudges",
} as const;

/** Module ids are document ids: printable, bounded. */
const MODULE_ID = /^[a-z0-9][a-z0-9._/-]{0,199}$/;
const ROLE = /^rolle-[a-z0-9-]{1,80}$/;
const LETTER = /^[A-F]$/;
/** The value of "Ohne Zusatzmodul". */
const NO_ROLE = "-";

/** The value of "Onboarding starten" / "Fortsetzen". */
export const START_VALUE = "start";

/** The value of a role button: "r:rolle-beschaffende", or "r:-" for none. */
export function encodeRole(role: string | null): string {
  return `r:${role ?? NO_ROLE}`;
}

/** The role a value names (null: none), or undefined for a value Lotse did not write. */
export function decodeRole(value: string | undefined): string | null | undefined {
  if (!value?.startsWith("r:")) return undefined;
  const role = value.slice(2);
  if (role === NO_ROLE) return null;
  return ROLE.test(role) ? role : undefined;
}

/** The value of an option button: "a:<module id>:<letter>". */
export function encodeAnswer(moduleId: string, letter: string): string {
  return `a:${moduleId}:${letter}`;
}

/** The module and letter an option button names, or undefined for a value Lotse did not write. */
export function decodeAnswer(value: string | undefined): { module: string; letter: string } | undefined {
  if (!value?.startsWith("a:")) return undefined;
  const cut = value.lastIndexOf(":");
  const module = value.slice(2, cut);
  const letter = value.slice(cut + 1);
  return cut > 2 && MODULE_ID.test(module) && LETTER.test(letter) ? { module, letter } : undefined;
}

/** The value of "Weiter", "Zurück", "Später fortsetzen": the module the card shows, "m:<module id>". */
export function encodeModule(moduleId: string): string {
  return `m:${moduleId}`;
}

/** The module a navigation button names, or undefined for a value Lotse did not write. */
export function decodeModule(value: string | undefined): string | undefined {
  if (!value?.startsWith("m:")) return undefined;
  const module = value.slice(2);
  return MODULE_ID.test(module) ? module : undefined;
}

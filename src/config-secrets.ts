/**
 * The shapes of the secrets Lotse is configured with, and what of a bad value an error message may show: never a
 * secret or any part of it (start-up output ends up in service logs). Used by config.ts, which alone reads the env.
 */
import { z } from "zod";
import { redactUrl } from "./log.ts";

/**
 * Shortest values accepted for the secrets, each below every real value (and listed in .env.example): Slack bot
 * tokens are xoxb-<team>-<bot user>-<24 characters>, about 55 characters; app-level tokens end in 64 hex
 * characters; signing secrets are 32 hex characters; Entra ID client secrets have 40 characters today (older ones
 * fewer, none below 16).
 */
export const SECRET_MIN_LENGTH = {
  SLACK_BOT_TOKEN: 40,
  SLACK_APP_TOKEN: 50,
  SLACK_SIGNING_SECRET: 32,
  TEAMS_CLIENT_SECRET: 16,
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BOT_TOKEN_HINT = `das Bot-Token (Slack-App → OAuth & Permissions → „Bot User OAuth Token“, beginnt mit xoxb-, mindestens ${SECRET_MIN_LENGTH.SLACK_BOT_TOKEN} Zeichen)`;
const APP_TOKEN_HINT = `das App-Level-Token (Slack-App → Basic Information → App-Level Tokens, Scope connections:write, beginnt mit xapp-, mindestens ${SECRET_MIN_LENGTH.SLACK_APP_TOKEN} Zeichen)`;
const SIGNING_SECRET_HINT = `das Signing Secret (Slack-App → Basic Information → App Credentials → Signing Secret, ${SECRET_MIN_LENGTH.SLACK_SIGNING_SECRET} Hexadezimalzeichen)`;

/**
 * A secret whose shape is checked; `problem` describes a bad value without quoting any part of it (the messages
 * end up in start-up output and service logs).
 */
function secret(problem: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const message = /[\s"']/.test(value)
      ? "enthält Leerzeichen, Zeilenumbrüche oder Anführungszeichen: setzen Sie nur den Wert selbst"
      : problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });
}

export const slackBotToken = secret((v) => {
  if (v.startsWith("xoxp-")) return `sieht aus wie ein User-Token (xoxp-…): Lotse braucht ${BOT_TOKEN_HINT}`;
  if (v.startsWith("xapp-"))
    return `sieht aus wie ein App-Level-Token (xapp-…), das gehört in SLACK_APP_TOKEN; hierher gehört ${BOT_TOKEN_HINT}`;
  // With token rotation enabled Slack issues bot tokens as xoxe.xoxb-….
  if (!/^(xoxe\.)?xoxb-/.test(v)) return `erwartet ${BOT_TOKEN_HINT}`;
  if (v.length < SECRET_MIN_LENGTH.SLACK_BOT_TOKEN)
    return `ist zu kurz für ein Bot-Token, wohl unvollständig kopiert: erwartet ${BOT_TOKEN_HINT}`;
  return undefined;
});

export const slackAppToken = secret((v) => {
  if (/^(xoxe\.)?xoxb-/.test(v))
    return `sieht aus wie ein Bot-Token (xoxb-…), das gehört in SLACK_BOT_TOKEN; hierher gehört ${APP_TOKEN_HINT}`;
  if (v.startsWith("xoxp-")) return `sieht aus wie ein User-Token (xoxp-…): Lotse braucht ${APP_TOKEN_HINT}`;
  if (!v.startsWith("xapp-")) return `erwartet ${APP_TOKEN_HINT}`;
  if (v.length < SECRET_MIN_LENGTH.SLACK_APP_TOKEN)
    return `ist zu kurz für ein App-Level-Token, wohl unvollständig kopiert: erwartet ${APP_TOKEN_HINT}`;
  return undefined;
});

export const slackSigningSecret = secret((v) => {
  if (/^(xox[a-z]|xapp)[-.]/.test(v))
    return `sieht aus wie ein Slack-Token; hierher gehört ${SIGNING_SECRET_HINT}`;
  if (!/^[a-z0-9]+$/i.test(v)) return `erwartet ${SIGNING_SECRET_HINT}, nur Buchstaben und Ziffern`;
  if (v.length < SECRET_MIN_LENGTH.SLACK_SIGNING_SECRET)
    return `ist zu kurz: erwartet ${SIGNING_SECRET_HINT}; das kürzere Verification Token ist es nicht`;
  return undefined;
});

export const teamsClientSecret = secret((v) => {
  if (GUID.test(v))
    return "sieht aus wie die ID des geheimen Clientschlüssels (GUID): Lotse braucht dessen Wert (App-Registrierung → Zertifikate & Geheimnisse → Spalte „Wert“, 40 Zeichen)";
  if (v.length < SECRET_MIN_LENGTH.TEAMS_CLIENT_SECRET)
    return `ist zu kurz für einen geheimen Clientschlüssel, wohl unvollständig kopiert: erwartet dessen Wert aus der App-Registrierung (Zertifikate & Geheimnisse → Spalte „Wert“, heute 40 Zeichen, mindestens ${SECRET_MIN_LENGTH.TEAMS_CLIENT_SECRET})`;
  return undefined;
});

/** Variables whose value an error message never shows, besides anything named like a secret. */
const SECRET_VARIABLES = new Set([
  "TEAMS_CLIENT_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
]);

/**
 * A value that could be a secret pasted into the wrong variable: a long run of letters and digits (with the
 * separators secrets use) that mixes letters and digits, like client secrets, tokens and signing secrets.
 */
export function looksLikeSecret(value: string): boolean {
  return (
    value.length >= 16 && /^[A-Za-z0-9~._+/=-]+$/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value)
  );
}

/**
 * The part of a bad value an error message may quote: nothing for the Teams and Slack variables (a secret pasted
 * into TEAMS_CLIENT_ID or SLACK_API_URL must not be shown either), secrets or secret-like values; URLs with their
 * password masked; nothing for a value that carries credentials in another form (user:password@host).
 */
export function quotable(name: string, value: string): string | undefined {
  if (SECRET_VARIABLES.has(name) || /SECRET|TOKEN|PASSWORD|PASSWD|KEY/.test(name)) return undefined;
  if (/^(TEAMS|SLACK)_/.test(name)) return undefined;
  if (/\b(xox[a-z]|xapp)[-.]/i.test(value)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const shown = redactUrl(value);
    return shown === "[unparsable url]" ? undefined : shown;
  }
  if (/[^\s@]*:[^\s@]*@/.test(value)) return undefined;
  return value.split(/[\s,;=]+/).some(looksLikeSecret) ? undefined : value;
}

/** Stable error codes. Each maps to one HTTP status and one user-facing template in one place (below). */
export const ERROR_CODES = {
  CONFIG_INVALID: 500,
  DB_UNREACHABLE: 503,
  DB_LOCKED: 503,
  DB_MIGRATION_FAILED: 500,
  KNOWLEDGE_INVALID: 422,
  INGEST_FAILED: 500,
  TENANT_UNKNOWN: 403,
  TENANT_FOREIGN: 403,
  AUTH_REJECTED: 401,
  PAYLOAD_TOO_LARGE: 413,
  OUTBOUND_HOST_REFUSED: 502,
  TEAMS_AUTH_FAILED: 503,
  SHUTTING_DOWN: 503,
  KNOWLEDGE_EMPTY: 503,
  INPUT_EMPTY: 400,
  INPUT_TOO_LONG: 400,
  INPUT_NO_TEXT: 400,
  EVAL_FILE_INVALID: 422,
  NOT_READY: 503,
  REQUEST_INVALID: 400,
  TEAMS_SEND_FAILED: 502,
  /** The Bot Connector did not tell a joining member's email (onboarding progress stays per platform). */
  TEAMS_MEMBER_LOOKUP_FAILED: 502,
  SLACK_POST_FAILED: 502,
  /** users.info failed (a missing users:read(.email) scope): a join goes on without name and email. */
  SLACK_USER_LOOKUP_FAILED: 502,
  CONVERSATION_UNKNOWN: 404,
  REMINDER_NOT_FOUND: 404,
  REMINDER_FORBIDDEN: 403,
  REMINDER_IN_PAST: 400,
  SCHEDULE_UNREADABLE: 400,
  NOTIFIER_MISSING: 503,
  REPORT_PER_PERSON_DISABLED: 403,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code and the original cause preserved. */
export class LotseError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "LotseError";
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Wraps anything thrown into a LotseError, keeping the original as cause. */
export function toLotseError(err: unknown, fallback: ErrorCode = "INTERNAL"): LotseError {
  if (err instanceof LotseError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LotseError(fallback, message, { cause: err });
}

/** HTTP status for an error code. */
export function httpStatus(err: unknown): number {
  return err instanceof LotseError ? ERROR_CODES[err.code] : 500;
}

/** Name of the prompts/ template that explains this error to a user. */
export function userTemplateFor(code: ErrorCode): string {
  switch (code) {
    case "INPUT_EMPTY":
      return "error-input-empty";
    case "INPUT_TOO_LONG":
      return "error-input-too-long";
    case "INPUT_NO_TEXT":
      return "error-input-no-text";
    case "TENANT_UNKNOWN":
    case "TENANT_FOREIGN":
      return "error-tenant-unknown";
    default:
      return "error-internal";
  }
}

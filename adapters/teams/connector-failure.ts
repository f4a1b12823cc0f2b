/**
 * How the Bot Connector said no: the status, error code and Retry-After of a failed call, and what they mean for a
 * proactive message (gone, rate-limited, or a failure).
 */

/** Wait after a 429 without Retry-After (Teams often sends none). */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * Error codes of the Bot Connector that mean the conversation is gone for Lotse: removed from the team or chat,
 * blocked by the user, the conversation deleted. Any 404 counts too; another 403 (a token or permission fault of
 * Lotse's own) throws like every other failure.
 */
const GONE_CODES = new Set([
  "BotNotInConversationRoster",
  "ConversationBlockedByUser",
  "ConversationNotFound",
]);

export type Failure = {
  status: number | undefined;
  code: string | undefined;
  retryAfter: string | undefined;
};

/** The connector's status, error code and Retry-After of a failed call (the SDK's HttpError carries the response). */
export function failureOf(err: unknown): Failure {
  const e = err as {
    status?: number;
    response?: { status?: number; data?: { error?: { code?: unknown } }; headers?: unknown };
  };
  const status = e.status ?? e.response?.status;
  const code = e.response?.data?.error?.code;
  const headers = e.response?.headers as { get?: (name: string) => string | null } | undefined;
  const retryAfter = typeof headers?.get === "function" ? headers.get("retry-after") : undefined;
  return { status, code: typeof code === "string" ? code : undefined, retryAfter: retryAfter ?? undefined };
}

export function isGone({ status, code }: Failure): boolean {
  return status === 404 || (status === 403 && code !== undefined && GONE_CODES.has(code));
}

/** Retry-After (seconds or an HTTP date) in milliseconds; DEFAULT_RETRY_AFTER_MS when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: Date): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : DEFAULT_RETRY_AFTER_MS;
}

import type { Context } from "@slack/bolt";

const KEY = "workSignal";

/** Puts the tracked work's abort signal into Bolt's context, which Bolt hands every listener by reference. */
export function setWorkSignal(context: Context, signal: AbortSignal): void {
  context[KEY] = signal;
}

/** The abort signal of the work a listener runs in; one that never aborts where no work was tracked. */
export function workSignalOf(context: Context): AbortSignal {
  const signal: unknown = context[KEY];
  return signal instanceof AbortSignal ? signal : new AbortController().signal;
}

export const ABORTED = Symbol("aborted");

/**
 * The promise's value, or ABORTED as soon as the signal aborts: aborted work has only ABORT_GRACE_MS for its notice,
 * so a router still composing is not waited for (its late answer is dropped).
 */
export async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  const { promise: aborted, resolve } = Promise.withResolvers<typeof ABORTED>();
  const onAbort = () => resolve(ABORTED);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  try {
    // race() also subscribes to a work that later fails, so its rejection is never left unhandled.
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

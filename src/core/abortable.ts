export const ABORTED = Symbol("aborted");

/**
 * The promise's value, or ABORTED as soon as the signal aborts: aborted work has only ABORT_GRACE_MS for its notice,
 * so a feature still composing is not waited for (its late result is dropped).
 */
export async function unlessAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T | typeof ABORTED> {
  if (!signal) return work;
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

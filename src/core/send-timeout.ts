/**
 * Default bound of one proactive send. The scheduler's lease on a job is 120 s: a send still hanging when it ends
 * would let another replica run the job too, so a send gives up well before and the scheduler retries.
 */
export const SEND_TIMEOUT_MS = 30_000;

/**
 * The work's result, or the error of `onTimeout` once `ms` passed without one. The work itself is not cancelled (the
 * SDK takes no abort signal): a late answer is dropped, and the retry may post a second time — rarer than a job
 * that hangs until its lease ends and runs twice anyway.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

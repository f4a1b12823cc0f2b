/** Resolves once a log line matches (or fails after timeoutMs): waits for an event, not for a time. */
export async function waitForLog(
  logs: Record<string, unknown>[],
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 5000,
): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const line = logs.find(match);
    if (line) return line;
    if (Date.now() > until) throw new Error("expected log line did not appear");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves once n log lines match (or fails after timeoutMs). */
export async function waitForLogs(
  logs: Record<string, unknown>[],
  match: (line: Record<string, unknown>) => boolean,
  n: number,
  timeoutMs = 5000,
): Promise<Record<string, unknown>[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const lines = logs.filter(match);
    if (lines.length >= n) return lines;
    if (Date.now() > until) throw new Error(`expected ${n} log lines, saw ${lines.length}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

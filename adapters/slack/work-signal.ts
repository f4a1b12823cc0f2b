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

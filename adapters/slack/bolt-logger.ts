import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../src/log.ts";

/** Bolt's and the Web API's log lines go into Lotse's JSON log (no tokens: Bolt does not log them). */
export function boltLogger(log: Logger, logMessages: boolean): BoltLogger {
  const child = log.child({ component: "slack" });
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    // Bolt's and the Web API's debug lines carry request bodies (questions, answers): only where an operator enabled
    // message text in logs (LOTSE_LOG_MESSAGES).
    debug: (...msg: unknown[]) => {
      if (logMessages) child.debug(text(msg));
    },
    info: (...msg: unknown[]) => child.info(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

import { describe, expect, it } from "vitest";
import { boltLogger } from "../../../adapters/slack/bolt-logger.ts";
import { createLogger } from "../../../src/log.ts";

describe("Bolt's log lines in Lotse's log", () => {
  it("drops debug lines (they carry request bodies) unless message text in logs is enabled", () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger("debug", { write: (s: string) => lines.push(JSON.parse(s)) } as never);
    boltLogger(log, false).debug("http request body", { text: "Darf ich fliegen?" });
    boltLogger(log, false).warn("rate limited");
    boltLogger(log, true).debug("http request body", { text: "mit Erlaubnis" });
    expect(lines.map((l) => l.msg)).toEqual(["rate limited", 'http request body {"text":"mit Erlaubnis"}']);
  });
});

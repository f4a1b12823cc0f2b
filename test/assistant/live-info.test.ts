import { describe, expect, it } from "vitest";
import { asksForLiveInformation } from "../../src/assistant/live-info.ts";

describe("asksForLiveInformation", () => {
  it("recognises questions about the day's operations", () => {
    for (const q of [
      "Was gibt es heute in der Kantine zu essen?",
      "Ist der Aufzug im Rathaus gerade kaputt?",
      "Hat die Poststelle morgen geöffnet?",
    ])
      expect(asksForLiveInformation(q), q).toBe(true);
  });

  it("leaves questions about rules, duties and goals that apply now to the knowledge base", () => {
    for (const q of [
      "Welche Quote gilt heute für saubere Fahrzeuge?",
      "die stadtwerke – müssen die jetzt auch so nen nachhaltigkeitsreport machen?",
      "Welche Ziele hat Musterstadt beim Strom?",
      "Bis wann muss die Wärmeplanung fertig sein?",
    ])
      expect(asksForLiveInformation(q), q).toBe(false);
  });
});

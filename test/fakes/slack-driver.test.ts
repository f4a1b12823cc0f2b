import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Inbound } from "../../src/core/inbound.ts";
import type { Form } from "../../src/core/replies.ts";
import { type SlackScenarioDriver, startSlackDriver } from "./slack-driver.ts";

const form: Form = {
  id: "reminder.create",
  title: "Erinnerung anlegen",
  submitLabel: "Weiter",
  fields: [
    { id: "text", label: "Woran?", type: "longtext", required: true },
    { id: "date", label: "Wann?", type: "date" },
    { id: "time", label: "Uhrzeit", type: "time" },
    {
      id: "repeat",
      label: "Wiederholen",
      type: "select",
      options: [
        { label: "Einmal", value: "once" },
        { label: "Jährlich", value: "yearly" },
      ],
    },
    { id: "target", label: "Wo?", type: "conversation", defaultToCurrent: true },
    { id: "who", label: "Wer?", type: "user" },
  ],
};

describe("the Slack scenario driver's /lotse and modals", () => {
  let driver: SlackScenarioDriver;
  beforeAll(async () => {
    driver = await startSlackDriver();
  });
  afterAll(() => driver.stop());

  it("types /lotse, records the modal it opens, and submits it with values Slack's way", async () => {
    const seen: Inbound[] = [];
    const spy = vi.spyOn(driver.rt.core, "handle").mockImplementation(async (inbound) => {
      seen.push(inbound);
      if (inbound.kind === "message") return { replies: [{ kind: "form", form }] };
      if (seen.length === 2)
        return { replies: [{ kind: "form", form: { ...form, errors: { date: "Bitte ein Datum." } } }] };
      return {
        replies: [
          {
            kind: "card",
            private: true,
            card: {
              sections: [{ text: "Gespeichert." }],
              buttons: [
                { label: "Pausieren", actionId: "reminder.pause", value: "r1" },
                { label: "Pausieren", actionId: "reminder.pause", value: "r2" },
              ],
            },
          },
        ],
      };
    });
    try {
      driver.begin();
      await driver.command("erinnerung morgen um 9 Uhr: Bericht");
      expect(seen[0]).toMatchObject({
        kind: "message",
        text: "erinnerung morgen um 9 Uhr: Bericht",
        private: true,
      });
      const modal = driver.modals.at(-1);
      expect(modal?.callbackId).toBe("reminder.create");
      expect(modal?.fields.map((f) => f.type)).toEqual([
        "plain_text_input",
        "datepicker",
        "timepicker",
        "static_select",
        "conversations_select",
        "users_select",
      ]);
      if (!modal) throw new Error("no modal");
      const values = {
        text: "Bericht",
        date: "2026-03-31",
        time: "09:00",
        repeat: "yearly",
        target: "C0BERICHT1",
      };
      const wrong = await driver.submit(modal, { ...values, date: undefined });
      expect(wrong.ack).toEqual({ response_action: "errors", errors: { date: "Bitte ein Datum." } });
      const done = await driver.submit(modal, values);
      expect(done.ack).toEqual({});
      expect(seen[2]).toMatchObject({
        kind: "submit",
        formId: "reminder.create",
        values: { ...values, who: undefined },
      });
      expect(done.replies).toHaveLength(1);
      expect(done.replies[0]?.private).toBe(true);
      // Both buttons keep the core's id; Slack got them unique in their block.
      expect(done.replies[0]?.buttons.map((b) => b.actionId)).toEqual(["reminder.pause", "reminder.pause"]);
      expect(done.replies[0]?.overLimits).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

import { describe, expect, it } from "vitest";
import { reminderIntent } from "../../src/reminders/reminder-intents.ts";

describe("reminderIntent", () => {
  it.each([
    ["erinnerung", { kind: "create", text: "" }],
    ["Erinnerung", { kind: "create", text: "" }],
    [
      "erinnerung jeden ersten Montag im Monat um 9 Uhr: Indikatoren melden",
      { kind: "create", text: "jeden ersten Montag im Monat um 9 Uhr: Indikatoren melden" },
    ],
    [
      "Erinnerung: morgen um 14 Uhr Bericht abgeben",
      { kind: "create", text: "morgen um 14 Uhr Bericht abgeben" },
    ],
    ["erinnere mich morgen um 9 an den Bericht", { kind: "create", text: "morgen um 9 an den Bericht" }],
    ["Erinnere uns jeden Freitag", { kind: "create", text: "jeden Freitag" }],
    ["erinner mich in 3 Tagen", { kind: "create", text: "in 3 Tagen" }],
    ["Neue Erinnerung am 31.3. um 10 Uhr", { kind: "create", text: "am 31.3. um 10 Uhr" }],
    ["  ERINNERUNG   jährlich  am 30.9. ", { kind: "create", text: "jährlich am 30.9." }],
    ["erinnerungen", { kind: "list" }],
    ["Erinnerungen!", { kind: "list" }],
    ["meine Erinnerungen", { kind: "list" }],
    ["Erinnerungen anzeigen", { kind: "list" }],
    ["fristen abonnieren", { kind: "subscribe" }],
    ["Fristen abonnieren.", { kind: "subscribe" }],
    ["Fristen abbestellen", { kind: "unsubscribe" }],
  ])("%j → %j", (text, intent) => {
    expect(reminderIntent(text)).toEqual(intent);
  });

  it.each([
    "Wie lege ich eine Erinnerung an?",
    "Kann Lotse mich an die Frist erinnern?",
    "Erinnerungsfunktion in Teams?",
    "Erinnerungen an Fristen für den Nachhaltigkeitsbericht",
    "Welche Fristen gelten für den Bericht?",
    "fristen",
    "Fristen abonnieren – wie geht das?",
    "hilfe",
    "",
  ])("%j is not the reminders' business", (text) => {
    expect(reminderIntent(text)).toBeUndefined();
  });
});

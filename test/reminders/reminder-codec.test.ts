import { describe, expect, it } from "vitest";
import {
  decodeDeadlineRef,
  decodeFormRequest,
  decodeFormState,
  decodeReminderRef,
  encodeDeadlineRef,
  encodeFormRequest,
  encodeFormState,
  encodeReminderRef,
} from "../../src/reminders/reminder-codec.ts";

describe("reminder codec", () => {
  it("round-trips reminder ids and refuses values it did not write", () => {
    expect(decodeReminderRef(encodeReminderRef("42"))).toBe("42");
    for (const forged of [
      "42",
      "r:",
      "r:0",
      "r:-1",
      "r:42 OR 1=1",
      "r:1234567890123456789",
      "d:42",
      undefined,
    ])
      expect(decodeReminderRef(forged)).toBeUndefined();
  });

  it("round-trips deadline document ids and refuses others", () => {
    expect(decodeDeadlineRef(encodeDeadlineRef("musterstadt/fristen/indikatoren"))).toBe(
      "musterstadt/fristen/indikatoren",
    );
    for (const forged of ["d:", "d:a b", `d:${"x".repeat(201)}`, "r:1", "musterstadt/fristen"])
      expect(decodeDeadlineRef(forged)).toBeUndefined();
  });

  it("carries a message's free text to the form, bounded, and refuses other values", () => {
    expect(decodeFormRequest(encodeFormRequest("jeden Freitag um 9 Uhr: Wochenbericht"))).toBe(
      "jeden Freitag um 9 Uhr: Wochenbericht",
    );
    expect(decodeFormRequest(encodeFormRequest(""))).toBe("");
    expect(encodeFormRequest("x".repeat(5000)).length).toBeLessThanOrEqual(2000);
    for (const forged of ["r:1", "jeden Freitag", `f:${"x".repeat(1600)}`, undefined])
      expect(decodeFormRequest(forged)).toBeUndefined();
  });

  it("round-trips the form state with a Teams channel id and refuses malformed state", () => {
    const state = {
      origin: "19:4f7c2a1be0d94e7f8b5c3a2d1e0f9a8b@thread.tacv2",
      originKind: "channel" as const,
      source: "deadline:musterstadt/fristen/indikatoren",
      replaces: "7",
    };
    expect(decodeFormState(encodeFormState(state))).toEqual(state);
    expect(
      decodeFormState(encodeFormState({ origin: "D0123ABCD", originKind: "personal", source: "chat" })),
    ).toEqual({
      origin: "D0123ABCD",
      originKind: "personal",
      source: "chat",
    });
    for (const forged of [
      "",
      "not json",
      JSON.stringify({ o: "C0123ABCD", k: "channel", s: "cli" }),
      JSON.stringify({ o: "C0123ABCD", k: "room", s: "chat" }),
      JSON.stringify({ o: "C0123ABCD", k: "channel", s: "chat", r: "x" }),
      JSON.stringify({ o: "x".repeat(3000), k: "channel", s: "chat" }),
    ])
      expect(decodeFormState(forged)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { modalErrors, renderModal } from "../../../adapters/slack/render-form.ts";
import { parseModalMetadata } from "../../../adapters/slack/to-inbound.ts";
import type { Form } from "../../../src/core/replies.ts";

const form: Form = {
  id: "reminder.create",
  title: "Erinnerung anlegen für die ganze Verwaltung",
  intro: "Lotse erinnert Sie & Ihr Team.",
  submitLabel: "Anlegen",
  state: "rem:42",
  fields: [
    {
      id: "title",
      label: "Worum geht es?",
      type: "text",
      required: true,
      maxLength: 200,
      placeholder: "z. B. Bericht",
    },
    { id: "details", label: "Einzelheiten", type: "longtext", initial: "Indikatoren" },
    { id: "date", label: "Wann?", type: "date", required: true, initial: "2026-03-31" },
    { id: "time", label: "Uhrzeit", type: "time", initial: "09:30", hint: "Ortszeit" },
    {
      id: "repeat",
      label: "Wiederholen",
      type: "select",
      required: true,
      options: [
        { label: "Einmal", value: "once" },
        { label: "Monatlich", value: "monthly" },
      ],
      initial: "monthly",
    },
    { id: "channel", label: "Wo?", type: "conversation", defaultToCurrent: true },
    { id: "owner", label: "Wer?", type: "user", initial: "U0MAX00001" },
  ],
};

describe("a form as a Slack modal", () => {
  it("renders every field type as its input element, required ones not optional, with initial values", () => {
    const view = renderModal(form, { channel: "C0NACHHALT", threadTs: "1764064800.000100" });
    expect(view).toMatchObject({
      type: "modal",
      callback_id: "reminder.create",
      title: { type: "plain_text", text: "Erinnerung anlegen für …" },
      submit: { type: "plain_text", text: "Anlegen" },
    });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(parseModalMetadata(view.private_metadata)).toEqual({
      state: "rem:42",
      channel: "C0NACHHALT",
      threadTs: "1764064800.000100",
    });
    expect(view.blocks[0]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: "Lotse erinnert Sie &amp; Ihr Team." },
    });
    const inputs = view.blocks.slice(1) as {
      block_id: string;
      optional: boolean;
      element: Record<string, unknown>;
    }[];
    expect(inputs.map((b) => [b.block_id, b.optional, b.element.type])).toEqual([
      ["title", false, "plain_text_input"],
      ["details", true, "plain_text_input"],
      ["date", false, "datepicker"],
      ["time", true, "timepicker"],
      ["repeat", false, "static_select"],
      ["channel", true, "conversations_select"],
      ["owner", true, "users_select"],
    ]);
    expect(inputs[0]?.element).toMatchObject({
      action_id: "title",
      max_length: 200,
      placeholder: { text: "z. B. Bericht" },
    });
    expect(inputs[1]?.element).toMatchObject({ multiline: true, initial_value: "Indikatoren" });
    expect(inputs[2]?.element).toMatchObject({ initial_date: "2026-03-31" });
    expect(inputs[3]).toMatchObject({ element: { initial_time: "09:30" }, hint: { text: "Ortszeit" } });
    expect(inputs[4]?.element).toMatchObject({
      options: [
        { text: { text: "Einmal" }, value: "once" },
        { text: { text: "Monatlich" }, value: "monthly" },
      ],
      initial_option: { text: { text: "Monatlich" }, value: "monthly" },
    });
    expect(inputs[5]?.element).toMatchObject({ default_to_current_conversation: true });
    expect(inputs[6]?.element).toMatchObject({ initial_user: "U0MAX00001" });
  });

  it("shows errors under their fields when opened, and as Slack's field errors when re-submitted", () => {
    const wrong: Form = { ...form, errors: { date: "Das Datum liegt in der Vergangenheit.", nope: "x" } };
    const view = renderModal(wrong);
    const at = view.blocks.findIndex((b) => b.block_id === "date");
    expect(view.blocks[at + 1]).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "⚠️ Das Datum liegt in der Vergangenheit." }],
    });
    expect(modalErrors(wrong)).toEqual({ date: "Das Datum liegt in der Vergangenheit." });
    expect(modalErrors(form)).toBeUndefined();
  });

  it("drops malformed initial dates and times instead of letting Slack refuse the view", () => {
    const view = renderModal({
      ...form,
      fields: [
        { id: "d", label: "D", type: "date", initial: "31.03.2026" },
        { id: "t", label: "T", type: "time", initial: "9 Uhr" },
      ],
    });
    const els = view.blocks.slice(1).map((b) => b.element as Record<string, unknown>);
    expect(els).toEqual([
      { type: "datepicker", action_id: "d" },
      { type: "timepicker", action_id: "t" },
    ]);
  });
});

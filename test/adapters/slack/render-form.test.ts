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
    expect(inputs[5]?.element).toEqual({
      type: "conversations_select",
      action_id: "channel",
      default_to_current_conversation: true,
      filter: { include: ["public", "private"], exclude_bot_users: true },
    });
    expect(inputs[6]?.element).toEqual({
      type: "users_select",
      action_id: "owner",
      initial_user: "U0MAX00001",
    });
    // Every input block and its element are named after the field: the submission reads back by field id.
    for (const [i, field] of form.fields.entries()) {
      expect(inputs[i]?.block_id).toBe(field.id);
      expect(inputs[i]?.element.action_id).toBe(field.id);
    }
  });

  it("renders each field type alone exactly: text, longtext, date, time, select, conversation, user", () => {
    const only = (field: Form["fields"][number]) =>
      renderModal({ id: "reminder.create", title: "T", submitLabel: "OK", fields: [field] }).blocks[0];
    expect(only({ id: "text", label: "Text", type: "text", required: true, initial: "Bericht" })).toEqual({
      type: "input",
      block_id: "text",
      label: { type: "plain_text", text: "Text", emoji: true },
      optional: false,
      element: { type: "plain_text_input", action_id: "text", initial_value: "Bericht" },
    });
    expect(only({ id: "body", label: "Langtext", type: "longtext", hint: "Markdown geht nicht." })).toEqual({
      type: "input",
      block_id: "body",
      label: { type: "plain_text", text: "Langtext", emoji: true },
      optional: true,
      element: { type: "plain_text_input", action_id: "body", multiline: true },
      hint: { type: "plain_text", text: "Markdown geht nicht.", emoji: true },
    });
    expect(only({ id: "d", label: "Datum", type: "date", initial: "2026-09-30" })?.element).toEqual({
      type: "datepicker",
      action_id: "d",
      initial_date: "2026-09-30",
    });
    expect(only({ id: "t", label: "Zeit", type: "time", initial: "14:00" })?.element).toEqual({
      type: "timepicker",
      action_id: "t",
      initial_time: "14:00",
    });
    expect(
      only({
        id: "s",
        label: "Wiederholung",
        type: "select",
        options: [
          { label: "Wöchentlich", value: "weekly" },
          { label: "Jährlich", value: "yearly" },
        ],
      })?.element,
    ).toEqual({
      type: "static_select",
      action_id: "s",
      options: [
        { text: { type: "plain_text", text: "Wöchentlich", emoji: true }, value: "weekly" },
        { text: { type: "plain_text", text: "Jährlich", emoji: true }, value: "yearly" },
      ],
    });
    expect(only({ id: "c", label: "Kanal", type: "conversation", initial: "C0NACHHALT" })?.element).toEqual({
      type: "conversations_select",
      action_id: "c",
      initial_conversation: "C0NACHHALT",
      filter: { include: ["public", "private"], exclude_bot_users: true },
    });
    expect(only({ id: "u", label: "Person", type: "user" })?.element).toEqual({
      type: "users_select",
      action_id: "u",
    });
  });

  it("keeps an initial text within the field's maximum and leaves out picker ids Slack would refuse", () => {
    const view = renderModal({
      ...form,
      fields: [
        { id: "t", label: "T", type: "text", initial: "Indikatoren melden", maxLength: 10 },
        { id: "c", label: "C", type: "conversation", initial: "#nachhaltigkeit", defaultToCurrent: true },
        { id: "u", label: "U", type: "user", initial: "erika" },
      ],
    });
    const els = view.blocks.slice(1).map((b) => b.element as Record<string, unknown>);
    expect(els[0]).toMatchObject({ initial_value: "Indikatore", max_length: 10 });
    expect(String(els[0]?.initial_value).length).toBeLessThanOrEqual(10);
    expect(els[1]).not.toHaveProperty("initial_conversation");
    expect(els[1]).toMatchObject({ default_to_current_conversation: true });
    expect(els[2]).toEqual({ type: "users_select", action_id: "u" });
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

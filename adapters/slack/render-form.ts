import type { Form, FormField } from "../../src/core/replies.ts";
import {
  type Block,
  contextLine,
  documentMrkdwn,
  LIMITS,
  plainText,
  sections,
  textMrkdwn,
  truncate,
} from "./render-blocks.ts";
import { type ModalMetadata, modalMetadata } from "./to-inbound.ts";

/** A modal as views.open, views.update and a view_submission's response_action "update" take it. */
export interface ModalView {
  type: "modal";
  callback_id: string;
  title: ReturnType<typeof plainText>;
  submit: ReturnType<typeof plainText>;
  private_metadata: string;
  blocks: Block[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Slack refuses a whole view for an initial value that is no id of its kind: such a value is left out. */
const CONVERSATION = /^[CGD][A-Z0-9]{2,}$/;
const USER = /^[UW][A-Z0-9]{2,}$/;

/**
 * What a conversation picker offers: channels, public and private (a reminder's target), no DMs with bots. Slack
 * lists only conversations the user is in.
 */
export const CONVERSATION_FILTER = { include: ["public", "private"], exclude_bot_users: true };

/** The input element of a field: action_id is the field id too, so a submission reads back by field id. */
function element(field: FormField): Block {
  const id = { action_id: field.id };
  switch (field.type) {
    case "text":
    case "longtext": {
      const max = Math.min(field.maxLength ?? LIMITS.initialValue, LIMITS.initialValue);
      return {
        type: "plain_text_input",
        ...id,
        ...(field.type === "longtext" ? { multiline: true } : {}),
        // Slack refuses an initial value longer than the field allows.
        ...(field.initial ? { initial_value: field.initial.slice(0, max) } : {}),
        ...(field.maxLength ? { max_length: max } : {}),
        ...(field.placeholder ? { placeholder: plainText(field.placeholder, LIMITS.placeholder) } : {}),
      };
    }
    case "date":
      return {
        type: "datepicker",
        ...id,
        ...(field.initial && DATE.test(field.initial) ? { initial_date: field.initial } : {}),
      };
    case "time":
      return {
        type: "timepicker",
        ...id,
        ...(field.initial && TIME.test(field.initial) ? { initial_time: field.initial } : {}),
      };
    case "select": {
      const options = field.options.slice(0, LIMITS.options).map((o) => ({
        text: plainText(o.label, LIMITS.optionText),
        value: o.value.slice(0, LIMITS.optionValue),
      }));
      const initial = options.find((o) => o.value === field.initial);
      return { type: "static_select", ...id, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case "conversation":
      return {
        type: "conversations_select",
        ...id,
        // Where both are given Slack preselects the current conversation, else the initial one.
        ...(field.initial && CONVERSATION.test(field.initial) ? { initial_conversation: field.initial } : {}),
        ...(field.defaultToCurrent ? { default_to_current_conversation: true } : {}),
        filter: CONVERSATION_FILTER,
      };
    case "user":
      return {
        type: "users_select",
        ...id,
        ...(field.initial && USER.test(field.initial) ? { initial_user: field.initial } : {}),
      };
  }
}

/** An input block per field, named after the field (block_id), with its error below it when there is one. */
function inputBlocks(field: FormField, error: string | undefined): Block[] {
  const input: Block = {
    type: "input",
    block_id: field.id,
    label: plainText(field.label, LIMITS.inputLabel),
    optional: field.required !== true,
    element: element(field),
    ...(field.hint ? { hint: plainText(field.hint, LIMITS.inputHint) } : {}),
  };
  // A form opened anew shows its errors here; a re-submitted one gets them at the field (response_action "errors").
  return error ? [input, contextLine(`⚠️ ${documentMrkdwn(error)}`)] : [input];
}

/**
 * A form as a Slack modal: its title, intro and fields (plain_text_input, multiline, datepicker, timepicker,
 * static_select, conversations_select, users_select), required fields not optional, initial values, errors; the
 * form id as callback_id and its state (with where it was opened) in private_metadata.
 */
export function renderModal(form: Form, where: Omit<ModalMetadata, "state"> = {}): ModalView {
  const blocks: Block[] = [];
  if (form.intro) blocks.push(...sections(textMrkdwn(form.intro)));
  for (const field of form.fields) blocks.push(...inputBlocks(field, form.errors?.[field.id]));
  const metadata = modalMetadata({ ...where, ...(form.state ? { state: form.state } : {}) });
  if (metadata.length > LIMITS.privateMetadata)
    throw new Error(`form ${form.id}: state over ${LIMITS.privateMetadata} characters`);
  return {
    type: "modal",
    callback_id: form.id,
    title: plainText(form.title, LIMITS.modalTitle),
    submit: plainText(form.submitLabel, LIMITS.modalButton),
    private_metadata: metadata,
    blocks: blocks.slice(0, LIMITS.modalBlocks),
  };
}

/** A re-submitted form's errors as Slack shows them at the fields: by block_id (the field id). */
export function modalErrors(form: Form): Record<string, string> | undefined {
  const errors = Object.entries(form.errors ?? {}).filter(([id]) => form.fields.some((f) => f.id === id));
  if (errors.length === 0) return undefined;
  return Object.fromEntries(errors.map(([id, text]) => [id, truncate(text, LIMITS.inputHint)]));
}

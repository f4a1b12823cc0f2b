import type { Form, FormField } from "../../src/core/replies.ts";
import {
  type AdaptiveCard,
  adaptiveCard,
  type Element,
  escapeCardText,
  MAX_BUTTON_TITLE,
  paragraphs,
  textBlock,
  truncate,
} from "./render-card.ts";

/**
 * A form as an Adaptive Card 1.5, and the convention its submission comes back in.
 *
 * Submit convention: the form's only action is an `Action.Execute` with `verb` = the form id and
 * `data: { formId, state? }` (`state` = Form.state, written by the owning feature's codec). Teams merges every
 * Input.* value into that data under the input's id, which is the field id; to-inbound.ts reads `formId` and `state`
 * back and every other string (or string array) as a field value. So "formId" and "state" are reserved and no field
 * may be called so (the renderer refuses such a form).
 *
 * Fields: text → Input.Text, long text → Input.Text with isMultiline, date → Input.Date (YYYY-MM-DD), time →
 * Input.Time (HH:MM), select → Input.ChoiceSet (compact), user picker → Input.ChoiceSet with the Teams people search
 * (`choices.data` of type Data.Query on the dataset "graph.microsoft.com/users"; the value is the person's Entra
 * object id). Teams has no conversation picker in cards: a conversation field is an Input.Text for the link or id of
 * a channel or chat (the hint as placeholder), prefilled with the initial value. Required fields carry isRequired
 * and, when the reply has a validation error for them, that error as errorMessage and as red text under the field.
 */

/** Keys of Action.Execute's data that carry the form, not a field. */
export const FORM_DATA_KEYS = { formId: "formId", state: "state" } as const;
const RESERVED = new Set<string>(Object.values(FORM_DATA_KEYS));

/** Teams' people search in Input.ChoiceSet: users of the organisation. */
export const USERS_DATASET = "graph.microsoft.com/users";

function input(field: FormField, error: string | undefined): Element {
  const common: Element = {
    id: field.id,
    label: escapeCardText(field.label),
    ...(field.required ? { isRequired: true } : {}),
    ...(error ? { errorMessage: error } : {}),
  };
  switch (field.type) {
    case "text":
    case "longtext":
      return {
        type: "Input.Text",
        ...common,
        ...(field.type === "longtext" ? { isMultiline: true } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(field.initial !== undefined ? { value: field.initial } : {}),
      };
    case "date":
      return { type: "Input.Date", ...common, ...(field.initial ? { value: field.initial } : {}) };
    case "time":
      return { type: "Input.Time", ...common, ...(field.initial ? { value: field.initial } : {}) };
    case "select":
      return {
        type: "Input.ChoiceSet",
        ...common,
        style: "compact",
        choices: field.options.map((o) => ({ title: o.label, value: o.value })),
        ...(field.initial !== undefined ? { value: field.initial } : {}),
      };
    case "user":
      return {
        type: "Input.ChoiceSet",
        ...common,
        choices: [],
        "choices.data": { type: "Data.Query", dataset: USERS_DATASET },
        ...(field.initial ? { value: field.initial } : {}),
      };
    case "conversation":
      return {
        type: "Input.Text",
        ...common,
        ...(field.hint ? { placeholder: field.hint } : {}),
        ...(field.initial ? { value: field.initial } : {}),
      };
  }
}

/** A form: title, intro, one input per field (hint and validation error under it), the submit as Action.Execute. */
export function renderForm(form: Form): AdaptiveCard {
  const reserved = form.fields.find((f) => RESERVED.has(f.id));
  if (reserved)
    throw new Error(`form ${form.id}: field id "${reserved.id}" is reserved for the submit's data on Teams`);
  const body: Element[] = [textBlock(escapeCardText(form.title), { size: "Large", weight: "Bolder" })];
  if (form.intro) body.push(textBlock(paragraphs(form.intro)));
  for (const field of form.fields) {
    const error = form.errors?.[field.id];
    body.push(input(field, error));
    if (field.hint && field.type !== "conversation")
      body.push(textBlock(escapeCardText(field.hint), { isSubtle: true, size: "Small", spacing: "None" }));
    if (error)
      body.push(textBlock(escapeCardText(error), { color: "Attention", size: "Small", spacing: "None" }));
  }
  return adaptiveCard(body, [
    {
      type: "Action.Execute",
      title: truncate(form.submitLabel, MAX_BUTTON_TITLE),
      verb: form.id,
      style: "positive",
      associatedInputs: "auto",
      data: {
        [FORM_DATA_KEYS.formId]: form.id,
        ...(form.state ? { [FORM_DATA_KEYS.state]: form.state } : {}),
      },
    },
  ]);
}

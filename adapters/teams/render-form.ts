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
 * `data: { formId, state?, conversationFields? }` (`state` = Form.state, written by the owning feature's codec;
 * `conversationFields` = the ids of the form's conversation fields). Teams merges every Input.* value into that data
 * under the input's id, which is the field id; to-inbound.ts reads `formId` and `state` back, every other string (or
 * string array) as a field value, and gives each field named in `conversationFields` the id of the conversation the
 * card was submitted in. So these keys are reserved and no field may be called so (the renderer refuses such a form).
 *
 * Fields: text → Input.Text, long text → Input.Text with isMultiline, date → Input.Date (YYYY-MM-DD), time →
 * Input.Time (HH:MM), select → Input.ChoiceSet (compact), user picker → Input.ChoiceSet with the Teams people search
 * (`choices.data` of type Data.Query on the dataset "graph.microsoft.com/users"; the value is the person's Entra
 * object id, the id to-inbound gives users). Teams has no conversation picker in cards, and a typed channel link would
 * be an id Lotse cannot check: a conversation field is not shown, its value is the current conversation (a feature
 * that needs another target offers it as a select). Required fields carry isRequired and an errorMessage (Teams
 * checks them before it sends the invoke); a validation error of the reply is that errorMessage and red text under
 * the field (for a conversation field, under the last input).
 */

/** Keys of Action.Execute's data that carry the form, not a field. */
export const FORM_DATA_KEYS = {
  formId: "formId",
  state: "state",
  conversationFields: "conversationFields",
} as const;
const RESERVED = new Set<string>(Object.values(FORM_DATA_KEYS));

/** Teams' people search in Input.ChoiceSet: users of the organisation. */
export const USERS_DATASET = "graph.microsoft.com/users";

/**
 * Teams' client-side message for an empty required field. The core's form has no wording for it (its own check
 * happens after the submission), so the adapter names the field in the one sentence it needs.
 */
export function requiredMessage(label: string): string {
  return `Bitte füllen Sie „${label}“ aus.`;
}

type ShownField = Exclude<FormField, { type: "conversation" }>;

function input(field: ShownField, error: string | undefined): Element {
  const errorMessage = error ?? (field.required ? requiredMessage(field.label) : undefined);
  const common: Element = {
    id: field.id,
    label: escapeCardText(field.label),
    ...(field.required ? { isRequired: true } : {}),
    ...(errorMessage ? { errorMessage } : {}),
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
  }
}

const isShown = (field: FormField): field is ShownField => field.type !== "conversation";

/** A form: title, intro, one input per field (hint and validation error under it), the submit as Action.Execute. */
export function renderForm(form: Form): AdaptiveCard {
  const reserved = form.fields.find((f) => RESERVED.has(f.id));
  if (reserved)
    throw new Error(`form ${form.id}: field id "${reserved.id}" is reserved for the submit's data on Teams`);
  const body: Element[] = [textBlock(escapeCardText(form.title), { size: "Large", weight: "Bolder" })];
  if (form.intro) body.push(textBlock(paragraphs(form.intro)));
  const errorText = (error: string) =>
    textBlock(escapeCardText(error), { color: "Attention", size: "Small", spacing: "None" });
  for (const field of form.fields.filter(isShown)) {
    const error = form.errors?.[field.id];
    body.push(input(field, error));
    if (field.hint)
      body.push(textBlock(escapeCardText(field.hint), { isSubtle: true, size: "Small", spacing: "None" }));
    if (error) body.push(errorText(error));
  }
  const conversationFields = form.fields.filter((f) => !isShown(f)).map((f) => f.id);
  // Not shown, so their errors (rare: the current conversation is refused) stand under the last input.
  for (const id of conversationFields) {
    const error = form.errors?.[id];
    if (error) body.push(errorText(error));
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
        ...(conversationFields.length ? { [FORM_DATA_KEYS.conversationFields]: conversationFields } : {}),
      },
    },
  ]);
}

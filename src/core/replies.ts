import type { Answer, AnswerContact, Citation } from "../assistant/answer.ts";

/**
 * What the core answers with, platform-neutral. Each adapter renders every kind once (Block Kit and modals; Adaptive
 * Cards 1.5; text for the CLI). All wording, headings and button labels come from prompts/ through the features.
 */
export type Reply = AnswerReply | CardReply | FormReply | UpdateReply | NoticeReply;

/** A button: an action Lotse handles (id and value, the value written by the owning feature's codec) or a link. */
export type Button =
  | { label: string; actionId: string; value: string; style?: "primary" | "danger" }
  | { label: string; url: string };

/** Contacts under a heading ("Ansprechpersonen", "Wer Ihnen weiterhilft"). */
export interface ContactsBlock {
  heading: string;
  contacts: AnswerContact[];
  /** Label of the link that opens a chat with a contact (Teams: "Chat in Teams"); without it no such link. */
  chatLabel?: string;
}

/** An answer with everything around it that the platforms show the same way. */
export interface AnswerView {
  answer: Answer;
  /** The question as asked (the share button posts it; the shared answer names it). */
  question: string;
  /** One line above the answer: the automated-assistant notice at a user's first contact. */
  notice?: string;
  headings: { sources: string; goals: string; nextSteps: string };
  contacts?: ContactsBlock;
  /** 👍/👎, "Im Kanal teilen", … in the order shown. */
  actions: Button[];
  /** A shared answer names who asked: the adapter puts its mention of `userId` between `before` and `after`. */
  sharedBy?: { userId: string; before: string; after: string };
}

export interface AnswerReply {
  kind: "answer";
  view: AnswerView;
  /** Only the asker sees it (Slack ephemeral); elsewhere a normal reply. */
  private?: boolean;
  /** Remove the private message the action came from once this is delivered (a shared answer). */
  dismissSource?: boolean;
}

/** One part of a card: a heading with text, facts ("Nächster Termin: …"), and/or a list. */
export interface CardSection {
  heading?: string;
  text?: string;
  facts?: { label: string; value: string }[];
  items?: string[];
}

/** A platform-neutral message with structure: welcome, help, lists of reminders, onboarding modules. */
export interface Card {
  title?: string;
  sections: CardSection[];
  sources?: { heading: string; citations: Citation[] };
  contacts?: ContactsBlock;
  buttons?: Button[];
}

export interface CardReply {
  kind: "card";
  card: Card;
  private?: boolean;
}

/** One input of a form. Values travel as strings: dates YYYY-MM-DD, times HH:MM, pickers the platform's opaque id. */
export type FormField = {
  id: string;
  label: string;
  required?: boolean;
  hint?: string;
} & (
  | { type: "text" | "longtext"; initial?: string; maxLength?: number; placeholder?: string }
  | { type: "date"; initial?: string }
  | { type: "time"; initial?: string }
  | { type: "select"; options: { label: string; value: string }[]; initial?: string }
  | { type: "conversation"; initial?: string; defaultToCurrent?: boolean }
  | { type: "user"; initial?: string }
);

/** A form to fill in (a Slack modal, an Adaptive Card with Input.* and Action.Execute). */
export interface Form {
  /** Namespaced by the owning feature ("feedback.comment"); comes back as SubmitInbound.formId. */
  id: string;
  title: string;
  intro?: string;
  fields: FormField[];
  submitLabel: string;
  /** Validation errors by field id, shown at the field when the form is shown again. */
  errors?: Record<string, string>;
  /** Carried through to the submission (SubmitInbound.state), written by the feature's own codec. */
  state?: string;
}

export interface FormReply {
  kind: "form";
  form: Form;
  /**
   * Only the user who acted may see it (the 👎 comment form): on Slack every form is a modal; on Teams, answering a
   * button, it is the invoke's card, which replaces the card for that user alone instead of a message in the thread.
   */
  private?: boolean;
}

/** Replaces the card an action came from (Slack chat.update or respond; Teams: the invoke's returned card). */
export interface UpdateReply {
  kind: "update";
  card: Card;
}

/** A short text: a confirmation, a refusal, an apology with who can help. */
export interface NoticeReply {
  kind: "notice";
  text: string;
  contacts?: ContactsBlock;
  /** Only the user who acted sees it (Slack ephemeral; Teams: the invoke's message). */
  private?: boolean;
}

/** A notice from text. */
export function notice(text: string, extra: Omit<NoticeReply, "kind" | "text"> = {}): NoticeReply {
  return { kind: "notice", text, ...extra };
}

import type { AnswerView, Button, ContactsBlock, NoticeReply, Reply } from "../core/replies.ts";
import { notice } from "../core/replies.ts";
import { tenantDisplayName } from "../core/tenancy.ts";
import { encodeFeedback, FEEDBACK_ACTIONS, MAX_BUTTON_VALUE } from "../feedback/feedback-codec.ts";
import { encodeDeadlineRef, REMINDER_ACTIONS } from "../reminders/reminder-codec.ts";
import type { Answer, AnswerContact } from "./answer.ts";
import type { Templates } from "./templates.ts";

/** Contacts under a heading from labels.yaml, with the label of the chat link. */
export function contactsBlock(
  templates: Templates,
  heading: "heading-contacts" | "heading-contacts-help",
  contacts: AnswerContact[],
): ContactsBlock {
  return { heading: templates.label(heading), contacts, chatLabel: templates.label("link-chat-teams") };
}

/** Action id of "Im Kanal teilen" under a private answer; its value is the question. */
export const SHARE_ACTION = "answer.share";

export interface ViewOptions {
  question: string;
  tenant: string;
  /** Only the asker sees the answer: offer to share it in the channel. */
  share?: boolean;
  /** 👍/👎 under the answer (off for proactive messages). */
  feedback?: boolean;
  notice?: string;
  /** A cited deadline document: "Erinnerung anlegen" for it follows the other actions. */
  deadlineDocId?: string;
}

/**
 * An answer as every platform shows it: headings and button labels from prompts/, the contacts under "Ansprechpersonen"
 * (an answer) or "Wer Ihnen weiterhilft" (no answer), 👍/👎 with the feedback codec's value, "Im Kanal teilen", and
 * "Erinnerung anlegen" when the answer cites a deadline.
 */
export function answerView(answer: Answer, templates: Templates, o: ViewOptions): AnswerView {
  const actions: Button[] = [];
  if (o.share && answer.kind === "answer")
    actions.push({
      label: templates.label("button-share"),
      actionId: SHARE_ACTION,
      value: o.question.slice(0, MAX_BUTTON_VALUE),
    });
  if (o.feedback ?? true) {
    const value = encodeFeedback({ question: o.question, docIds: answer.citations.map((c) => c.docId) });
    actions.push(
      { label: templates.label("button-feedback-up"), actionId: FEEDBACK_ACTIONS.up, value },
      { label: templates.label("button-feedback-down"), actionId: FEEDBACK_ACTIONS.down, value },
    );
  }
  if (o.deadlineDocId && answer.kind === "answer")
    actions.push({
      label: templates.label("button-reminder-create"),
      actionId: REMINDER_ACTIONS.open,
      value: encodeDeadlineRef(o.deadlineDocId),
    });
  return {
    answer,
    question: o.question,
    ...(o.notice ? { notice: o.notice } : {}),
    headings: {
      sources: templates.label("heading-sources"),
      goals: templates.label("heading-goals", { tenant: tenantDisplayName(o.tenant) }),
      nextSteps: templates.label("heading-next-steps"),
    },
    ...(answer.contacts.length > 0
      ? {
          contacts: contactsBlock(
            templates,
            answer.kind === "answer" ? "heading-contacts" : "heading-contacts-help",
            answer.contacts,
          ),
        }
      : {}),
    actions,
  };
}

/**
 * The reply for an answer: answers and "no answer" as an answer view; smalltalk and errors (refusals, apologies) as
 * a notice with the contacts that can help.
 */
export function answerReply(
  answer: Answer,
  templates: Templates,
  o: ViewOptions & { private?: boolean },
): Reply {
  if (answer.kind === "smalltalk" || answer.kind === "error") {
    const n: NoticeReply = notice(o.notice ? `${o.notice}\n\n${answer.text}` : answer.text, {
      ...(answer.contacts.length > 0
        ? { contacts: contactsBlock(templates, "heading-contacts-help", answer.contacts) }
        : {}),
      ...(o.private ? { private: true } : {}),
    });
    return n;
  }
  return { kind: "answer", view: answerView(answer, templates, o), ...(o.private ? { private: true } : {}) };
}

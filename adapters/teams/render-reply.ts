import { type Activity, addAIToActivity } from "@microsoft/agents-activity";
import { CardFactory, MessageFactory } from "@microsoft/agents-hosting";
import type { Reply } from "../../src/core/replies.ts";
import {
  type AdaptiveCard,
  cardInvokeResponse,
  messageInvokeResponse,
  renderAnswer,
  renderCard,
  renderNotice,
} from "./render-card.ts";
import { renderForm } from "./render-form.ts";

/** Any reply as its Adaptive Card: one renderer per kind. An update posted anew (no card to replace) is its card. */
export function cardOf(reply: Reply): AdaptiveCard {
  switch (reply.kind) {
    case "answer":
      return renderAnswer(reply.view);
    case "card":
    case "update":
      return renderCard(reply.card);
    case "form":
      return renderForm(reply.form);
    case "notice":
      return renderNotice(reply);
  }
}

/**
 * A reply as a message activity: its card as the attachment; an answer an LLM wrote carries Teams' AI-generated
 * label. Teams has no ephemeral messages: a private reply outside an invoke is posted like any other.
 */
export function replyActivity(reply: Reply): Activity {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(cardOf(reply)));
  if (reply.kind === "answer" && reply.view.answer.generatedBy === "llm") addAIToActivity(activity);
  return activity;
}

export type InvokeBody = ReturnType<typeof cardInvokeResponse> | ReturnType<typeof messageInvokeResponse>;

/**
 * Splits the replies to an Action.Execute into its invoke response and what is posted into the conversation: the
 * first update replaces the card, and so does a private form (Teams shows an invoke's card to the user who acted
 * alone: the 👎 comment form is nobody else's); answering a form's submission, so does the first form (shown again in
 * place, with its validation errors) or card (the confirmation takes the filled-in form's place); otherwise the first private
 * notice is the invoke's message to the user who acted. Everything
 * else (an answer, a card, a public notice) is posted as a message; a further private notice has no private place
 * left and is not posted for everyone to see (`unshown` counts them, for the log).
 */
export function invokeResponseOf(
  replies: Reply[],
  answersSubmit: boolean,
): { response: InvokeBody | undefined; rest: Reply[]; unshown: number } {
  const replacing = replies.findIndex(
    (r) =>
      r.kind === "update" ||
      (r.kind === "form" && r.private === true) ||
      (answersSubmit && (r.kind === "form" || r.kind === "card")),
  );
  const index = replacing >= 0 ? replacing : replies.findIndex(isPrivateNotice);
  const chosen = replies[index];
  const others = replies.filter((_, i) => i !== index);
  const rest = others.filter((r) => !isPrivateNotice(r));
  // Next to a private form (whose intro thanks), a private notice is not missed: the user was answered privately.
  const unshown = chosen?.kind === "form" ? 0 : others.length - rest.length;
  if (!chosen) return { response: undefined, rest, unshown };
  return {
    response: chosen.kind === "notice" ? messageInvokeResponse(chosen) : cardInvokeResponse(cardOf(chosen)),
    rest,
    unshown,
  };
}

const isPrivateNotice = (r: Reply): boolean => r.kind === "notice" && r.private === true;

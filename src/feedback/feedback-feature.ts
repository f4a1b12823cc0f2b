import type { Templates } from "../assistant/templates.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { ActionInbound, Inbound, SubmitInbound } from "../core/inbound.ts";
import { type Form, notice, type Reply } from "../core/replies.ts";
import type { Logger } from "../log.ts";
import {
  decodeCommentState,
  decodeFeedback,
  encodeCommentState,
  FEEDBACK_ACTIONS,
  FEEDBACK_FIELDS,
  FEEDBACK_FORM,
} from "./feedback-codec.ts";
import { readComment } from "./feedback-comment.ts";
import {
  FEEDBACK_LIMITS,
  FEEDBACK_REASONS,
  type FeedbackReason,
  type FeedbackStore,
} from "./feedback-store.ts";

/** The label of each reason in the form's select. */
const REASON_LABELS = {
  falsch: "feedback-reason-falsch",
  veraltet: "feedback-reason-veraltet",
  unvollstaendig: "feedback-reason-unvollstaendig",
  "nicht-meine-frage": "feedback-reason-nicht-meine-frage",
} as const satisfies Record<FeedbackReason, string>;

/**
 * 👍/👎 under an answer: stored with the question and the cited documents, the user as a pseudonym, and thanked
 * privately. A 👎 also opens the form "feedback.comment" (Slack modal, Teams card): a reason and a short comment,
 * both optional, added to that rating. The form's state names the rating; the store adds to it only for the same
 * tenant and user, so a forged state annotates nothing. Logs carry ids, rating and reason, never a text.
 */
export class FeedbackFeature implements Feature {
  readonly name = "feedback";
  private readonly deps: { store: FeedbackStore; templates: Templates; log: Logger };

  constructor(deps: { store: FeedbackStore; templates: Templates; log: Logger }) {
    this.deps = deps;
  }

  owns(inbound: Inbound): boolean {
    if (inbound.kind === "submit") return inbound.formId === FEEDBACK_FORM;
    return (
      inbound.kind === "action" &&
      (inbound.actionId === FEEDBACK_ACTIONS.up || inbound.actionId === FEEDBACK_ACTIONS.down)
    );
  }

  async handle(turn: Turn): Promise<Reply[]> {
    if (turn.inbound.kind === "submit") return this.submit(turn as Turn<SubmitInbound>);
    const action = turn.inbound as ActionInbound;
    const rated = decodeFeedback(action.value);
    if (!rated) {
      this.deps.log.warn({ code: "REQUEST_INVALID", actionId: action.actionId }, "feedback value refused");
      return [];
    }
    const rating = action.actionId === FEEDBACK_ACTIONS.up ? "up" : "down";
    const id = await this.deps.store.record({
      tenant: turn.tenant,
      platform: action.platform,
      userId: turn.user,
      conversationId: action.conversation.id,
      rating,
      question: rated.question,
      docIds: rated.docIds,
    });
    this.deps.log.info(
      {
        event: "feedback",
        platform: action.platform,
        tenant: turn.tenant,
        feedbackId: id,
        rating,
        docIds: rated.docIds,
      },
      "feedback recorded",
    );
    const thanks = notice(this.deps.templates.render("feedback-thanks"), { private: true });
    // The form first: Slack opens a modal only within 3 s of the click.
    return rating === "down" ? [{ kind: "form", form: this.form(id), private: true }, thanks] : [thanks];
  }

  /** The comment form for rating `id`, with the values and errors of a refused submission. */
  private form(
    id: string,
    values: { reason?: string; comment?: string } = {},
    errors?: Record<string, string>,
  ): Form {
    const label = this.deps.templates.label.bind(this.deps.templates);
    const max = FEEDBACK_LIMITS.commentChars;
    return {
      id: FEEDBACK_FORM,
      title: label("feedback-comment-title"),
      intro: label("feedback-comment-intro"),
      fields: [
        {
          id: FEEDBACK_FIELDS.reason,
          type: "select",
          label: label("feedback-field-reason"),
          options: FEEDBACK_REASONS.map((value) => ({ value, label: label(REASON_LABELS[value]) })),
          ...(values.reason ? { initial: values.reason } : {}),
        },
        {
          id: FEEDBACK_FIELDS.comment,
          type: "longtext",
          label: label("feedback-field-comment"),
          hint: label("feedback-field-comment-hint", { max }),
          maxLength: max,
          ...(values.comment ? { initial: values.comment } : {}),
        },
      ],
      submitLabel: label("feedback-comment-submit"),
      state: encodeCommentState(id),
      ...(errors ? { errors } : {}),
    };
  }

  /** A submitted comment form: refused (form again with errors, or a notice), empty (thanks), or stored. */
  private async submit(turn: Turn<SubmitInbound>): Promise<Reply[]> {
    const { inbound } = turn;
    const { log, store, templates } = this.deps;
    const privately = (text: string) => [notice(text, { private: true })];
    const id = decodeCommentState(inbound.state);
    if (!id) {
      log.warn({ code: "REQUEST_INVALID", formId: inbound.formId }, "feedback form state refused");
      return privately(templates.label("feedback-comment-not-found"));
    }
    const input = readComment(
      inbound.values[FEEDBACK_FIELDS.reason],
      inbound.values[FEEDBACK_FIELDS.comment],
    );
    if (input.badReason || input.tooLong) {
      const errors: Record<string, string> = {};
      if (input.badReason) errors[FEEDBACK_FIELDS.reason] = templates.label("feedback-error-reason");
      if (input.tooLong)
        errors[FEEDBACK_FIELDS.comment] = templates.label("feedback-error-comment-too-long", {
          max: FEEDBACK_LIMITS.commentChars,
        });
      log.info(
        {
          event: "feedback_comment_refused",
          tenant: turn.tenant,
          feedbackId: id,
          fields: Object.keys(errors),
        },
        "feedback comment refused",
      );
      const kept = {
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.comment ? { comment: input.comment } : {}),
      };
      return [{ kind: "form", form: this.form(id, kept, errors) }];
    }
    if (!input.reason && !input.comment) return privately(templates.render("feedback-thanks"));
    const stored = await store.annotate(id, turn.tenant, turn.user, input.reason, input.comment);
    if (!stored) {
      log.warn(
        { code: "REQUEST_INVALID", formId: inbound.formId, tenant: turn.tenant, feedbackId: id },
        "feedback form names no 👎 of this user",
      );
      return privately(templates.label("feedback-comment-not-found"));
    }
    log.info(
      {
        event: "feedback_comment",
        platform: inbound.platform,
        tenant: turn.tenant,
        feedbackId: id,
        reason: input.reason ?? null,
        commented: input.comment !== undefined,
      },
      "feedback comment recorded",
    );
    return privately(templates.label("feedback-comment-thanks"));
  }
}

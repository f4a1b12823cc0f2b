import type { Templates } from "../assistant/templates.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { ActionInbound, Inbound } from "../core/inbound.ts";
import { notice, type Reply } from "../core/replies.ts";
import type { Logger } from "../log.ts";
import { decodeFeedback, FEEDBACK_ACTIONS } from "./feedback-codec.ts";
import type { FeedbackStore } from "./feedback-store.ts";

/** 👍/👎 under an answer: stored with the question and the cited documents, the user as a pseudonym. */
export class FeedbackFeature implements Feature {
  readonly name = "feedback";
  private readonly deps: { store: FeedbackStore; templates: Templates; log: Logger };

  constructor(deps: { store: FeedbackStore; templates: Templates; log: Logger }) {
    this.deps = deps;
  }

  owns(inbound: Inbound): boolean {
    return (
      inbound.kind === "action" &&
      (inbound.actionId === FEEDBACK_ACTIONS.up || inbound.actionId === FEEDBACK_ACTIONS.down)
    );
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const action = turn.inbound as ActionInbound;
    const rated = decodeFeedback(action.value);
    if (!rated) {
      this.deps.log.warn({ code: "REQUEST_INVALID", actionId: action.actionId }, "feedback value refused");
      return [];
    }
    const rating = action.actionId === FEEDBACK_ACTIONS.up ? "up" : "down";
    await this.deps.store.record({
      tenant: turn.tenant,
      platform: action.platform,
      userId: turn.user,
      conversationId: action.conversation.id,
      rating,
      question: rated.question,
      docIds: rated.docIds,
    });
    this.deps.log.info(
      { event: "feedback", platform: action.platform, tenant: turn.tenant, rating, docIds: rated.docIds },
      "feedback recorded",
    );
    return [notice(this.deps.templates.render("feedback-thanks"), { private: true })];
  }
}

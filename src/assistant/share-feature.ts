import type { Feature, Turn } from "../core/feature.ts";
import type { ActionInbound, Inbound } from "../core/inbound.ts";
import type { Reply } from "../core/replies.ts";
import type { Router } from "../core/router.ts";
import { MAX_BUTTON_VALUE } from "../feedback/feedback-codec.ts";
import { answerReply, SHARE_ACTION } from "./answer-view.ts";
import type { Templates } from "./templates.ts";

/**
 * "Im Kanal teilen" under a private answer (Slack's /lotse): the question is answered again and posted for the
 * channel, introduced with who asked; the private answer goes away.
 */
export class ShareFeature implements Feature {
  readonly name = "share";
  private readonly deps: { router: Router; templates: Templates };

  constructor(deps: { router: Router; templates: Templates }) {
    this.deps = deps;
  }

  owns(inbound: Inbound): boolean {
    return inbound.kind === "action" && inbound.actionId === SHARE_ACTION;
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const action = turn.inbound as ActionInbound;
    const question = action.value.trim();
    if (question === "" || question.length > MAX_BUTTON_VALUE) return [];
    const answer = await this.deps.router.answerFor(
      { ...action, kind: "message", text: question, addressed: true },
      turn.tenant,
    );
    const reply = answerReply(answer, this.deps.templates, { question, tenant: turn.tenant });
    if (reply.kind !== "answer")
      return [answerReply(answer, this.deps.templates, { question, tenant: turn.tenant, private: true })];
    // The user is named by the platform's own mention: the adapter puts it between the two parts.
    const [before = "", after = ""] = this.deps.templates
      .label("shared-intro", { user: "\u0000", question })
      .split("\u0000");
    return [
      {
        ...reply,
        view: { ...reply.view, sharedBy: { userId: action.user.id, before, after } },
        dismissSource: true,
      },
    ];
  }
}

import type { Feature, Turn } from "../core/feature.ts";
import type { FirstContact } from "../core/first-contact.ts";
import type { Inbound, MessageInbound } from "../core/inbound.ts";
import type { Reply } from "../core/replies.ts";
import type { Router } from "../core/router.ts";
import type { TurnStore } from "../core/turn-store.ts";
import { toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Answer } from "./answer.ts";
import { answerReply } from "./answer-view.ts";
import { resolveFollowUp } from "./follow-up.ts";
import type { Templates } from "./templates.ts";

export interface QuestionFeatureDeps {
  router: Router;
  templates: Templates;
  turns: TurnStore;
  firstContact: FirstContact;
  log: Logger;
  /** Window in which a message in a conversation without threads continues the previous question. */
  followUpMinutes: number;
  /**
   * The first of the cited documents that is a deadline with a schedule (it gets "Erinnerung anlegen"); absent:
   * no such button.
   */
  deadlineFor?: (tenant: string, docIds: string[]) => Promise<string | undefined>;
}

/**
 * Questions: a message is answered from the knowledge base, read together with the turn before when it is a
 * follow-up in the same thread (or within LOTSE_FOLLOW_UP_MINUTES in a personal chat); the turn is remembered; a
 * user's first answer carries the automated-assistant notice.
 */
export class QuestionFeature implements Feature {
  readonly name = "questions";
  private readonly deps: QuestionFeatureDeps;

  constructor(deps: QuestionFeatureDeps) {
    this.deps = deps;
  }

  owns(inbound: Inbound): boolean {
    return inbound.kind === "message";
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const msg = turn.inbound as MessageInbound;
    const { router, templates, turns } = this.deps;
    // Started now, awaited with the answer: the notice's bookkeeping must not delay the answer.
    const firstNotice = this.firstContactNotice(msg, turn.user);
    // A top-level channel message opens a thread of its own: there is no turn before it to read.
    const previous = msg.conversation.kind === "channel" ? undefined : await this.previousTurn(msg);
    const resolved = resolveFollowUp(msg.text, previous?.resolvedQuestion);
    const answer = await router.answerFor(
      resolved === msg.text ? msg : { ...msg, text: resolved },
      turn.tenant,
    );
    if (turn.signal?.aborted) return [];
    const recorded =
      answer.kind === "answer" || answer.kind === "no_answer"
        ? turns
            .record({
              platform: msg.platform,
              conversationId: msg.conversation.id,
              tenant: turn.tenant,
              userPseudonym: turn.user,
              question: msg.text,
              resolvedQuestion: resolved,
              answerKind: answer.kind,
              docIds: answer.citations.map((c) => c.docId),
            })
            .catch((err: unknown) =>
              this.deps.log.error({ err: toLotseError(err), code: "INTERNAL" }, "storing the turn failed"),
            )
        : undefined;
    // The turn is only needed by the next message of the thread: it is written after the reply where the core allows.
    const deferred = recorded !== undefined && turn.later?.(recorded) === true;
    const [shownNotice, deadlineDocId] = await Promise.all([
      firstNotice,
      this.citedDeadline(turn.tenant, answer),
      deferred ? undefined : recorded,
    ]);
    return [
      answerReply(answer, templates, {
        // The question as answered: a rating or a shared answer of "und für Busse?" must say what was asked.
        question: resolved,
        tenant: turn.tenant,
        share: msg.private === true,
        ...(msg.private ? { private: true } : {}),
        ...(shownNotice ? { notice: shownNotice } : {}),
        ...(deadlineDocId ? { deadlineDocId } : {}),
      }),
    ];
  }

  /** The cited deadline an answer offers a reminder for; a failed lookup costs only the button. */
  private async citedDeadline(tenant: string, answer: Answer): Promise<string | undefined> {
    const lookup = this.deps.deadlineFor;
    if (!lookup || answer.kind !== "answer" || answer.citations.length === 0) return undefined;
    try {
      return await lookup(tenant, [...new Set(answer.citations.map((c) => c.docId))]);
    } catch (err) {
      this.deps.log.warn({ err: toLotseError(err) }, "cited deadline not looked up: no reminder button");
      return undefined;
    }
  }

  private async previousTurn(msg: MessageInbound) {
    const since =
      msg.conversation.kind === "thread"
        ? undefined
        : new Date(msg.receivedAt.getTime() - this.deps.followUpMinutes * 60_000);
    if (since && this.deps.followUpMinutes === 0) return undefined;
    try {
      return await this.deps.turns.last(msg.platform, msg.conversation.id, since);
    } catch (err) {
      this.deps.log.warn({ err: toLotseError(err) }, "previous turn not read: answered on its own");
      return undefined;
    }
  }

  /** The one-line automated-assistant notice, the first time this user gets an answer on this platform. */
  private async firstContactNotice(msg: MessageInbound, user: string): Promise<string | undefined> {
    if (msg.platform === "cli") return undefined;
    try {
      return (await this.deps.firstContact.claim(msg.platform, user, "ai-notice"))
        ? this.deps.templates.label("ai-notice")
        : undefined;
    } catch (err) {
      this.deps.log.warn({ err: toLotseError(err) }, "first-contact notice not checked");
      return undefined;
    }
  }
}

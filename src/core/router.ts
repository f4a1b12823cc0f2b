import { type Answer, plainAnswer } from "../assistant/answer.ts";
import type { Assistant } from "../assistant/assistant.ts";
import { describeContact, toAnswerContact } from "../assistant/contacts.ts";
import { classifySmalltalk } from "../assistant/smalltalk.ts";
import type { TemplateName, Templates } from "../assistant/templates.ts";
import { LotseError, toLotseError, userTemplateFor } from "../errors.ts";
import type { Contact } from "../knowledge/types.ts";
import type { Logger } from "../log.ts";
import type { MessageInbound } from "./inbound.ts";
import type { Tenancy } from "./tenancy.ts";

export interface RouterDeps {
  assistant: Assistant;
  templates: Templates;
  tenancy: Tenancy;
  log: Logger;
  maxQuestionChars: number;
  defaultContactRole: string;
  /** Whether message text may appear in logs (LOTSE_LOG_MESSAGES). */
  logMessages: boolean;
}

/** Cleans what users paste: markup tags and control characters go, whitespace collapses. */
export function cleanQuestion(text: string): string {
  return text
    .replace(/<[^>]{0,200}>/g, " ")
    .replace(/\p{Cc}/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Turns an inbound message into an answer: input checks, smalltalk, tenant, then retrieval and composition. */
export class Router {
  private readonly deps: RouterDeps;

  constructor(deps: RouterDeps) {
    this.deps = deps;
  }

  /** Resolves the tenant, then answers (the CLI, eval and bench path; chat platforms go through the core). */
  async handle(msg: MessageInbound): Promise<Answer> {
    let tenant: string;
    try {
      tenant = this.deps.tenancy.resolve(msg);
    } catch (err) {
      return this.logged(
        msg,
        undefined,
        performance.now(),
        await this.errorAnswer(toLotseError(err), undefined),
      );
    }
    return this.answerFor(msg, tenant);
  }

  /** Answers a message for a tenant the caller resolved: input checks, smalltalk, then retrieval and composition. */
  async answerFor(msg: MessageInbound, tenant: string): Promise<Answer> {
    const started = performance.now();
    let answer: Answer;
    try {
      answer = await this.route(msg, tenant);
    } catch (err) {
      answer = await this.errorAnswer(toLotseError(err), tenant);
    }
    return this.logged(msg, tenant, started, answer);
  }

  private logged(msg: MessageInbound, tenant: string | undefined, started: number, answer: Answer): Answer {
    this.deps.log.info(
      {
        event: "answered",
        platform: msg.platform,
        tenant,
        kind: answer.kind,
        errorCode: answer.errorCode,
        confidence: answer.confidence,
        citations: answer.citations.map((c) => c.docId),
        ms: Math.round(performance.now() - started),
        ...(this.deps.logMessages ? { text: msg.text } : {}),
      },
      "message answered",
    );
    return answer;
  }

  private async route(msg: MessageInbound, tenant: string): Promise<Answer> {
    const raw = msg.text ?? "";
    if (raw.length > this.deps.maxQuestionChars)
      throw new LotseError("INPUT_TOO_LONG", "question too long", { details: { length: raw.length } });
    const question = cleanQuestion(raw);
    if (question.length === 0) throw new LotseError("INPUT_EMPTY", "empty question");
    if (!/[\p{L}\p{N}]/u.test(question))
      throw new LotseError("INPUT_NO_TEXT", "no letters or digits in question");
    const small = classifySmalltalk(question);
    if (small) return plainAnswer("smalltalk", this.deps.templates.render(small));
    return this.deps.assistant.answer(question, tenant);
  }

  private async errorAnswer(err: LotseError, tenant: string | undefined): Promise<Answer> {
    // A stopping server is expected, not a failure: the adapters post nothing for it and the platform retries.
    if (err.code === "SHUTTING_DOWN") this.deps.log.warn({ code: err.code }, "not answered: shutting down");
    else if (!err.code.startsWith("INPUT_") && err.code !== "TENANT_UNKNOWN")
      this.deps.log.error({ err, code: err.code }, "answering failed");
    let contact: Contact | undefined;
    if (tenant) {
      try {
        contact = (await this.deps.assistant.contacts(tenant)).get(this.deps.defaultContactRole);
      } catch (lookupErr) {
        this.deps.log.warn({ err: lookupErr }, "default contact lookup failed");
      }
    }
    const text = this.deps.templates.render(userTemplateFor(err.code) as TemplateName, {
      contact: describeContact(contact),
      length: Number(err.details.length ?? 0),
      max: this.deps.maxQuestionChars,
    });
    return plainAnswer("error", text, {
      errorCode: err.code,
      contacts: contact ? [toAnswerContact(contact)] : [],
    });
  }
}

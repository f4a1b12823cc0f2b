import { contactsBlock } from "../assistant/answer-view.ts";
import { describeContact, toAnswerContact } from "../assistant/contacts.ts";
import type { Templates } from "../assistant/templates.ts";
import { toLotseError } from "../errors.ts";
import type { Contact } from "../knowledge/types.ts";
import type { Logger } from "../log.ts";
import { ABORTED, unlessAborted } from "./abortable.ts";
import type { ConversationStore } from "./conversation-store.ts";
import type { Feature } from "./feature.ts";
import type { Inbound, Platform } from "./inbound.ts";
import type { People } from "./people.ts";
import type { Pseudonyms } from "./pseudonyms.ts";
import { notice, type Reply } from "./replies.ts";
import type { Tenancy } from "./tenancy.ts";
import type { TurnStore } from "./turn-store.ts";

export interface CoreDeps {
  tenancy: Tenancy;
  templates: Templates;
  log: Logger;
  /** Asked in order; the first that owns an input handles it. */
  features: Feature[];
  conversations: ConversationStore;
  turns: TurnStore;
  pseudonyms: Pseudonyms;
  /** Links a user whose input carries their email to the same person on the tenant's other platform. */
  people?: People;
  /**
   * Runs bookkeeping after the reply (the runtime tracks it, so shutdown waits for it); absent, features await it.
   */
  later?: (work: Promise<unknown>, platform: Platform) => boolean;
  /** The contact an apology names: the tenant's default contact role. */
  defaultContact(tenant: string): Promise<Contact | undefined>;
}

/** What the core made of an input: the tenant it resolved (undefined when refused) and the replies to deliver. */
export interface Outcome {
  tenant?: string;
  replies: Reply[];
}

/**
 * The conversation core: resolves the tenant once, decides whether an input is Lotse's business, keeps the
 * conversation reference, hands the input to the feature that owns it and turns failures into an apology that names
 * who can help. Adapters translate platform payloads into Inbound and render the replies; they decide nothing.
 */
export class ConversationCore {
  private readonly deps: CoreDeps;

  constructor(deps: CoreDeps) {
    this.deps = deps;
  }

  async handle(inbound: Inbound, signal?: AbortSignal): Promise<Outcome> {
    const { log } = this.deps;
    // A channel message not addressed to Lotse is none of its business unless it follows up Lotse's thread: decided
    // first, so that an unmapped workspace's chatter is not refused (and logged) message by message.
    if (!(await this.isOurs(inbound))) return { replies: [] };
    let tenant: string;
    try {
      tenant = this.deps.tenancy.resolve(inbound);
    } catch (err) {
      const e = toLotseError(err);
      if (e.code !== "TENANT_UNKNOWN") throw e;
      log.warn(
        {
          code: e.code,
          platform: inbound.platform,
          externalTenantId: inbound.externalTenantId,
          kind: inbound.kind,
        },
        "input from an unmapped tenant refused",
      );
      return { replies: this.refusal(inbound) };
    }
    // Stored while the feature works (it never throws); awaited before the outcome is returned.
    const remembered = this.remember(inbound, tenant);
    try {
      return await this.dispatch(inbound, tenant, signal);
    } finally {
      await remembered;
    }
  }

  /** Hands the input to the first feature that owns it; failures become an apology, shutdown a restart notice. */
  private async dispatch(
    inbound: Inbound,
    tenant: string,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    const { log } = this.deps;
    const feature = this.deps.features.find((f) => f.owns(inbound));
    if (!feature) {
      log.debug({ kind: inbound.kind, ...ids(inbound) }, "input acknowledged: no feature owns it");
      return { tenant, replies: [] };
    }
    const user = this.deps.pseudonyms.of(inbound.platform, inbound.user.id);
    await this.link(inbound, tenant, user);
    try {
      const replies = await unlessAborted(
        feature.handle({
          inbound,
          tenant,
          user,
          ...(signal ? { signal } : {}),
          ...(this.deps.later
            ? { later: (work: Promise<unknown>) => this.deps.later?.(work, inbound.platform) ?? false }
            : {}),
        }),
        signal,
      );
      // The grace period of a shutdown ended while the feature worked: the database closes in a moment, and a reply
      // after the notice would contradict it. The user hears why and asks again (platforms do not redeliver).
      if (replies === ABORTED || signal?.aborted) {
        log.info(
          { code: "SHUTTING_DOWN", event: "answer_aborted", kind: inbound.kind },
          "restart notice instead",
        );
        return { tenant, replies: [notice(this.deps.templates.render("notice-restarting"))] };
      }
      return { tenant, replies };
    } catch (err) {
      const e = toLotseError(err);
      if (e.code === "SHUTTING_DOWN") throw e;
      log.error({ err: e, code: e.code, feature: feature.name, kind: inbound.kind }, "handling failed");
      return { tenant, replies: [await this.apology(tenant, inbound.kind !== "message")] };
    }
  }

  /**
   * Whether Lotse takes part: every input except a message in a channel thread that does not address Lotse, which
   * is answered only where Lotse has answered before (a follow-up in its thread).
   */
  private async isOurs(inbound: Inbound): Promise<boolean> {
    if (inbound.kind !== "message" || inbound.addressed !== false) return true;
    if (inbound.conversation.kind !== "thread") return false;
    return (await this.deps.turns.last(inbound.platform, inbound.conversation.id)) !== undefined;
  }

  /** Keeps the reference of every conversation Lotse serves, so reminders and onboarding can write there later. */
  private async remember(inbound: Inbound, tenant: string): Promise<void> {
    if (inbound.reference === undefined || inbound.platform === "cli") return;
    try {
      await this.deps.conversations.save({
        platform: inbound.platform,
        conversationId: inbound.conversation.id,
        tenant,
        ...(inbound.externalTenantId ? { externalTenantId: inbound.externalTenantId } : {}),
        kind: inbound.conversation.kind,
        reference: inbound.reference,
        ...(inbound.conversation.kind === "personal"
          ? { userPseudonym: this.deps.pseudonyms.of(inbound.platform, inbound.user.id) }
          : {}),
      });
    } catch (err) {
      const e = toLotseError(err);
      if (e.code === "REQUEST_INVALID")
        this.deps.log.warn({ code: e.code, ...e.details }, "conversation reference not stored: too large");
      else this.deps.log.error({ err: e, code: "INTERNAL" }, "storing the conversation reference failed");
    }
  }

  /**
   * Where the platform told the user's email (a join, an installation), the user is linked to the person of that
   * email, so their onboarding follows them across the tenant's platforms. A failure only costs the link.
   */
  private async link(inbound: Inbound, tenant: string, user: string): Promise<void> {
    const email = inbound.user.email;
    if (!email || !this.deps.people || inbound.platform === "cli") return;
    try {
      await this.deps.people.link(tenant, inbound.platform, user, email);
    } catch (err) {
      this.deps.log.warn({ err: toLotseError(err), code: "INTERNAL" }, "person link not stored");
    }
  }

  /** The refusal for an unmapped tenant, where Lotse would have answered; nothing for joins, installs and pings. */
  private refusal(inbound: Inbound): Reply[] {
    const text = this.deps.templates.render("error-tenant-unknown");
    if (inbound.kind === "message") return inbound.addressed === false ? [] : [notice(text)];
    if (inbound.kind === "action" || inbound.kind === "submit" || inbound.kind === "home")
      return [notice(text, { private: true })];
    return [];
  }

  /** "Something went wrong" with the tenant's default contact. */
  private async apology(tenant: string, privately: boolean): Promise<Reply> {
    let contact: Contact | undefined;
    try {
      contact = await this.deps.defaultContact(tenant);
    } catch (err) {
      this.deps.log.warn({ err: toLotseError(err) }, "default contact lookup failed");
    }
    const text = this.deps.templates.render("error-internal", { contact: describeContact(contact) });
    return notice(text, {
      ...(contact
        ? {
            contacts: contactsBlock(this.deps.templates, "heading-contacts-help", [toAnswerContact(contact)]),
          }
        : {}),
      private: privately,
    });
  }
}

/** The ids that say which action or form an input was, for logs (never values or text). */
function ids(inbound: Inbound): Record<string, string> {
  if (inbound.kind === "action") return { actionId: inbound.actionId };
  if (inbound.kind === "submit") return { formId: inbound.formId };
  return {};
}

/** Where an input came from; adapters fill this in from their platform's payload. */
export type Platform = "cli" | "teams" | "slack";

/** The conversation an input came from. `id` is opaque: only the adapter turns it back into a platform target. */
export interface ConversationAddress {
  /** Stable per conversation and thread (a Slack thread "C123:1764…", a Teams reply chain "19:…;messageid=…"). */
  id: string;
  kind: "personal" | "group" | "channel" | "thread";
  /**
   * The conversation without its thread, as the place reminders and subscriptions belong to: a Slack channel or DM id
   * ("C123" for "C123:1764…"), a Teams conversation id before ";messageid=". Adapters always fill it; equal to `id`
   * where there is no thread.
   */
  channel: string;
}

/** What every input carries: who, where, when, and the tenant hints the core resolves once. */
export interface InboundBase {
  platform: Platform;
  /** The platform's tenant or workspace id (Entra tenant id, Slack team id); absent for the CLI. */
  externalTenantId?: string;
  /** Explicit Lotse tenant (CLI --tenant); takes precedence over the mapping. */
  tenant?: string;
  /**
   * The platform's user id; the core stores only its pseudonym. `email` where the platform tells it without a further
   * permission (a Slack team_join event with users:read.email, a Teams member lookup on join or install): the core
   * links the user to the same person on the tenant's other platform (pseudonymised, src/core/people.ts), never
   * stores it.
   */
  user: { id: string; name?: string; email?: string };
  conversation: ConversationAddress;
  /**
   * The platform's reference for writing into this conversation later (a Teams ConversationReference, a Slack
   * channel and thread), opaque to the core: stored with the tenant when the core serves the input.
   */
  reference?: unknown;
  receivedAt: Date;
}

/** A message written to Lotse. */
export interface MessageInbound extends InboundBase {
  kind: "message";
  text: string;
  /**
   * False for a message not addressed to Lotse (in a channel thread, without @mention): the core answers it only in
   * a thread where Lotse has answered before. Absent or true: a personal chat, an @mention, a slash command, the CLI.
   */
  addressed?: boolean;
  /** Answer privately to the sender (Slack's /lotse answers ephemerally, with a button to share). */
  private?: boolean;
}

/** A button pressed on something Lotse sent. */
export interface ActionInbound extends InboundBase {
  kind: "action";
  /** Namespaced by the feature that owns it: "feedback.up", "answer.share", later "reminder.pause", … */
  actionId: string;
  /** What the button carries (written by the feature's own codec; forged values are possible: parse, don't trust). */
  value: string;
  /** Opaque reference of the message the button was on, for an update in place. */
  source?: string;
}

/** A form filled in and submitted (a Slack modal, an Adaptive Card with Input.* fields). */
export interface SubmitInbound extends InboundBase {
  kind: "submit";
  /** Namespaced like action ids: "feedback.comment", later "reminder.create", … */
  formId: string;
  values: Record<string, string | string[] | undefined>;
  /** What the form carried from its opening (private metadata of a modal, data of a card's submit action). */
  state?: string;
  source?: string;
}

/**
 * A member joined a team, workspace or channel Lotse is in (the user is the person who joined). `scope`: a Teams team
 * (the conversation is the channel the welcome goes to), a Slack workspace (team_join: the conversation is the
 * user's direct message with Lotse), or a Slack channel (member_joined_channel: the conversation is that channel;
 * whether it is one that starts onboarding is the tenant's setting, decided in the core).
 */
export interface JoinedInbound extends InboundBase {
  kind: "joined";
  scope: "team" | "workspace" | "channel";
}

/** Lotse was installed in a team, chat or for a user. */
export interface InstalledInbound extends InboundBase {
  kind: "installed";
}

/** The user opened Lotse's Home tab (Slack). */
export interface HomeInbound extends InboundBase {
  kind: "home";
}

/** Every input a platform can give Lotse, platform-neutral. No platform type crosses into src/. */
export type Inbound =
  | MessageInbound
  | ActionInbound
  | SubmitInbound
  | JoinedInbound
  | InstalledInbound
  | HomeInbound;

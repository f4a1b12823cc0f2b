import type { Inbound } from "./inbound.ts";
import type { Reply } from "./replies.ts";

/** One input as a feature sees it: the tenant resolved once by the core, the user as a pseudonym. */
export interface Turn<I extends Inbound = Inbound> {
  inbound: I;
  tenant: string;
  /** The user's pseudonym; the platform id stays in `inbound.user.id` for replies that must name the user. */
  user: string;
  /** Aborted when shutdown's grace period ends: check before doing more work. */
  signal?: AbortSignal;
  /**
   * Bookkeeping that need not hold up the reply (recording the turn): runs on after the replies are returned, and
   * shutdown waits for it before the database closes. It must catch its own errors. False when it could not be
   * taken on (shutdown has begun): then the feature awaits the work itself.
   */
  later?: (work: Promise<unknown>) => boolean;
}

/**
 * A feature owns some inputs (by kind, intent, or an action/form id namespace such as "feedback.") and answers them
 * with replies. Features never import an adapter or another feature's store.
 */
export interface Feature {
  readonly name: string;
  owns(inbound: Inbound): boolean;
  handle(turn: Turn): Promise<Reply[]>;
}

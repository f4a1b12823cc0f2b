import type { Templates } from "../assistant/templates.ts";
import { isCoordinator } from "../core/coordinators.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { Inbound, MessageInbound } from "../core/inbound.ts";
import { notice, type Reply } from "../core/replies.ts";
import type { Roster } from "../core/roster.ts";
import type { TenantSettings } from "../core/tenant-settings.ts";
import type { Logger } from "../log.ts";
import type { DeadlineSubscriptions } from "./deadline-subscriptions.ts";
import type { Deadlines } from "./deadlines/deadlines.ts";
import { reminderIntent } from "./reminder-intents.ts";
import { subscribedCard, textCard } from "./reminder-views.ts";
import { nextOccurrences } from "./schedule/occurrences.ts";

export interface DeadlineFeatureDeps {
  subscriptions: Pick<DeadlineSubscriptions, "subscribe" | "unsubscribe">;
  deadlines: Pick<Deadlines, "list">;
  templates: Templates;
  tenantSettings: TenantSettings;
  rosters: Map<Roster["platform"], Roster>;
  log: Logger;
  clock?: () => Date;
}

/**
 * "fristen abonnieren" / "fristen abbestellen": a coordinator subscribes a channel or group chat to all of the
 * tenant's deadlines, each announced the tenant's lead days before (default 14 and 2), or ends the subscription.
 */
export class DeadlineFeature implements Feature {
  readonly name = "deadlines";
  private readonly deps: DeadlineFeatureDeps;
  private readonly now: () => Date;

  constructor(deps: DeadlineFeatureDeps) {
    this.deps = deps;
    this.now = deps.clock ?? (() => new Date());
  }

  owns(inbound: Inbound): boolean {
    if (inbound.kind !== "message") return false;
    const intent = reminderIntent(inbound.text)?.kind;
    return intent === "subscribe" || intent === "unsubscribe";
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const msg = turn.inbound as MessageInbound;
    const { templates, tenantSettings, log } = this.deps;
    const settings = tenantSettings.of(turn.tenant);
    const say = (text: string): Reply[] => [notice(text, { private: true })];
    if (msg.platform === "cli") return say(templates.label("reminder-platform-only"));
    const platform = msg.platform;
    if (msg.conversation.kind === "personal") return say(templates.label("deadline-channel-only"));
    if (!(await isCoordinator(msg, settings, this.deps.rosters.get(platform)))) {
      log.info(
        { event: "deadline_subscription_refused", tenant: turn.tenant, platform },
        "not a coordinator",
      );
      return say(templates.label("deadline-refused"));
    }
    // A subscription belongs to the channel, whichever post or thread it was asked for in.
    const conversationId = msg.conversation.channel;
    const asked = msg.private ? { private: true } : {};
    if (reminderIntent(msg.text)?.kind === "unsubscribe") {
      const ended = await this.deps.subscriptions.unsubscribe(turn.tenant, platform, conversationId);
      const text = templates.label(ended ? "deadline-unsubscribed" : "deadline-not-subscribed");
      return [{ kind: "card", card: textCard(text), ...asked }];
    }
    const now = this.now();
    const { created } = await this.deps.subscriptions.subscribe(
      {
        tenant: turn.tenant,
        platform,
        conversationId,
        leadDays: settings.deadlineLeadDays,
        creatorPseudonym: turn.user,
      },
      now,
    );
    const deadlines = (await this.deps.deadlines.list(turn.tenant)).map((d) => {
      const next = nextOccurrences(d.rrule, now, 1, { inclusive: true })[0];
      return { title: d.title, ...(next ? { next } : {}) };
    });
    return [
      {
        kind: "card",
        card: subscribedCard(templates, { created, deadlines, leadDays: settings.deadlineLeadDays }),
        ...asked,
      },
    ];
  }
}

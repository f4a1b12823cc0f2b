import type { Templates } from "../assistant/templates.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { ActionInbound, Inbound } from "../core/inbound.ts";
import type { Notifier } from "../core/notifier.ts";
import type { People } from "../core/people.ts";
import type { Button, Card, CardSection, Reply } from "../core/replies.ts";
import type { Roster } from "../core/roster.ts";
import type { TenantSettings } from "../core/tenant-settings.ts";
import type { Database } from "../db/database.ts";
import { LotseError } from "../errors.ts";
import type { Contact } from "../knowledge/types.ts";
import type { Logger } from "../log.ts";
import { isOnboardingRequest } from "./onboarding-intents.ts";
import { modulesOf, type OnboardingPaths, roleOf } from "./onboarding-paths.ts";
import { type OnboardingStep, OnboardingSteps } from "./onboarding-steps.ts";
import { startButton } from "./onboarding-views.ts";

/** What the onboarding feature needs; the lead wires it in runtime.ts. */
export interface OnboardingFeatureDeps {
  db: Database;
  paths: Pick<OnboardingPaths, "of">;
  people: Pick<People, "personOf" | "link">;
  /** Platforms that tell a user's email outside a join (Roster.emailOf): links a colleague at their first step. */
  rosters?: ReadonlyMap<Roster["platform"], Roster>;
  templates: Templates;
  tenantSettings: TenantSettings;
  notifiers: Map<Notifier["platform"], Notifier>;
  /** The tenant's contacts by role (runtime: assistant.contacts(tenant)). */
  contacts: (tenant: string) => Promise<Map<string, Contact>>;
  log: Logger;
  /** Something was planned (a nudge): the scheduler looks again. */
  wake?: () => void;
}

/**
 * Onboarding in chat: "onboarding" / "einarbeitung" / "/lotse onboarding" and the "onboarding." buttons. A module is
 * one card (text, links, check question as buttons); the choice is explained either way; "Weiter", "Zurück",
 * "Später fortsetzen" (a personal nudge through the scheduler). In a personal chat steps replace the card they came
 * from; from a channel, group or thread the card goes personally through the Notifier. Progress is the person's
 * (People.personOf), so it resumes across restarts, replicas and linked platforms. Also what HelpFeature shows of it
 * in the welcome and on the Home tab (OnboardingEntry).
 */
export class OnboardingFeature implements Feature {
  readonly name = "onboarding";
  private readonly deps: OnboardingFeatureDeps;
  private readonly steps: OnboardingSteps;

  constructor(deps: OnboardingFeatureDeps) {
    this.deps = deps;
    this.steps = new OnboardingSteps(deps);
  }

  owns(inbound: Inbound): boolean {
    if (inbound.kind === "message") return isOnboardingRequest(inbound.text);
    return inbound.kind === "action" && inbound.actionId.startsWith("onboarding.");
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const step = await this.steps.take(turn);
    return this.deliver(turn, step);
  }

  /** "Onboarding starten": the button the welcome and the Home tab carry. */
  startButton(): Button {
    return startButton(this.deps.templates);
  }

  /** The offer line of the welcome ("Neu dabei? … 6 kurzen Modulen …"); undefined where the tenant has no path. */
  async offerText(tenant: string): Promise<string | undefined> {
    const path = await this.deps.paths.of(tenant);
    if (path.common.length === 0) return undefined;
    return this.deps.templates.label("onboarding-offer", { count: path.common.length });
  }

  /**
   * Whether a member who joined this Slack channel is offered onboarding: the channel is one of the tenant's
   * onboarding.slackChannels, the tenant has a path, and the person has no progress yet.
   */
  async offersOnChannelJoin(turn: Turn): Promise<boolean> {
    const { inbound } = turn;
    if (inbound.kind !== "joined" || inbound.scope !== "channel" || inbound.platform !== "slack")
      return false;
    if (
      !this.deps.tenantSettings
        .of(turn.tenant)
        .onboarding.slackChannels.includes(inbound.conversation.channel)
    )
      return false;
    if ((await this.deps.paths.of(turn.tenant)).common.length === 0) return false;
    return (await this.steps.progressOf(turn)) === undefined;
  }

  /** Sends a card to the user of the turn personally (their chat with Lotse); false when it did not arrive. */
  async sendPersonally(turn: Turn, card: Card): Promise<boolean> {
    const { inbound } = turn;
    const notifier = inbound.platform === "cli" ? undefined : this.deps.notifiers.get(inbound.platform);
    if (!notifier) return false;
    try {
      const sent = await notifier.send(
        { kind: "user", userId: inbound.user.id, tenant: turn.tenant },
        { kind: "card", card },
      );
      if (!sent.ok)
        this.deps.log.info(
          { reason: sent.reason, platform: inbound.platform },
          "onboarding not delivered personally",
        );
      return sent.ok;
    } catch (err) {
      const code = err instanceof LotseError ? err.code : "INTERNAL";
      this.deps.log.warn({ code, platform: inbound.platform }, "onboarding not delivered personally");
      return false;
    }
  }

  /** The user's own progress for the Home tab: one section and the button to start or continue. */
  async homeSection(turn: Turn): Promise<{ section: CardSection; button?: Button } | undefined> {
    const { templates: t } = this.deps;
    const path = await this.deps.paths.of(turn.tenant);
    if (path.common.length === 0) return undefined;
    const p = await this.steps.progressOf(turn);
    const heading = t.label("onboarding-home-heading");
    if (!p?.currentModule)
      return {
        section: { heading, text: t.label("onboarding-home-not-started", { count: path.common.length }) },
        button: startButton(t),
      };
    const modules = modulesOf(path, p.role);
    const role = roleOf(path, p.role);
    const roleLine = role ? t.label("onboarding-home-role", { label: role.label }) : undefined;
    if (p.status === "completed")
      return {
        section: {
          heading,
          text: [t.label("onboarding-home-done", { total: modules.length }), roleLine]
            .filter(Boolean)
            .join("\n"),
        },
      };
    const index = Math.max(
      0,
      modules.findIndex((m) => m.id === p.currentModule),
    );
    const current = modules[index];
    const vars = { index: index + 1, total: modules.length, title: current?.shortTitle ?? "" };
    const line = t.label(p.status === "paused" ? "onboarding-home-paused" : "onboarding-home-progress", vars);
    return {
      section: { heading, text: [line, roleLine].filter(Boolean).join("\n") },
      button: startButton(t, true),
    };
  }

  /**
   * The step's card where the user is: replacing the card of a button in a personal chat, as a new card for a
   * message there, and personally through the Notifier from anywhere else (with a private notice where it went).
   */
  private async deliver(turn: Turn, step: OnboardingStep): Promise<Reply[]> {
    const { inbound } = turn;
    const { templates: t } = this.deps;
    if (step.kind === "notice") return [{ kind: "notice", text: step.text, private: true }];
    const isPrivate = inbound.kind === "message" && inbound.private === true;
    const personal = inbound.conversation.kind === "personal" || inbound.platform === "cli";
    if (personal && inbound.kind === "action" && (inbound as ActionInbound).source !== undefined)
      return [{ kind: "update", card: step.card }];
    if (personal && (inbound.kind === "message" || inbound.platform === "cli"))
      return [{ kind: "card", card: step.card, ...(isPrivate ? { private: true } : {}) }];
    // A channel, group or thread — or a button with no message to update (the Slack Home tab): personally.
    if (await this.sendPersonally(turn, step.card))
      return personal ? [] : [{ kind: "notice", text: t.label("onboarding-sent-personally"), private: true }];
    const how =
      inbound.platform === "teams" ? "onboarding-open-personal-teams" : "onboarding-open-personal-slack";
    return [{ kind: "notice", text: t.label(how), private: true }];
  }
}

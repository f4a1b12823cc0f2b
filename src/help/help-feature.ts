import type { Templates } from "../assistant/templates.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { FirstContact } from "../core/first-contact.ts";
import type { Inbound } from "../core/inbound.ts";
import type { Button, Card, CardSection, Reply } from "../core/replies.ts";
import { toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** Joins within this long are one occasion of one personal welcome (Slack sends team_join and channel joins apart). */
const WELCOME_OCCASION_MS = 10 * 60_000;

/** Words that ask for help rather than ask a question ("/lotse" alone, "hilfe", "?"). */
const HELP = /^(hilfe|help|\?)?$/i;

/**
 * What the welcome and the Home tab show of onboarding, provided by the onboarding feature (OnboardingFeature
 * implements it; wired by the composition root, so help imports no other feature).
 */
export interface OnboardingEntry {
  /** "Onboarding starten". */
  startButton(): Button;
  /** The offer line under the welcome; undefined where the tenant has no onboarding path. */
  offerText(tenant: string): Promise<string | undefined>;
  /** Whether a member who joined this (Slack) channel is offered onboarding: a configured channel, no progress yet. */
  offersOnChannelJoin(turn: Turn): Promise<boolean>;
  /** Sends a card to the turn's user personally; false when it did not arrive. */
  sendPersonally(turn: Turn, card: Card): Promise<boolean>;
  /** The user's own progress and the button to start or continue, for the Home tab. */
  homeSection(turn: Turn): Promise<{ section: CardSection; button?: Button } | undefined>;
}

export interface HelpFeatureDeps {
  templates: Templates;
  firstContact: FirstContact;
  log: Logger;
  /** Without it: the welcome and Home tab as before onboarding, and no word on a Slack channel join. */
  onboarding?: OnboardingEntry;
}

/**
 * Help, welcome and the Home tab: "hilfe" or an empty message gets the help; a member who joins a Teams team or a
 * Slack workspace, and an installation, get the welcome with the automated-assistant notice and "Onboarding
 * starten"; a member who joins one of the tenant's onboarding channels in Slack gets the offer personally (the
 * channel hears nothing); the Home tab shows the user's onboarding progress above the help and how to ask.
 */
export class HelpFeature implements Feature {
  readonly name = "help";
  private readonly deps: HelpFeatureDeps;

  constructor(deps: HelpFeatureDeps) {
    this.deps = deps;
  }

  owns(inbound: Inbound): boolean {
    if (inbound.kind === "message") return HELP.test(inbound.text.trim());
    return inbound.kind === "joined" || inbound.kind === "installed" || inbound.kind === "home";
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const { templates } = this.deps;
    const inbound = turn.inbound;
    if (inbound.kind === "home") return [{ kind: "card", card: await this.home(turn) }];
    if (inbound.kind === "joined" && inbound.scope === "channel") {
      await this.channelJoin(turn);
      return [];
    }
    if (inbound.kind === "joined" || inbound.kind === "installed") {
      // A Slack member joining the workspace is welcomed personally, once: a default channel's join may come too.
      if (inbound.kind === "joined" && inbound.scope === "workspace" && !(await this.firstWelcome(turn)))
        return [];
      const card = await this.welcome(turn.tenant);
      await this.noticeShown(turn);
      return [{ kind: "card", card }];
    }
    const isPrivate = inbound.kind === "message" && inbound.private === true;
    return [
      {
        kind: "card",
        card: { sections: [{ text: templates.render("help") }] },
        ...(isPrivate ? { private: true } : {}),
      },
    ];
  }

  /** The welcome with the automated-assistant notice, and the onboarding offer where the tenant has a path. */
  private async welcome(tenant: string): Promise<Card> {
    const { templates, onboarding } = this.deps;
    const sections: CardSection[] = [
      { text: templates.render("welcome") },
      { text: templates.label("ai-notice") },
    ];
    const offer = await this.offer(tenant);
    if (!offer || !onboarding) return { sections };
    return { sections: [...sections, { text: offer }], buttons: [onboarding.startButton()] };
  }

  /** A member joined a Slack channel: the welcome with the offer personally, only for the tenant's onboarding channels. */
  private async channelJoin(turn: Turn): Promise<void> {
    const { onboarding, log } = this.deps;
    if (!onboarding) return;
    try {
      if (!(await onboarding.offersOnChannelJoin(turn))) return;
      if (!(await this.firstWelcome(turn))) return;
      if (await onboarding.sendPersonally(turn, await this.welcome(turn.tenant)))
        await this.noticeShown(turn);
      else await this.deps.firstContact.release(turn.inbound.platform, turn.user, "personal-welcome");
    } catch (err) {
      log.warn({ err: toLotseError(err) }, "onboarding offer on channel join not sent");
    }
  }

  /** The Home tab: the user's onboarding progress (with its button), then the help and how to ask. */
  private async home(turn: Turn): Promise<Card> {
    const { templates, onboarding, log } = this.deps;
    const help: CardSection[] = [
      { text: templates.render("help") },
      { text: templates.label("home-how-to-ask") },
    ];
    const progress = await onboarding?.homeSection(turn).catch((err: unknown) => {
      log.warn({ err: toLotseError(err) }, "onboarding progress not shown on the Home tab");
      return undefined;
    });
    return {
      title: templates.label("home-title"),
      sections: progress ? [progress.section, ...help] : help,
      ...(progress?.button ? { buttons: [progress.button] } : {}),
    };
  }

  private async offer(tenant: string): Promise<string | undefined> {
    return this.deps.onboarding?.offerText(tenant).catch((err: unknown) => {
      this.deps.log.warn({ err: toLotseError(err) }, "onboarding offer not shown");
      return undefined;
    });
  }

  /**
   * Whether this join's personal welcome is the first of its occasion (and records it): team_join and a default
   * channel's member_joined_channel arrive together for a new Slack member, on any replica; whichever claims first
   * welcomes. A join later on (an onboarding channel next week) is an occasion of its own.
   */
  private async firstWelcome(turn: Turn): Promise<boolean> {
    if (turn.inbound.platform === "cli") return true;
    return this.deps.firstContact.claimWithin(
      turn.inbound.platform,
      turn.user,
      "personal-welcome",
      WELCOME_OCCASION_MS,
    );
  }

  /** The welcome carries the automated-assistant notice: the user's first answer then needs none. */
  private async noticeShown(turn: Turn): Promise<void> {
    if (turn.inbound.platform === "cli") return;
    await this.deps.firstContact
      .claim(turn.inbound.platform, turn.user, "ai-notice")
      .catch((err: unknown) =>
        this.deps.log.warn({ err: toLotseError(err) }, "first-contact notice not recorded"),
      );
  }
}

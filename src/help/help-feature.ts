import type { Templates } from "../assistant/templates.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { FirstContact } from "../core/first-contact.ts";
import type { Inbound } from "../core/inbound.ts";
import type { Card, Reply } from "../core/replies.ts";
import { toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** Words that ask for help rather than ask a question ("/lotse" alone, "hilfe", "?"). */
const HELP = /^(hilfe|help|\?)?$/i;

/**
 * Help, welcome and the Home tab: "hilfe" or an empty message gets the help; a member who joins and an installation
 * get the welcome with the automated-assistant notice; the Home tab shows the help and how to ask.
 */
export class HelpFeature implements Feature {
  readonly name = "help";
  private readonly deps: { templates: Templates; firstContact: FirstContact; log: Logger };

  constructor(deps: { templates: Templates; firstContact: FirstContact; log: Logger }) {
    this.deps = deps;
  }

  owns(inbound: Inbound): boolean {
    if (inbound.kind === "message") return HELP.test(inbound.text.trim());
    return inbound.kind === "joined" || inbound.kind === "installed" || inbound.kind === "home";
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const { templates } = this.deps;
    const inbound = turn.inbound;
    if (inbound.kind === "home") {
      const card: Card = {
        title: templates.label("home-title"),
        sections: [{ text: templates.render("help") }, { text: templates.label("home-how-to-ask") }],
      };
      return [{ kind: "card", card }];
    }
    if (inbound.kind === "joined" || inbound.kind === "installed") {
      await this.noticeShown(turn);
      return [
        {
          kind: "card",
          card: { sections: [{ text: templates.render("welcome") }, { text: templates.label("ai-notice") }] },
        },
      ];
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

import type { App, types } from "@slack/bolt";
import { toLotseError } from "../../src/errors.ts";
import { renderTextBlocks } from "./render-blocks.ts";
import type { ListenerContext } from "./slack-listeners.ts";

const SUGGESTED_PROMPTS = [
  { title: "Beschaffung", message: "Welche Kriterien gelten für die Beschaffung von Laptops?" },
  { title: "Fristen", message: "Bis wann muss die Wärmeplanung fertig sein?" },
  { title: "Unsere Ziele", message: "Welche Nachhaltigkeitsziele hat unsere Verwaltung?" },
  { title: "Zuständig", message: "Wer ist bei uns für Nachhaltigkeit zuständig?" },
];

/** The Home tab (help and how to ask) and, in the agent view's Messages tab, the suggested prompts. */
export function registerHomeListener(bolt: App, ctx: Pick<ListenerContext, "runtime" | "log">): void {
  const { runtime, log } = ctx;
  bolt.event("app_home_opened", async ({ event, client }) => {
    if (event.tab === "messages") {
      await client.assistant.threads
        .setSuggestedPrompts({ channel_id: event.channel, prompts: SUGGESTED_PROMPTS })
        .catch((err: unknown) => log.debug({ err: toLotseError(err) }, "suggested prompts not set"));
      return;
    }
    await client.views.publish({
      user_id: event.user,
      view: {
        type: "home",
        blocks: [
          { type: "header", text: { type: "plain_text", text: "Lotse – Nachhaltigkeitsassistent" } },
          ...renderTextBlocks(runtime.templates.render("help")).blocks,
          {
            type: "context",
            elements: [
              {
                type: "mrkdwn",
                text: "Fragen Sie im Tab *Nachrichten*, mit `/lotse &lt;Frage&gt;` oder mit @Lotse in einem Kanal.",
              },
            ],
          },
        ],
      } as unknown as types.HomeView, // our renderer builds plain Block Kit JSON
    });
  });
}

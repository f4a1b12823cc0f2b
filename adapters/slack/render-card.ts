import type { Card, CardSection } from "../../src/core/replies.ts";
import {
  actionsBlock,
  type Block,
  contactsBlocks,
  documentMrkdwn,
  LIMITS,
  message,
  plainText,
  type SlackMessage,
  sections,
  sourcesBlock,
  textMrkdwn,
  truncate,
} from "./render-blocks.ts";

/** One card section: its heading in bold over its text, its facts as fields, its items as a bulleted list. */
function sectionBlocks(section: CardSection): Block[] {
  const blocks: Block[] = [];
  const lines = [
    section.heading ? `*${documentMrkdwn(section.heading)}*` : "",
    section.text ? textMrkdwn(section.text) : "",
    ...(section.items ?? []).map((item) => `• ${documentMrkdwn(item)}`),
  ].filter(Boolean);
  if (lines.length > 0) blocks.push(...sections(lines.join("\n")));
  const facts = section.facts ?? [];
  for (let i = 0; i < facts.length; i += LIMITS.fields)
    blocks.push({
      type: "section",
      fields: facts.slice(i, i + LIMITS.fields).map((f) => ({
        type: "mrkdwn",
        text: truncate(`*${documentMrkdwn(f.label)}*\n${documentMrkdwn(f.value)}`, LIMITS.fieldText),
      })),
    });
  return blocks;
}

/** The fallback text of a card: its title, else its first text. */
function fallbackOf(card: Card): string {
  const first =
    card.title ?? card.sections.find((s) => s.text || s.heading)?.text ?? card.sections[0]?.heading;
  return documentMrkdwn(first ?? "");
}

/**
 * A card as Block Kit blocks: its title as a header, its sections (heading, text, facts, items), sources, contacts
 * and buttons (an action id and value, or a URL). The blocks alone serve the Home tab; `renderCard` makes a message.
 */
export function cardBlocks(card: Card): Block[] {
  const blocks: Block[] = [];
  if (card.title) blocks.push({ type: "header", text: plainText(card.title, LIMITS.headerText) });
  for (const section of card.sections) blocks.push(...sectionBlocks(section));
  const sources = card.sources ? sourcesBlock(card.sources.citations, card.sources.heading) : undefined;
  if (sources) blocks.push(sources);
  blocks.push(...contactsBlocks(card.contacts));
  const actions = actionsBlock(card.buttons, "card_actions");
  // The buttons are the last block: kept when a long card is cut to fifty blocks.
  return [...blocks.slice(0, LIMITS.blocks - actions.length), ...actions];
}

/** A card as a Slack message. */
export function renderCard(card: Card): SlackMessage {
  return message(fallbackOf(card), cardBlocks(card));
}

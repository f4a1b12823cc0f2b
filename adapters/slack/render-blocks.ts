import type { Citation } from "../../src/assistant/answer.ts";
import type { Button, ContactsBlock } from "../../src/core/replies.ts";
import { asOfLabel } from "../../src/knowledge/as-of.ts";
import { encodeChars, safeUrl } from "../../src/text/safe-url.ts";
import { decodeHtmlEntities } from "./html-entities.ts";
import { ACTION_ID_SUFFIX } from "./slack-routes.ts";

/**
 * What every Slack renderer shares: Block Kit's limits, the one escaping helper (and its variant for document text),
 * the one truncation helper, and the blocks answers, cards and notices have in common (sources, contacts, buttons).
 */

/** Block Kit limits that matter here (Slack rejects a message or view beyond them). */
export const LIMITS = {
  sectionText: 3000,
  blocks: 50,
  modalBlocks: 100,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  actionElements: 25,
  contextElements: 10,
  contextText: 3000,
  fields: 10,
  fieldText: 2000,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  initialValue: 3000,
  optionText: 75,
  optionValue: 150,
  options: 100,
  privateMetadata: 3000,
};

export type Block = Record<string, unknown>;

/** A Slack message's content: the fallback text (notifications, screen readers) and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Text as literal mrkdwn: &, < and > escaped, so "<!channel>" or "<@U123>" pings nobody (for what users typed). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Text from documents and prompts/ as mrkdwn. They are Markdown, where "&amp;" means "&": known HTML entities are
 * decoded first, so Slack shows what the document means instead of "&amp;amp;", then &, < and > are escaped.
 */
export function documentMrkdwn(text: string): string {
  return escapeMrkdwn(decodeHtmlEntities(text));
}

/** A mrkdwn link; only http(s), mailto and tel targets, and a label that cannot end the link early. */
export function mrkdwnLink(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  const text = documentMrkdwn(label).replace(/\|/g, "¦");
  return safe ? `<${encodeChars(safe, /[<>|\s]/g)}|${text}>` : text;
}

/** The first `max` characters of escaped mrkdwn, shortened so that no &amp;, &lt; or &gt; is cut in two. */
function headOf(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn;
  const head = mrkdwn.slice(0, max);
  const amp = head.lastIndexOf("&", max - 1);
  return amp > max - 5 && !head.slice(amp).includes(";") ? head.slice(0, amp) : head;
}

/** The one truncation helper: at most `max` characters, ending in " …" when cut, never inside an escape. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${headOf(text, max - 2)} …`;
}

/** A plain_text object (no mrkdwn: Slack shows it as written), within `max` characters. */
export function plainText(text: string, max: number): { type: "plain_text"; text: string; emoji: true } {
  return { type: "plain_text", text: truncate(decodeHtmlEntities(text), max) || " ", emoji: true };
}

/** Sections of at most LIMITS.sectionText characters, cut at line ends where possible. */
export function sections(mrkdwn: string): Block[] {
  const out: Block[] = [];
  let rest = mrkdwn;
  while (rest.length > 0) {
    let piece = headOf(rest, LIMITS.sectionText);
    if (rest.length > LIMITS.sectionText) {
      const at = piece.lastIndexOf("\n");
      if (at > LIMITS.sectionText / 2) piece = piece.slice(0, at);
    }
    out.push({ type: "section", text: { type: "mrkdwn", text: piece } });
    rest = rest.slice(piece.length).replace(/^\n/, "");
  }
  return out;
}

/** Text from prompts/ or a document, with its "- " bullets as "•". */
export function textMrkdwn(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.startsWith("- ") ? `• ${documentMrkdwn(line.slice(2))}` : documentMrkdwn(line)))
    .join("\n");
}

/** One line of context in small print (a notice above an answer, a shared answer's intro). */
export function contextLine(mrkdwn: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(mrkdwn, LIMITS.contextText) }] };
}

/** Citations as a context block: "[1] <url|Titel> – Abschnitt, S. 3 (Stand: März 2026)", at most ten. */
export function sourcesBlock(citations: Citation[], heading?: string): Block | undefined {
  if (citations.length === 0) return undefined;
  const room = heading ? LIMITS.contextElements - 1 : LIMITS.contextElements;
  const elements = citations.slice(0, room).map((c, i) => {
    const where = [c.section, c.page !== undefined ? `S. ${c.page}` : ""].filter(Boolean).join(", ");
    return {
      type: "mrkdwn",
      text: truncate(
        `[${i + 1}] ${mrkdwnLink(c.title, c.url)}${where ? ` – ${documentMrkdwn(where)}` : ""}${c.asOf ? ` (${asOfLabel(c.asOf)})` : ""}`,
        2900,
      ),
    };
  });
  return {
    type: "context",
    elements: heading ? [{ type: "mrkdwn", text: `*${documentMrkdwn(heading)}*` }, ...elements] : elements,
  };
}

/** Contacts under their heading: role, name and unit, email, phone and the Slack user where known. */
export function contactsBlocks(block: ContactsBlock | undefined): Block[] {
  if (!block || block.contacts.length === 0) return [];
  const lines = block.contacts.map((c) => {
    const who = [c.name, c.unit ? `(${c.unit})` : ""].filter(Boolean).join(" ");
    const reach = [
      c.email ? mrkdwnLink(c.email, `mailto:${c.email}`) : "",
      c.phone ? mrkdwnLink(c.phone, `tel:${c.phone.replace(/[^\d+]/g, "")}`) : "",
      c.slackUserId && /^[UW][A-Z0-9]+$/.test(c.slackUserId) ? `<@${c.slackUserId}>` : "",
    ].filter(Boolean);
    return `• *${documentMrkdwn(c.role)}:* ${documentMrkdwn(who)}${reach.length ? ` · ${reach.join(" · ")}` : ""}`;
  });
  return sections(`*${documentMrkdwn(block.heading)}*\n${lines.join("\n")}`);
}

/**
 * A button as Block Kit: an action (its action id and value, as the feature wrote them) or a link. Link buttons get
 * "link_N" (Slack still sends block_actions for them, which slack-routes.ts acknowledges).
 */
export function buttonElement(button: Button, index: number): Block | undefined {
  const text = plainText(button.label, LIMITS.buttonText);
  if ("url" in button) {
    const url = safeUrl(button.url);
    if (!url || url.length > LIMITS.buttonUrl) return undefined;
    return { type: "button", action_id: `link_${index}`, text, url };
  }
  // A longer value is refused by Slack; the feature's codec keeps within it, so this only guards against a bug.
  if (button.value.length > LIMITS.buttonValue) return undefined;
  return {
    type: "button",
    action_id: button.actionId,
    text,
    value: button.value,
    ...(button.style ? { style: button.style } : {}),
  };
}

/**
 * Buttons in an actions block (at most 25), or nothing. Slack refuses a block whose action ids repeat, and a list
 * card has one "reminder.pause" per reminder: a repeated id gets "~N" (its position), which routeAction() strips.
 */
export function actionsBlock(buttons: Button[] | undefined, blockId: string, offset = 0): Block[] {
  const seen = new Set<string>();
  const elements = (buttons ?? [])
    .flatMap((b, i) => {
      const element = buttonElement(b, offset + i);
      if (!element) return [];
      const id = String(element.action_id);
      if (seen.has(id)) element.action_id = `${id}${ACTION_ID_SUFFIX}${offset + i}`;
      seen.add(String(element.action_id));
      return [element];
    })
    .slice(0, LIMITS.actionElements);
  return elements.length > 0 ? [{ type: "actions", block_id: blockId, elements }] : [];
}

/** A message from blocks and a fallback text, within Slack's limits (blocks beyond fifty are dropped). */
export function message(fallback: string, blocks: Block[]): SlackMessage {
  return { text: truncate(fallback, LIMITS.sectionText) || " ", blocks: blocks.slice(0, LIMITS.blocks) };
}

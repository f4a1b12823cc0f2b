import type { NeutralButton, NeutralReply } from "./neutral.ts";

/**
 * Slack's Block Kit as the scenario suite reads it: a message or view reduced to neutral facts (text, headings,
 * buttons, links, mentions) and the Block Kit limits it breaks.
 */

type Block = Record<string, unknown>;
type Text = { type?: string; text?: string };
/** Where a reply was shown: for pressing its buttons. */
export type SlackHandle = { channel: string; ts: string; threadTs?: string; text: string };

/** Block Kit's limits (https://api.slack.com/reference/block-kit), checked on what the fake received. */
const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  // chat.postMessage truncates `text` beyond 40,000 characters.
  text: 40_000,
};

/** mrkdwn as a user reads it; links and mentions collected. */
function readMrkdwn(
  mrkdwn: string,
  into: { links: string[]; mentions: string[]; headings: string[] },
): string {
  for (const line of mrkdwn.split("\n")) {
    const h = /^\*([^*]+)\*$/.exec(line.trim());
    if (h) into.headings.push(decode(h[1] as string).replace(/:$/, ""));
  }
  const shown = mrkdwn.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const [target = "", label] = inner.split("|");
    if (target.startsWith("!")) {
      const what = target.slice(1).split("^")[0] as string;
      into.mentions.push(what);
      return `@${label ?? what}`;
    }
    if (target.startsWith("@") || target.startsWith("#")) {
      into.mentions.push(target.slice(1));
      return `@${label ?? target.slice(1)}`;
    }
    into.links.push(target);
    return label ?? target;
  });
  return decode(shown);
}

const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** A Block Kit message as neutral facts. */
export function neutralSlack(
  message: { blocks?: unknown; text?: unknown },
  isPrivate: boolean,
  handle: SlackHandle,
): NeutralReply {
  const blocks = (Array.isArray(message.blocks) ? message.blocks : []) as Block[];
  const found = { links: [] as string[], mentions: [] as string[], headings: [] as string[] };
  const lines: string[] = [];
  const buttons: NeutralButton[] = [];
  const over: string[] = [];
  const fallback = String(message.text ?? "");
  if (blocks.length > LIMITS.blocks) over.push(`${blocks.length} blocks > ${LIMITS.blocks}`);
  if (fallback.length > LIMITS.text) over.push(`text ${fallback.length} > ${LIMITS.text}`);
  const button = (e: Block) => {
    const label = (e.text as Text | undefined)?.text ?? "";
    if (label.length > LIMITS.buttonText) over.push(`button text ${label.length} > ${LIMITS.buttonText}`);
    if (typeof e.value === "string" && e.value.length > LIMITS.buttonValue)
      over.push(`button value ${e.value.length} > ${LIMITS.buttonValue}`);
    if (typeof e.url === "string") {
      if (e.url.length > LIMITS.buttonUrl) over.push(`button url ${e.url.length} > ${LIMITS.buttonUrl}`);
      found.links.push(e.url);
    }
    buttons.push({
      label,
      // The core's id: a repeated one is made unique in its block ("reminder.pause~2"), which routing undoes.
      ...(typeof e.action_id === "string" && typeof e.url !== "string"
        ? { actionId: e.action_id.replace(/~\d+$/, "") }
        : {}),
      ...(typeof e.value === "string" ? { value: e.value } : {}),
      ...(typeof e.url === "string" ? { url: e.url } : {}),
    });
  };
  const text = (t: Text | undefined, limit: number, where: string) => {
    if (!t?.text) return;
    if (t.text.length > limit) over.push(`${where} text ${t.text.length} > ${limit}`);
    lines.push(t.type === "plain_text" ? t.text : readMrkdwn(t.text, found));
  };
  for (const b of blocks) {
    switch (b.type) {
      case "section":
        text(b.text as Text, LIMITS.sectionText, "section");
        for (const f of (b.fields as Text[] | undefined) ?? []) text(f, 2000, "field");
        if ((b.accessory as Block | undefined)?.type === "button") button(b.accessory as Block);
        break;
      case "header":
        text(b.text as Text, LIMITS.headerText, "header");
        found.headings.push(String((b.text as Text).text ?? ""));
        break;
      case "context": {
        const elements = (b.elements as Text[] | undefined) ?? [];
        if (elements.length > LIMITS.contextElements)
          over.push(`context elements ${elements.length} > ${LIMITS.contextElements}`);
        for (const e of elements) text(e, 3000, "context");
        break;
      }
      case "actions": {
        const elements = (b.elements as Block[] | undefined) ?? [];
        if (elements.length > LIMITS.actionElements)
          over.push(`action elements ${elements.length} > ${LIMITS.actionElements}`);
        for (const e of elements) if (e.type === "button") button(e);
        // Slack refuses a message whose action ids repeat within one block.
        const ids = elements.map((e) => e.action_id).filter((id) => typeof id === "string");
        if (new Set(ids).size < ids.length) over.push(`repeated action_id in block ${String(b.block_id)}`);
        break;
      }
      default:
        break;
    }
  }
  // A message without blocks shows its text.
  if (blocks.length === 0 && fallback) lines.push(readMrkdwn(fallback, found));
  return {
    text: lines.join("\n"),
    headings: found.headings,
    buttons,
    links: found.links,
    mentions: found.mentions,
    private: isPrivate,
    overLimits: over,
    handle,
  };
}

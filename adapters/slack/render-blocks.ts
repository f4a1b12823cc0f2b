import type { Answer } from "../../src/assistant/answer.ts";
import { asOfLabel } from "../../src/knowledge/as-of.ts";
import { encodeChars, safeUrl } from "../../src/text/safe-url.ts";
import { decodeHtmlEntities } from "./html-entities.ts";

/** Block Kit limits that matter here (Slack rejects a message beyond them). */
export const LIMITS = {
  sectionText: 3000,
  blocks: 50,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
};

export type Block = Record<string, unknown>;

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

const cut = (s: string, max: number) => (s.length <= max ? s : `${headOf(s, max - 2)} …`);

/** Sections of at most LIMITS.sectionText characters, cut at line ends where possible. */
function sections(mrkdwn: string): Block[] {
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

/** The answer text: Lotse's own "- " bullets become "•", everything else is escaped. */
function answerText(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.startsWith("- ") ? `• ${documentMrkdwn(line.slice(2))}` : documentMrkdwn(line)))
    .join("\n");
}

/** What the 👍/👎 buttons carry: the question and the cited documents, within a button value's 2,000 characters. */
export function feedbackValue(question: string, docIds: string[]): string {
  const d = [...new Set(docIds)].slice(0, 10);
  let q = question;
  while (JSON.stringify({ q, d }).length > LIMITS.buttonValue) q = q.slice(0, Math.floor(q.length * 0.8));
  return JSON.stringify({ q, d });
}

export interface RenderOptions {
  question: string;
  tenantName: string;
  /** Ephemeral answers to /lotse offer a button that posts the answer into the channel. */
  shareButton?: boolean;
  /** Answers carry 👍/👎 unless switched off (proactive messages). */
  feedback?: boolean;
}

/** The answer as Block Kit: text, sources in a context block, goals, next-step buttons, contacts, 👍/👎. */
export function renderAnswerBlocks(
  answer: Answer,
  options: RenderOptions,
): { text: string; blocks: Block[] } {
  const blocks: Block[] = [...sections(answerText(answer.text))];
  if (answer.citations.length > 0) {
    const elements = answer.citations.slice(0, LIMITS.contextElements).map((c, i) => {
      const where = [c.section, c.page !== undefined ? `S. ${c.page}` : ""].filter(Boolean).join(", ");
      return {
        type: "mrkdwn",
        text: cut(
          `[${i + 1}] ${mrkdwnLink(c.title, c.url)}${where ? ` – ${documentMrkdwn(where)}` : ""}${c.asOf ? ` (${asOfLabel(c.asOf)})` : ""}`,
          2900,
        ),
      };
    });
    blocks.push({ type: "context", elements });
  }
  if (answer.goals.length > 0) {
    const lines = answer.goals.map((g) => `• *${documentMrkdwn(g.title)}:* ${documentMrkdwn(g.text)}`);
    blocks.push(
      ...sections(`*Was ${documentMrkdwn(options.tenantName)} sich vorgenommen hat*\n${lines.join("\n")}`),
    );
  }
  const steps = answer.nextSteps.flatMap((s, i) => {
    const url = safeUrl(s.url);
    return url
      ? [
          {
            type: "button",
            action_id: `next_step_${i}`,
            text: { type: "plain_text", text: cut(decodeHtmlEntities(s.label), LIMITS.buttonText) },
            url,
          },
        ]
      : [];
  });
  if (steps.length > 0) blocks.push({ type: "actions", block_id: "next_steps", elements: steps.slice(0, 5) });
  if (answer.contacts.length > 0) {
    const lines = answer.contacts.map((c) => {
      const who = [c.name, c.unit ? `(${c.unit})` : ""].filter(Boolean).join(" ");
      const reach = [
        c.email ? mrkdwnLink(c.email, `mailto:${c.email}`) : "",
        c.phone ? mrkdwnLink(c.phone, `tel:${c.phone.replace(/[^\d+]/g, "")}`) : "",
        c.slackUserId && /^[UW][A-Z0-9]+$/.test(c.slackUserId) ? `<@${c.slackUserId}>` : "",
      ].filter(Boolean);
      return `• *${documentMrkdwn(c.role)}:* ${documentMrkdwn(who)}${reach.length ? ` · ${reach.join(" · ")}` : ""}`;
    });
    const title = answer.kind === "answer" ? "Ansprechpersonen" : "Wer Ihnen weiterhilft";
    blocks.push(...sections(`*${title}*\n${lines.join("\n")}`));
  }
  const buttons: Block[] = [];
  if (options.shareButton)
    buttons.push({
      type: "button",
      action_id: "share_answer",
      text: { type: "plain_text", text: "Im Kanal teilen" },
      value: cut(options.question, LIMITS.buttonValue),
    });
  if ((options.feedback ?? true) && (answer.kind === "answer" || answer.kind === "no_answer")) {
    const value = feedbackValue(
      options.question,
      answer.citations.map((c) => c.docId),
    );
    buttons.push(
      { type: "button", action_id: "feedback_up", text: { type: "plain_text", text: "👍 Hilfreich" }, value },
      {
        type: "button",
        action_id: "feedback_down",
        text: { type: "plain_text", text: "👎 Nicht hilfreich" },
        value,
      },
    );
  }
  if (buttons.length > 0) blocks.push({ type: "actions", block_id: "answer_actions", elements: buttons });
  return {
    text: cut(documentMrkdwn(answer.text), LIMITS.sectionText),
    blocks: blocks.slice(0, LIMITS.blocks),
  };
}

/** Plain wording from prompts/ (greeting, help, refusals, apologies) with the contacts that can help. */
export function renderTextBlocks(message: string, answer?: Answer): { text: string; blocks: Block[] } {
  const blocks = sections(documentMrkdwn(message));
  if (answer && answer.contacts.length > 0) {
    const lines = answer.contacts.map(
      (c) =>
        `• *${documentMrkdwn(c.role)}:* ${documentMrkdwn(c.name)}${c.email ? ` · ${mrkdwnLink(c.email, `mailto:${c.email}`)}` : ""}`,
    );
    blocks.push(...sections(`*Wer Ihnen weiterhilft*\n${lines.join("\n")}`));
  }
  return { text: cut(documentMrkdwn(message), LIMITS.sectionText), blocks };
}

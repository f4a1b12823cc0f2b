import type { Answer } from "../../src/assistant/answer.ts";
import { asOfLabel } from "../../src/knowledge/as-of.ts";
import { encodeChars, safeUrl } from "../../src/text/safe-url.ts";

/** Adaptive Card schema version that Teams renders on desktop, web and mobile. */
export const CARD_VERSION = "1.5";

type Element = Record<string, unknown>;
export type AdaptiveCard = {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  body: Element[];
  actions?: Element[];
  msteams?: Record<string, unknown>;
};

/** The feedback buttons carry this in Action.Execute's data; to-inbound's counterpart parses it. */
export type FeedbackData = { action: "feedback"; rating: "up" | "down"; question: string; docIds: string[] };

/**
 * Text from users and documents as literal Adaptive Card text. TextBlock markdown is a small subset (**bold**,
 * _italic_, "- " and "1. " lists, [links](url)), and renderers differ: CommonMark ones (web, the Agents Playground)
 * drop the backslash of any escaped punctuation, Teams mobile's parser only that of * _ [ ] ) and shows the rest,
 * "\(" included. So only emphasis and link brackets are escaped (without "[" no "(url)" can become a link); a block
 * marker at the start of a line gets a zero-width space before it instead of a backslash; a backslash is doubled only
 * where it would escape what follows; "{{" cannot start one of Teams' date/time functions.
 */
export function escapeCardText(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/g, "\\\\")
    .replace(/[*_[\]]/g, (ch) => `\\${ch}`)
    .replace(/^([ \t]*)(?=[-+*](?:[ \t]|$)|[-=]+[ \t]*$|#|>|\d{1,9}[.)](?:[ \t]|$))/gm, "$1\u200b")
    .replace(/\{\{/g, "{\u200b{");
}

/** A markdown link whose label is escaped and whose target cannot close the link early. */
function link(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe ? `[${escapeCardText(label)}](${encodeChars(safe, /[()\s]/g)})` : escapeCardText(label);
}

const text = (t: string, extra: Element = {}): Element => ({
  type: "TextBlock",
  text: t,
  wrap: true,
  ...extra,
});
const heading = (t: string): Element => text(t, { weight: "Bolder", spacing: "Medium", separator: true });

/** The answer text: Lotse's own "- " bullets stay a list, their content is escaped. */
function answerBody(answerText: string): string {
  return answerText
    .split("\n")
    .map((line) => (line.startsWith("- ") ? `- ${escapeCardText(line.slice(2))}` : escapeCardText(line)))
    .join("\n");
}

/** Teams chat deep link to a person by UPN. */
export function teamsChatLink(upn: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upn)}`;
}

function contactLines(answer: Answer): Element[] {
  return answer.contacts.map((c) => {
    const who = [c.name, c.unit ? `(${c.unit})` : ""].filter(Boolean).join(" ");
    const reach = [
      c.email ? link(c.email, `mailto:${c.email}`) : "",
      c.phone ? link(c.phone, `tel:${c.phone.replace(/[^\d+]/g, "")}`) : "",
      c.teamsUpn ? link("Chat in Teams", teamsChatLink(c.teamsUpn)) : "",
    ].filter(Boolean);
    return text(
      `**${escapeCardText(c.role)}:** ${escapeCardText(who)}${reach.length ? ` · ${reach.join(" · ")}` : ""}`,
      {
        spacing: "Small",
      },
    );
  });
}

/** The answer as an Adaptive Card: text, sources, the tenant's goals, next-step buttons, contacts, 👍/👎. */
export function renderAnswerCard(
  answer: Answer,
  options: { question: string; tenantName: string; feedback?: boolean },
): AdaptiveCard {
  const body: Element[] = [text(answerBody(answer.text))];
  if (answer.citations.length > 0) {
    body.push(heading("Quellen"));
    answer.citations.forEach((c, i) => {
      const where = [c.section, c.page !== undefined ? `S. ${c.page}` : ""].filter(Boolean).join(", ");
      body.push(
        text(
          `${i + 1}. ${link(c.title, c.url)}${where ? ` – ${escapeCardText(where)}` : ""}${c.asOf ? ` (${asOfLabel(c.asOf)})` : ""}`,
          {
            spacing: "Small",
          },
        ),
      );
      if (c.excerpt)
        body.push(
          text(escapeCardText(c.excerpt.length > 300 ? `${c.excerpt.slice(0, 297)} …` : c.excerpt), {
            isSubtle: true,
            size: "Small",
            spacing: "None",
          }),
        );
    });
  }
  if (answer.goals.length > 0) {
    body.push(heading(`Was ${escapeCardText(options.tenantName)} sich vorgenommen hat`));
    for (const g of answer.goals)
      body.push(text(`**${escapeCardText(g.title)}:** ${escapeCardText(g.text)}`, { spacing: "Small" }));
  }
  const steps = answer.nextSteps.flatMap((s) => {
    const url = safeUrl(s.url);
    return url ? [{ type: "Action.OpenUrl", title: s.label.slice(0, 80), url }] : [];
  });
  if (steps.length > 0) {
    body.push(heading("Nächste Schritte"));
    body.push({ type: "ActionSet", actions: steps.slice(0, 5) });
  }
  if (answer.contacts.length > 0) {
    body.push(heading(answer.kind === "answer" ? "Ansprechpersonen" : "Wer Ihnen weiterhilft"));
    body.push(...contactLines(answer));
  }
  const card: AdaptiveCard = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    body,
    msteams: { width: "Full" },
  };
  if ((options.feedback ?? true) && (answer.kind === "answer" || answer.kind === "no_answer")) {
    const data = (rating: "up" | "down"): FeedbackData => ({
      action: "feedback",
      rating,
      question: options.question,
      docIds: [...new Set(answer.citations.map((c) => c.docId))],
    });
    card.actions = [
      { type: "Action.Execute", title: "👍 Hilfreich", verb: "feedback", data: data("up") },
      { type: "Action.Execute", title: "👎 Nicht hilfreich", verb: "feedback", data: data("down") },
    ];
  }
  return card;
}

/** A short card of plain wording from prompts/ (welcome, refusals, apologies). */
export function renderTextCard(message: string, answer?: Answer): AdaptiveCard {
  const body: Element[] = [text(escapeCardText(message))];
  if (answer && answer.contacts.length > 0) {
    body.push(heading("Wer Ihnen weiterhilft"));
    body.push(...contactLines(answer));
  }
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    body,
  };
}

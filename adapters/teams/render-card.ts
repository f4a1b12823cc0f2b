import type { AnswerContact, Citation } from "../../src/assistant/answer.ts";
import type { AnswerView, Button, Card, ContactsBlock, NoticeReply } from "../../src/core/replies.ts";
import { asOfLabel } from "../../src/knowledge/as-of.ts";
import { encodeChars, safeUrl } from "../../src/text/safe-url.ts";

/**
 * Adaptive Cards 1.5 for every reply kind but forms (render-form.ts): the answer view, a card, a notice, and the
 * invoke responses of an Action.Execute. Headings and button labels come from the reply (prompts/de/labels.yaml);
 * all text goes through escapeCardText, every length bound through truncate().
 *
 * Buttons: a button with an action id is an `Action.Execute` with `verb` = the action id and `data: { value }`; a
 * link is an `Action.OpenUrl`. to-inbound.ts turns the invoke back into an ActionInbound.
 */

/** Adaptive Card schema version that Teams renders on desktop, web and mobile. */
export const CARD_VERSION = "1.5";
const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

/** Longest button title (Teams cuts longer ones unpredictably across clients). */
export const MAX_BUTTON_TITLE = 80;
/** Longest excerpt of a source shown under it. */
export const MAX_EXCERPT = 300;
/** At most this many next steps as buttons (Teams shows no more in one ActionSet on mobile). */
const MAX_NEXT_STEPS = 5;
/** At most this many card-level actions (Teams renders up to six). */
const MAX_ACTIONS = 6;

export type Element = Record<string, unknown>;
export type AdaptiveCard = {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  body: Element[];
  actions?: Element[];
  msteams?: Record<string, unknown>;
};

/** The one truncation helper: at most `max` characters, a shortened text ends in " …", no half surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 2));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()} …`;
}

/**
 * The one escaping helper: text from users and documents as literal Adaptive Card text. TextBlock markdown is a
 * small subset (**bold**, _italic_, "- " and "1. " lists, [links](url)), and renderers differ: CommonMark ones (web,
 * the Agents Playground) drop the backslash of any escaped punctuation, Teams mobile's parser only that of * _ [ ] )
 * and shows the rest, "\(" included. So only emphasis and link brackets are escaped (without "[" no "(url)" can
 * become a link); a block marker at the start of a line gets a zero-width space before it instead of a backslash; a
 * backslash is doubled only where it would escape what follows; "{{" cannot start one of Teams' date/time functions.
 */
export function escapeCardText(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/g, "\\\\")
    .replace(/[*_[\]]/g, (ch) => `\\${ch}`)
    .replace(/^([ \t]*)(?=[-+*](?:[ \t]|$)|[-=]+[ \t]*$|#|>|\d{1,9}[.)](?:[ \t]|$))/gm, "$1\u200b")
    .replace(/\{\{/g, "{\u200b{");
}

/** Lotse's own wording (answers, prompts/): its "- " bullets stay a list, everything else is escaped. */
export function paragraphs(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.startsWith("- ") ? `- ${escapeCardText(line.slice(2))}` : escapeCardText(line)))
    .join("\n");
}

/** A markdown link whose label is escaped and whose target cannot close the link early. */
function link(label: string, url: string | undefined): string {
  const safe = safeUrl(url);
  return safe ? `[${escapeCardText(label)}](${encodeChars(safe, /[()\s]/g)})` : escapeCardText(label);
}

export const textBlock = (t: string, extra: Element = {}): Element => ({
  type: "TextBlock",
  text: t,
  wrap: true,
  ...extra,
});
export const headingBlock = (t: string): Element =>
  textBlock(escapeCardText(t), { weight: "Bolder", spacing: "Medium", separator: true });

export function adaptiveCard(body: Element[], actions: Element[] = [], full = false): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: SCHEMA,
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    ...(full ? { msteams: { width: "Full" } } : {}),
  };
}

/** Teams chat deep link to a person by UPN. */
export function teamsChatLink(upn: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upn)}`;
}

function contactLine(c: AnswerContact, chatLabel: string | undefined): Element {
  const who = [c.name, c.unit ? `(${c.unit})` : ""].filter(Boolean).join(" ");
  const reach = [
    c.email ? link(c.email, `mailto:${c.email}`) : "",
    c.phone ? link(c.phone, `tel:${c.phone.replace(/[^\d+]/g, "")}`) : "",
    c.teamsUpn && chatLabel ? link(chatLabel, teamsChatLink(c.teamsUpn)) : "",
  ].filter(Boolean);
  return textBlock(
    `**${escapeCardText(c.role)}:** ${escapeCardText(who)}${reach.length ? ` · ${reach.join(" · ")}` : ""}`,
    { spacing: "Small" },
  );
}

/** Contacts under their heading from the reply. */
function contactsBlock(block: ContactsBlock | undefined): Element[] {
  if (!block || block.contacts.length === 0) return [];
  return [headingBlock(block.heading), ...block.contacts.map((c) => contactLine(c, block.chatLabel))];
}

/** Sources under their heading: numbered, linked, with section, page, "(Stand: …)" and a short excerpt. */
function sourcesBlock(heading: string, citations: Citation[]): Element[] {
  if (citations.length === 0) return [];
  const out: Element[] = [headingBlock(heading)];
  citations.forEach((c, i) => {
    const where = [c.section, c.page !== undefined ? `S. ${c.page}` : ""].filter(Boolean).join(", ");
    out.push(
      textBlock(
        `${i + 1}. ${link(c.title, c.url)}${where ? ` – ${escapeCardText(where)}` : ""}${c.asOf ? ` (${asOfLabel(c.asOf)})` : ""}`,
        { spacing: "Small" },
      ),
    );
    if (c.excerpt)
      out.push(
        textBlock(escapeCardText(truncate(c.excerpt, MAX_EXCERPT)), {
          isSubtle: true,
          size: "Small",
          spacing: "None",
        }),
      );
  });
  return out;
}

/** A reply's button as a card action: Action.Execute (verb = action id, data = { value }) or Action.OpenUrl. */
export function cardAction(button: Button): Element | undefined {
  const title = truncate(button.label, MAX_BUTTON_TITLE);
  if ("url" in button) {
    const url = safeUrl(button.url);
    return url ? { type: "Action.OpenUrl", title, url } : undefined;
  }
  return {
    type: "Action.Execute",
    title,
    verb: button.actionId,
    data: { value: button.value },
    ...(button.style ? { style: button.style === "primary" ? "positive" : "destructive" } : {}),
  };
}

const present = (elements: (Element | undefined)[]): Element[] =>
  elements.filter((e): e is Element => e !== undefined);

function cardActions(buttons: Button[] | undefined): Element[] {
  return present((buttons ?? []).map(cardAction)).slice(0, MAX_ACTIONS);
}

/**
 * Largest answer card sent, as JSON: Teams refuses a bot message over about 28 KB (HTTP 413), and the activity
 * around the card adds a little.
 */
export const MAX_CARD_BYTES = 24_000;

/** How much of an answer a card shows; shrunk step by step until the card fits MAX_CARD_BYTES. */
interface AnswerFit {
  textChars: number;
  excerpts: boolean;
  citations: number;
  goals: number;
}

/**
 * The answer view: the first-contact notice on top, the answer, sources, the tenant's goals, next steps as
 * Action.OpenUrl, contacts with Teams chat links, and the view's actions (👍/👎, …) as Action.Execute. A card that
 * would exceed MAX_CARD_BYTES first loses the sources' excerpts, then sources and goals beyond the first few, then
 * the end of the answer text (marked "…"); the actions always stay.
 */
export function renderAnswer(view: AnswerView): AdaptiveCard {
  let fit: AnswerFit = {
    textChars: view.answer.text.length,
    excerpts: true,
    citations: view.answer.citations.length,
    goals: view.answer.goals.length,
  };
  let card = answerCard(view, fit);
  const steps: ((f: AnswerFit) => AnswerFit)[] = [
    (f) => ({ ...f, excerpts: false }),
    (f) => ({ ...f, citations: Math.min(f.citations, 5), goals: Math.min(f.goals, 3) }),
  ];
  for (const step of steps) {
    if (cardBytes(card) <= MAX_CARD_BYTES) return card;
    fit = step(fit);
    card = answerCard(view, fit);
  }
  while (cardBytes(card) > MAX_CARD_BYTES && fit.textChars > 200) {
    fit = { ...fit, textChars: Math.floor(fit.textChars * 0.7) };
    card = answerCard(view, fit);
  }
  return card;
}

const cardBytes = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(card));

function answerCard(view: AnswerView, fit: AnswerFit): AdaptiveCard {
  const { answer, headings } = view;
  const body: Element[] = [];
  if (view.notice) body.push(textBlock(escapeCardText(view.notice), { isSubtle: true, size: "Small" }));
  // view.sharedBy is not rendered: Teams answers are never private, so Teams offers no "share" (see the report).
  body.push(textBlock(paragraphs(truncate(answer.text, fit.textChars))));
  const citations = answer.citations
    .slice(0, fit.citations)
    .map((c) => (fit.excerpts ? c : { ...c, excerpt: "" }));
  body.push(...sourcesBlock(headings.sources, citations));
  if (answer.goals.length > 0 && fit.goals > 0) {
    body.push(headingBlock(headings.goals));
    for (const g of answer.goals.slice(0, fit.goals))
      body.push(textBlock(`**${escapeCardText(g.title)}:** ${escapeCardText(g.text)}`, { spacing: "Small" }));
  }
  const steps = present(answer.nextSteps.map((s) => cardAction({ label: s.label, url: s.url })));
  if (steps.length > 0)
    body.push(headingBlock(headings.nextSteps), {
      type: "ActionSet",
      actions: steps.slice(0, MAX_NEXT_STEPS),
    });
  body.push(...contactsBlock(view.contacts));
  return adaptiveCard(body, cardActions(view.actions), true);
}

/** A card (welcome, help, lists): title, sections with heading, text, facts and items, sources, contacts, buttons. */
export function renderCard(card: Card): AdaptiveCard {
  const body: Element[] = [];
  if (card.title) body.push(textBlock(escapeCardText(card.title), { size: "Large", weight: "Bolder" }));
  for (const s of card.sections) {
    if (s.heading) body.push(headingBlock(s.heading));
    if (s.text) body.push(textBlock(paragraphs(s.text)));
    if (s.facts && s.facts.length > 0)
      body.push({
        type: "FactSet",
        facts: s.facts.map((f) => ({ title: escapeCardText(f.label), value: escapeCardText(f.value) })),
      });
    if (s.items && s.items.length > 0)
      body.push(textBlock(s.items.map((i) => `- ${escapeCardText(i.replace(/\n/g, " "))}`).join("\n")));
  }
  if (card.sources) body.push(...sourcesBlock(card.sources.heading, card.sources.citations));
  body.push(...contactsBlock(card.contacts));
  const actions = present((card.buttons ?? []).map(cardAction));
  if (actions.length <= MAX_ACTIONS) return adaptiveCard(body, actions);
  // More than Teams shows as card actions (a check question's options, then Weiter/Zurück/Später, then links): all
  // of them, in order, as action sets in the body, six to a row, so none is dropped.
  for (let i = 0; i < actions.length; i += MAX_ACTIONS)
    body.push({ type: "ActionSet", actions: actions.slice(i, i + MAX_ACTIONS) });
  return adaptiveCard(body);
}

/** A notice as a short text card, with the contacts that can help. */
export function renderNotice(n: NoticeReply): AdaptiveCard {
  return adaptiveCard([textBlock(paragraphs(n.text)), ...contactsBlock(n.contacts)]);
}

/** The invoke response of an Action.Execute that replaces the card the action came from. */
export function cardInvokeResponse(card: AdaptiveCard): {
  statusCode: 200;
  type: "application/vnd.microsoft.card.adaptive";
  value: AdaptiveCard;
} {
  return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card };
}

/**
 * The invoke response of an Action.Execute that shows the user who acted a short message (a private notice). The
 * message is plain text: the notice's contacts follow as lines of text.
 */
export function messageInvokeResponse(n: NoticeReply): {
  statusCode: 200;
  type: "application/vnd.microsoft.activity.message";
  value: string;
} {
  const contacts = n.contacts?.contacts.length
    ? [
        n.contacts.heading,
        ...n.contacts.contacts.map((c) =>
          [`${c.role}: ${[c.name, c.unit ? `(${c.unit})` : ""].filter(Boolean).join(" ")}`, c.email, c.phone]
            .filter(Boolean)
            .join(", "),
        ),
      ]
    : [];
  return {
    statusCode: 200,
    type: "application/vnd.microsoft.activity.message",
    value: [n.text, ...contacts].join("\n"),
  };
}

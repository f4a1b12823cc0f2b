import type { AnswerView } from "../../src/core/replies.ts";
import { safeUrl } from "../../src/text/safe-url.ts";
import {
  type Block,
  buttonElement,
  contactsBlocks,
  contextLine,
  documentMrkdwn,
  escapeMrkdwn,
  LIMITS,
  message,
  plainText,
  type SlackMessage,
  sections,
  sourcesBlock,
  textMrkdwn,
} from "./render-blocks.ts";

/**
 * An answer view as a Block Kit message: the notice line (first contact) or who shared it on top, the answer text,
 * its sources with their Stand, the tenant's goals, next-step buttons, contacts, and the view's actions (👍/👎,
 * "Im Kanal teilen"). Every heading and label comes from the view.
 */
export function renderAnswer(view: AnswerView): SlackMessage {
  const { answer } = view;
  const blocks: Block[] = [];
  if (view.sharedBy) {
    const who = /^[UW][A-Z0-9]+$/.test(view.sharedBy.userId) ? `<@${view.sharedBy.userId}>` : "";
    // The intro carries the question as the user typed it: escaped, never decoded.
    blocks.push(
      contextLine(`${escapeMrkdwn(view.sharedBy.before)}${who}${escapeMrkdwn(view.sharedBy.after)}`),
    );
  }
  if (view.notice) blocks.push(contextLine(documentMrkdwn(view.notice)));
  blocks.push(...sections(textMrkdwn(answer.text)));
  const sources = sourcesBlock(answer.citations);
  if (sources) blocks.push(sources);
  if (answer.goals.length > 0) {
    const lines = answer.goals.map((g) => `• *${documentMrkdwn(g.title)}:* ${documentMrkdwn(g.text)}`);
    blocks.push(...sections(`*${documentMrkdwn(view.headings.goals)}*\n${lines.join("\n")}`));
  }
  const steps = answer.nextSteps.flatMap((s, i) => {
    const url = safeUrl(s.url);
    return url && url.length <= LIMITS.buttonUrl
      ? [{ type: "button", action_id: `next_step_${i}`, text: plainText(s.label, LIMITS.buttonText), url }]
      : [];
  });
  if (steps.length > 0) blocks.push({ type: "actions", block_id: "next_steps", elements: steps.slice(0, 5) });
  blocks.push(...contactsBlocks(view.contacts));
  const buttons = view.actions.flatMap((b, i) => buttonElement(b, i) ?? []);
  // The actions are the last block: kept when a very long answer is cut to fifty blocks.
  const body = blocks.slice(0, LIMITS.blocks - (buttons.length > 0 ? 1 : 0));
  if (buttons.length > 0)
    body.push({
      type: "actions",
      block_id: "answer_actions",
      elements: buttons.slice(0, LIMITS.actionElements),
    });
  return message(documentMrkdwn(answer.text), body);
}

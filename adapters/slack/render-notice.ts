import type { NoticeReply } from "../../src/core/replies.ts";
import { contactsBlocks, message, type SlackMessage, sections, textMrkdwn } from "./render-blocks.ts";

/** A notice (a confirmation, a refusal, an apology) as a message, with the contacts that can help. */
export function renderNotice(notice: Pick<NoticeReply, "text" | "contacts">): SlackMessage {
  const text = textMrkdwn(notice.text);
  return message(text, [...sections(text), ...contactsBlocks(notice.contacts)]);
}

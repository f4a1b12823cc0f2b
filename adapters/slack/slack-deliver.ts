import type { RespondArguments } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Reply } from "../../src/core/replies.ts";
import { toLotseError } from "../../src/errors.ts";
import type { Logger } from "../../src/log.ts";
import { renderAnswer } from "./render-answer.ts";
import type { SlackMessage } from "./render-blocks.ts";
import { cardBlocks, renderCard } from "./render-card.ts";
import { modalErrors, renderModal } from "./render-form.ts";
import { renderNotice } from "./render-notice.ts";
import { GONE_ERRORS, type SlackPoster, slackErrorOf } from "./slack-poster.ts";
import { homeMetadata } from "./to-inbound.ts";

/** Any reply that is a message (everything but a form) as Block Kit. */
export function renderMessage(reply: Exclude<Reply, { kind: "form" }>): SlackMessage {
  switch (reply.kind) {
    case "answer":
      return renderAnswer(reply.view);
    case "card":
    case "update":
      return renderCard(reply.card);
    case "notice":
      return renderNotice(reply);
  }
}

const isPrivate = (reply: Reply) => "private" in reply && reply.private === true;

type Respond = (message: RespondArguments) => Promise<unknown>;
type Ack = (response?: Record<string, unknown>) => Promise<void>;

/**
 * Where the replies to one input go, as the payload it came from allows:
 * - `thread`: a message event; replies in its thread (private ones ephemerally to the sender in a channel);
 * - `respond`: /lotse or a button; private replies and notices ephemerally through response_url, a form as a modal
 *   (trigger_id), an update in place, an answer for everyone into the channel (then the private original removed
 *   when the reply asks to dismiss its source);
 * - `home`: the Home tab, published with views.publish (`channel`, the user's DM with Lotse, is kept in the view's
 *   private_metadata: a button pressed there names no channel, see homeDmOf);
 * - `home-action`: a button on the Home tab (no channel, no response_url): a form as a modal (trigger_id), an update
 *   republishes the Home tab, every other reply goes to the user's DM with Lotse (`channel`: D…, or the user id);
 * - `submit`: a modal submitted; a form reply answers the submission itself (errors at the fields, or the next view),
 *   anything else goes to where the modal was opened, or to the user's DM with Lotse.
 */
export type DeliveryTarget =
  | { kind: "thread"; channel: string; threadTs?: string; user: string }
  | {
      kind: "respond";
      respond: Respond;
      user: string;
      channel?: string;
      threadTs?: string;
      triggerId?: string;
    }
  | { kind: "home"; user: string; channel?: string }
  | { kind: "home-action"; user: string; channel: string; triggerId?: string }
  | { kind: "submit"; ack: Ack; user: string; channel?: string; threadTs?: string };

export interface DeliverDeps {
  poster: SlackPoster;
  client: () => WebClient;
  log: Logger;
}

/**
 * The one way Slack replies are delivered; nothing is sent for no replies. Returns how many went out. A form goes
 * first: its trigger_id expires three seconds after the user's click or command.
 */
export async function deliver(deps: DeliverDeps, replies: Reply[], target: DeliveryTarget): Promise<number> {
  if (target.kind === "submit") return deliverSubmission(deps, replies, target);
  const ordered =
    target.kind === "respond" || target.kind === "home-action"
      ? [...replies.filter((r) => r.kind === "form"), ...replies.filter((r) => r.kind !== "form")]
      : replies;
  let sent = 0;
  for (const reply of ordered) if (await tryDeliver(deps, reply, target)) sent++;
  return sent;
}

/**
 * One reply delivered, or its failure logged: the other replies still go out. With `fallback`, a reply the
 * conversation refuses because Lotse is not in it (a /lotse typed where Lotse is no member) goes there instead.
 */
async function tryDeliver(
  deps: DeliverDeps,
  reply: Reply,
  target: DeliveryTarget,
  fallback?: DeliveryTarget,
): Promise<boolean> {
  try {
    return await deliverOne(deps, reply, target);
  } catch (err) {
    const slackError = slackErrorOf(err);
    if (fallback && slackError && (GONE_ERRORS.has(slackError) || slackError === "user_not_in_channel")) {
      deps.log.info(
        { event: "slack_reply_redirected", slackError, reply: reply.kind },
        "reply sent to the DM",
      );
      return tryDeliver(deps, reply, fallback);
    }
    // chat.postMessage failures were logged by the poster; the rest here.
    const e = toLotseError(err);
    if (e.code !== "SLACK_POST_FAILED")
      deps.log.error(
        { err: e, code: "SLACK_POST_FAILED", slackError, reply: reply.kind },
        "delivering to Slack failed",
      );
    return false;
  }
}

async function deliverOne(deps: DeliverDeps, reply: Reply, target: DeliveryTarget): Promise<boolean> {
  const { poster, client, log } = deps;
  switch (target.kind) {
    case "thread": {
      if (reply.kind === "form") {
        // A modal needs a user's trigger_id, which a message event has not.
        log.warn({ code: "REQUEST_INVALID", formId: reply.form.id }, "form reply to a message not shown");
        return false;
      }
      const content = renderMessage(reply);
      const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
      if (isPrivate(reply) && /^[CG]/.test(target.channel)) {
        await client().chat.postEphemeral({
          channel: target.channel,
          user: target.user,
          ...thread,
          ...content,
        });
        return true;
      }
      await poster.post({ channel: target.channel, ...thread, ...content });
      return true;
    }
    case "respond": {
      if (reply.kind === "form") {
        if (!target.triggerId) {
          log.warn(
            { code: "REQUEST_INVALID", formId: reply.form.id },
            "form reply without a trigger not shown",
          );
          return false;
        }
        await client().views.open({
          trigger_id: target.triggerId,
          view: renderModal(reply.form, {
            ...(target.channel ? { channel: target.channel } : {}),
            ...(target.threadTs ? { threadTs: target.threadTs } : {}),
          }) as never, // plain Block Kit JSON
        });
        return true;
      }
      if (reply.kind === "update") {
        await target.respond({ replace_original: true, ...renderCard(reply.card) } as RespondArguments);
        return true;
      }
      const content = renderMessage(reply);
      // An answer or card for everyone goes into the channel; what answers the user who acted stays private.
      if (reply.kind !== "notice" && !isPrivate(reply) && target.channel) {
        await poster.post({
          channel: target.channel,
          ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
          ...content,
        });
        if (reply.kind === "answer" && reply.dismissSource)
          await target.respond({ response_type: "ephemeral", delete_original: true });
        return true;
      }
      await target.respond({
        response_type: "ephemeral",
        replace_original: false,
        ...content,
      } as RespondArguments);
      return true;
    }
    case "home": {
      if (reply.kind === "form") return false;
      await publishHome(deps, reply, target.user, target.channel);
      return true;
    }
    case "home-action": {
      if (reply.kind === "form") {
        if (!target.triggerId) return false;
        await client().views.open({
          trigger_id: target.triggerId,
          // Submitted, its replies go to the DM too.
          view: renderModal(reply.form, { channel: target.channel }) as never,
        });
        return true;
      }
      if (reply.kind === "update") {
        await publishHome(deps, reply, target.user, target.channel);
        return true;
      }
      // The DM is the user's own: private replies need no ephemeral message there.
      await poster.post({ channel: target.channel, ...renderMessage(reply) });
      return true;
    }
    case "submit":
      return false; // deliverSubmission
  }
}

/** A reply as the user's Home tab (views.publish); the DM channel (D…) kept for the buttons on it. */
async function publishHome(
  deps: DeliverDeps,
  reply: Exclude<Reply, { kind: "form" }>,
  user: string,
  channel: string | undefined,
): Promise<void> {
  const blocks =
    reply.kind === "card" || reply.kind === "update" ? cardBlocks(reply.card) : renderMessage(reply).blocks;
  const metadata = channel?.startsWith("D") ? { private_metadata: homeMetadata(channel) } : {};
  await deps.client().views.publish({ user_id: user, view: { type: "home", blocks, ...metadata } as never });
}

/** A submission is answered once: with its form's errors or next view, or closed; other replies are messages. */
async function deliverSubmission(
  deps: DeliverDeps,
  replies: Reply[],
  target: Extract<DeliveryTarget, { kind: "submit" }>,
): Promise<number> {
  const form = replies.find((r) => r.kind === "form");
  const opened = {
    ...(target.channel ? { channel: target.channel } : {}),
    ...(target.threadTs ? { threadTs: target.threadTs } : {}),
  };
  const errors = form ? modalErrors(form.form) : undefined;
  if (form && errors) await target.ack({ response_action: "errors", errors });
  else if (form) await target.ack({ response_action: "update", view: renderModal(form.form, opened) });
  else await target.ack();
  let sent = form ? 1 : 0;
  // Into the conversation the modal was opened from (private replies ephemerally to the user there); without one, or
  // where Lotse may not write (a channel it is no member of, another person's DM), the user's DM with Lotse: Slack
  // posts a message to a user id there.
  const dm: DeliveryTarget = { kind: "thread", channel: target.user, user: target.user };
  const where: DeliveryTarget = target.channel
    ? {
        kind: "thread",
        channel: target.channel,
        ...(target.threadTs ? { threadTs: target.threadTs } : {}),
        user: target.user,
      }
    : dm;
  for (const reply of replies)
    if (reply.kind !== "form" && (await tryDeliver(deps, reply, where, where === dm ? undefined : dm)))
      sent++;
  return sent;
}

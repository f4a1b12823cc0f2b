import { randomUUID } from "node:crypto";
import {
  findButton,
  type NeutralButton,
  type NeutralReply,
  OTHER_TENANT,
  type ScenarioDriver,
} from "./neutral.ts";
import { fixture, post } from "./teams-activities.ts";
import { FakeConnector, type Recorded } from "./teams-connector.ts";
import { startLotse } from "./teams-harness.ts";

type Element = Record<string, unknown>;
/** Where a reply was shown: for pressing its buttons. */
type TeamsHandle = { conversationId: string; activityId: string };

const CHANNEL = "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2";
const BOT = { id: "28:8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b", name: "Lotse" };

/**
 * Teams' limits on what a bot sends: a message of at most about 28 KB (activity with its cards; Teams answers 413
 * beyond it), Adaptive Card 1.5, at most six card actions shown.
 */
const LIMITS = { activityBytes: 28 * 1024, version: "1.5", actions: 6 };

/** TextBlock markdown as a user reads it: escapes undone, emphasis dropped, links shown as their labels. */
function readMarkdown(md: string, links: string[]): string {
  const literal: string[] = [];
  // Escaped characters are literal: kept aside so that emphasis markers can be dropped without touching them.
  let s = md.replace(/\\([!-/:-@[-`{-~])/g, (_, ch: string) => `\uE000${literal.push(ch) - 1}\uE000`);
  s = s.replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_, label: string, url: string) => {
    links.push(url);
    return label;
  });
  s = s.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/(^|\s)_([^_]+)_(?=\s|$)/g, "$1$2");
  return s
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => literal[Number(i)] as string)
    .replace(/\u200b/g, "");
}

/** A posted activity (a card or plain text) or an invoke's response as neutral facts. */
export function neutralTeams(activity: Element, isPrivate: boolean, handle: TeamsHandle): NeutralReply {
  const lines: string[] = [];
  const headings: string[] = [];
  const buttons: NeutralButton[] = [];
  const links: string[] = [];
  const mentions: string[] = [];
  const over: string[] = [];
  const bytes = Buffer.byteLength(JSON.stringify(activity));
  if (bytes > LIMITS.activityBytes) over.push(`activity ${bytes} bytes > ${LIMITS.activityBytes}`);
  for (const e of (activity.entities as Element[] | undefined) ?? [])
    if (e.type === "mention") mentions.push(String((e.mentioned as Element | undefined)?.id ?? ""));
  if (typeof activity.text === "string" && activity.text) lines.push(readMarkdown(activity.text, links));
  const action = (a: Element) => {
    if (a.type === "Action.OpenUrl") {
      links.push(String(a.url));
      buttons.push({ label: String(a.title ?? ""), url: String(a.url) });
    } else if (a.type === "Action.Execute" || a.type === "Action.Submit") {
      const data = (a.data ?? {}) as Element;
      buttons.push({
        label: String(a.title ?? ""),
        ...(typeof a.verb === "string" ? { actionId: a.verb } : {}),
        ...(typeof data.value === "string" ? { value: data.value } : {}),
      });
    }
  };
  const walk = (el: Element) => {
    switch (el.type) {
      case "TextBlock": {
        const t = readMarkdown(String(el.text ?? ""), links);
        lines.push(t);
        if (el.weight === "Bolder" || el.style === "heading") headings.push(t);
        break;
      }
      case "FactSet":
        for (const f of (el.facts as Element[] | undefined) ?? [])
          lines.push(
            `${readMarkdown(String(f.title ?? ""), links)}: ${readMarkdown(String(f.value ?? ""), links)}`,
          );
        break;
      case "ActionSet":
        for (const a of (el.actions as Element[] | undefined) ?? []) action(a);
        break;
      default:
        break;
    }
    for (const key of ["items", "columns", "body"] as const)
      for (const child of (el[key] as Element[] | undefined) ?? []) walk(child);
    if (el.selectAction) action(el.selectAction as Element);
  };
  for (const att of (activity.attachments as Element[] | undefined) ?? []) {
    const card = att.content as Element | undefined;
    if (att.contentType !== "application/vnd.microsoft.card.adaptive" || !card) continue;
    if (card.version !== LIMITS.version) over.push(`card version ${String(card.version)}`);
    const actions = (card.actions as Element[] | undefined) ?? [];
    if (actions.length > LIMITS.actions) over.push(`card actions ${actions.length} > ${LIMITS.actions}`);
    walk({ type: "Container", items: card.body as Element[] });
    for (const a of actions) action(a);
    for (const e of ((card.msteams as Element | undefined)?.entities as Element[] | undefined) ?? [])
      if (e.type === "mention") mentions.push(String((e.mentioned as Element | undefined)?.id ?? ""));
  }
  return {
    text: lines.join("\n"),
    headings,
    buttons,
    links,
    mentions,
    private: isPrivate,
    overLimits: over,
    handle,
  };
}

/** A reply's conversation and the activity it answers, from the connector path it was posted to. */
function handleOf(call: Recorded): TeamsHandle {
  const m = /^\/v3\/conversations\/(.+?)\/activities(?:\/([^/?]+))?$/.exec(call.path);
  return { conversationId: m?.[1] ?? "", activityId: `reply-${call.at.toFixed(3)}` };
}

/**
 * Teams for the scenario suite: activities POSTed over HTTP to a real Lotse on 127.0.0.1 in the local-trial mode (no
 * credentials), replies read from the fake Bot Connector and from invoke responses, as neutral facts. A POST is
 * answered once its turn is done, replies included, so what the connector recorded then is all a step caused.
 */
export async function startTeamsDriver(env: Record<string, string> = {}): Promise<ScenarioDriver> {
  const connector = new FakeConnector();
  await connector.start();
  const lotse = await startLotse(env);
  let n = 0;
  let user = { id: "", aadObjectId: "" };
  let threads = new Map<string, string>();
  const nextId = () => String(1764100000000 + ++n);

  async function step(activity: Element): Promise<NeutralReply[]> {
    const before = connector.calls.length;
    const res = await post(lotse.base, activity);
    if (res.status !== 200) throw new Error(`Teams POST answered ${res.status}`);
    const raw = await res.text();
    const replies = connector.calls
      .slice(before)
      .filter((c) => c.body.type === "message")
      .map((c) => neutralTeams(c.body, false, handleOf(c)));
    if (activity.type === "invoke" && raw) {
      const r = JSON.parse(raw) as { type?: string; value?: unknown };
      const here = { conversationId: String((activity.conversation as Element).id), activityId: nextId() };
      if (r.type === "application/vnd.microsoft.activity.message")
        replies.push(neutralTeams({ type: "message", text: r.value }, true, here));
      else if (r.type === "application/vnd.microsoft.card.adaptive")
        replies.push(
          neutralTeams(
            { type: "message", attachments: [{ contentType: r.type, content: r.value }] },
            true,
            here,
          ),
        );
    }
    return replies;
  }

  const from = () => ({ id: user.id, name: "Szenario Nutzerin", aadObjectId: user.aadObjectId });

  return {
    platform: "teams",
    rt: lotse.rt,
    logs: lotse.logs,
    get userIds() {
      return [user.id, user.aadObjectId];
    },
    otherTenantId: OTHER_TENANT.teams,
    begin() {
      ++n;
      user = { id: `29:1Sc${n}${randomUUID().replace(/-/g, "")}`, aadObjectId: randomUUID() };
      threads = new Map();
    },
    async say(text, thread) {
      const id = nextId();
      const root = threads.get(thread);
      if (!root) threads.set(thread, id);
      const conversation = { ...((await fixture("channel-mention", connector.url)).conversation as object) };
      const activity = await fixture("channel-mention", connector.url, {
        id,
        from: from(),
        conversation: { ...conversation, id: `${CHANNEL};messageid=${root ?? id}` },
        // The thread's first message @mentions Lotse; replies in it do not.
        text: root ? text : `<at>Lotse</at> ${text}`,
        attachments: [],
        entities: root ? [] : [{ type: "mention", mentioned: BOT, text: "<at>Lotse</at>" }],
        ...(root ? { replyToId: root } : {}),
      });
      return step(activity);
    },
    async press(reply, wanted) {
      const b = findButton(reply, wanted);
      const where = reply.handle as TeamsHandle;
      const original = await fixture("card-action-execute", connector.url);
      const channel = where.conversationId.startsWith("19:");
      const activity = await fixture("card-action-execute", connector.url, {
        id: `f:${randomUUID()}`,
        from: from(),
        conversation: channel
          ? {
              ...((await fixture("channel-mention", connector.url)).conversation as object),
              id: where.conversationId,
            }
          : { ...(original.conversation as object), id: where.conversationId },
        replyToId: where.activityId,
        value: {
          action: { type: "Action.Execute", title: b.label, verb: b.actionId, data: { value: b.value } },
          trigger: "manual",
        },
      });
      return step(activity);
    },
    async join() {
      const activity = await fixture("members-added", connector.url, {
        id: `f:${randomUUID()}`,
        membersAdded: [{ id: user.id, aadObjectId: user.aadObjectId }],
      });
      return step(activity);
    },
    async stop() {
      await lotse.stop();
      await connector.stop();
    },
  };
}

import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import {
  COORDINATOR,
  findButton,
  type NeutralButton,
  type NeutralField,
  type NeutralForm,
  type NeutralPost,
  type NeutralReply,
  OTHER_TENANT,
  RESTART_NEEDS_DATABASE,
  SCENARIO_CHANNEL,
  type ScenarioDriver,
  scenarioDatabase,
} from "./neutral.ts";
import { fixture, post } from "./teams-activities.ts";
import { FakeConnector, type Recorded } from "./teams-connector.ts";
import { startLotse } from "./teams-harness.ts";

type Element = Record<string, unknown>;
/** Where a reply was shown: for pressing its buttons. */
type TeamsHandle = { conversationId: string; activityId: string };

const CHANNEL = SCENARIO_CHANNEL.teams;
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

/** Where a form card was shown and how it submits (its Action.Execute verb and data), and the card as Teams got it. */
export type TeamsFormHandle = TeamsHandle & { verb: string; data: Element; card: Element };

/** The Adaptive Card of an activity, if it carries one. */
function cardOf(activity: Element): Element | undefined {
  for (const att of (activity.attachments as Element[] | undefined) ?? [])
    if (att.contentType === "application/vnd.microsoft.card.adaptive" && att.content)
      return att.content as Element;
  return undefined;
}

/** Whether a card asks for input (Input.* anywhere in its body): a form, not a message. */
function isFormCard(card: Element | undefined): card is Element {
  return JSON.stringify(card?.body ?? []).includes('"type":"Input.');
}

const INPUT_TYPES: Record<string, NeutralField["type"]> = {
  "Input.Text": "text",
  "Input.Date": "date",
  "Input.Time": "time",
  "Input.ChoiceSet": "select",
};

/**
 * A form card as the neutral form: title (the first bold TextBlock), inputs, text, and errors (red TextBlocks under
 * an input; `errorMessage` is no error by itself: Teams shows it only when the client's own check of a required
 * field fails).
 */
export function neutralTeamsForm(card: Element, where: TeamsHandle, isPrivate: boolean): NeutralForm {
  const fields: NeutralField[] = [];
  const errors: Record<string, string> = {};
  const lines: string[] = [];
  const over: string[] = [];
  const links: string[] = [];
  let title = "";
  if (card.version !== LIMITS.version) over.push(`card version ${String(card.version)}`);
  const walk = (el: Element) => {
    const type = String(el.type);
    if (type.startsWith("Input.")) {
      const choices = (el.choices as Element[] | undefined) ?? [];
      const fieldType: NeutralField["type"] =
        el["choices.data"] !== undefined
          ? "user"
          : el.isMultiline === true
            ? "longtext"
            : (INPUT_TYPES[type] ?? "text");
      fields.push({
        id: String(el.id),
        type: fieldType,
        label: readMarkdown(String(el.label ?? ""), links),
        required: el.isRequired === true,
        ...(typeof el.value === "string" ? { initial: el.value } : {}),
        ...(type === "Input.ChoiceSet" && fieldType === "select"
          ? { options: choices.map((c) => String(c.value)) }
          : {}),
      });
    } else if (type === "TextBlock") {
      const text = readMarkdown(String(el.text ?? ""), links);
      if (!title && el.weight === "Bolder") title = text;
      else lines.push(text);
      const last = fields.at(-1);
      if (el.color === "Attention" && last) errors[last.id] = text;
    }
    for (const key of ["items", "columns", "body"] as const)
      for (const child of (el[key] as Element[] | undefined) ?? []) walk(child);
  };
  walk({ type: "Container", items: card.body as Element[] });
  const submit = ((card.actions as Element[] | undefined) ?? []).find((a) => a.type === "Action.Execute");
  const verb = String(submit?.verb ?? "");
  const handle: TeamsFormHandle = { ...where, verb, data: (submit?.data ?? {}) as Element, card };
  return {
    id: verb,
    title,
    text: lines.join("\n"),
    fields,
    errors,
    overLimits: over,
    private: isPrivate,
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
/** What only Teams has, beyond the neutral driver: the fake Bot Connector. */
export interface TeamsScenarioDriver extends ScenarioDriver {
  readonly connector: FakeConnector;
}

/** Bot Connector error answered for a post into a conversation the bot was removed from. */
const NOT_IN_ROSTER = {
  status: 403,
  body: {
    error: { code: "BotNotInConversationRoster", message: "The bot is not part of the conversation roster." },
  },
};

/**
 * Makes the fake connector refuse posts into the channels in `gone` as Teams does for a bot removed from a team:
 * a new thread (POST /v3/conversations, the channel in channelData) and posts into its threads. The fake's failFor
 * matches paths only, and a new thread's channel is in the body, so its answer is wrapped here.
 */
function refuseGoneChannels(connector: FakeConnector, gone: Set<string>): void {
  const fake = connector as unknown as { response: (call: Recorded) => unknown };
  if (typeof fake.response !== "function") throw new Error("FakeConnector has no response() to wrap");
  const answer = fake.response.bind(connector);
  const isGone = (call: Recorded) =>
    [...gone].some(
      (channel) =>
        (call.path === "/v3/conversations" &&
          (call.body.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id === channel) ||
        call.path.startsWith(`/v3/conversations/${channel}`),
    );
  fake.response = (call) => (isGone(call) ? NOT_IN_ROSTER : answer(call));
}

/** The channel an activity lands in, or the personal chat, from the connector call that posted it. */
function postOf(call: Recorded): NeutralPost | undefined {
  if (call.method !== "POST") return undefined;
  if (call.path === "/v3/conversations") {
    // A new thread in a channel carries its first message.
    const activity = call.body.activity as Element | undefined;
    const channel = (call.body.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
    if (call.body.isGroup !== true || activity?.type !== "message" || typeof channel !== "string")
      return undefined;
    const reply = neutralTeams(activity, false, { conversationId: channel, activityId: `new-${call.at}` });
    return { ...reply, where: "channel", conversation: channel };
  }
  const m = /^\/v3\/conversations\/(.+?)\/activities(?:\/[^/?]+)?$/.exec(call.path);
  if (!m || call.body.type !== "message") return undefined;
  const id = m[1] as string;
  const channel = id.startsWith("19:");
  return {
    ...neutralTeams(call.body, false, handleOf(call)),
    where: channel ? "channel" : "personal",
    conversation: channel ? (id.split(";")[0] as string) : id,
  };
}

export async function startTeamsDriver(env: Record<string, string> = {}): Promise<TeamsScenarioDriver> {
  const connector = new FakeConnector();
  await connector.start();
  const gone = new Set<string>();
  refuseGoneChannels(connector, gone);
  // With persistentDatabase() the embedded database in a directory of its own: a restart finds what was stored.
  const { dataDir, env: lotseEnv, canRestart } = await scenarioDatabase(env);
  let lotse = await startLotse(lotseEnv);
  let n = 0;
  let user = { id: "", aadObjectId: "", name: "" };
  let threads = new Map<string, string>();
  const forms: NeutralForm[] = [];
  /** Calls a step of the user caused; what else Lotse posted since begin() nobody asked for. */
  const caused = new WeakSet<Recorded>();
  let since = 0;
  const nextId = () => String(1764100000000 + ++n);

  /** One activity; the replies it caused (forms go to `forms`), and the form it was answered with, if any. */
  async function turn(activity: Element): Promise<{ replies: NeutralReply[]; form?: NeutralForm }> {
    const before = connector.calls.length;
    const res = await post(lotse.base, activity);
    if (res.status !== 200) throw new Error(`Teams POST answered ${res.status}`);
    const raw = await res.text();
    const replies: NeutralReply[] = [];
    let form: NeutralForm | undefined;
    const shown = (f: NeutralForm) => {
      forms.push(f);
      form = f;
    };
    for (const c of connector.calls.slice(before)) {
      caused.add(c);
      if (c.body.type !== "message") continue;
      const card = cardOf(c.body);
      // A form card posted as a message: everyone in the conversation sees it.
      if (isFormCard(card)) shown(neutralTeamsForm(card, handleOf(c), false));
      else replies.push(neutralTeams(c.body, false, handleOf(c)));
    }
    if (activity.type === "invoke" && raw) {
      const r = JSON.parse(raw) as { type?: string; value?: unknown };
      const conversationId = String((activity.conversation as Element).id);
      if (r.type === "application/vnd.microsoft.activity.message")
        replies.push(
          neutralTeams({ type: "message", text: r.value }, true, { conversationId, activityId: nextId() }),
        );
      else if (r.type === "application/vnd.microsoft.card.adaptive") {
        // The invoke's card replaces the card acted on, for the user who acted alone (Teams' ReplaceForInteractor):
        // it stays on that message, so its actions name it (replyToId) as the original's did.
        const replaced = typeof activity.replyToId === "string" ? activity.replyToId : nextId();
        const here = { conversationId, activityId: replaced };
        const card = r.value as Element;
        if (isFormCard(card)) shown(neutralTeamsForm(card, here, true));
        else
          replies.push(
            neutralTeams(
              { type: "message", attachments: [{ contentType: r.type, content: card }] },
              true,
              here,
            ),
          );
      }
    }
    return { replies, ...(form ? { form } : {}) };
  }

  const step = async (activity: Element) => (await turn(activity)).replies;

  const from = () => ({ id: user.id, name: user.name, aadObjectId: user.aadObjectId });

  /** A conversation as an activity names it: a channel's (with its team and tenant) or the personal chat's. */
  async function conversationOf(id: string): Promise<Element> {
    const template = id.startsWith("19:") ? "channel-mention" : "card-action-execute";
    return { ...((await fixture(template, connector.url)).conversation as Element), id };
  }

  /** An Action.Execute invoke from the current user on the card `where` shows. */
  async function execute(where: TeamsHandle, action: Element): Promise<Element> {
    return fixture("card-action-execute", connector.url, {
      id: `f:${randomUUID()}`,
      from: from(),
      conversation: await conversationOf(where.conversationId),
      replyToId: where.activityId,
      value: { action: { type: "Action.Execute", ...action }, trigger: "manual" },
    });
  }

  const self: TeamsScenarioDriver = {
    platform: "teams",
    connector,
    get rt() {
      return lotse.rt;
    },
    get logs() {
      return lotse.logs;
    },
    get userIds() {
      return [user.id, user.aadObjectId];
    },
    otherTenantId: OTHER_TENANT.teams,
    forms,
    channel: CHANNEL,
    begin(options = {}) {
      ++n;
      user =
        options.as === "coordinator"
          ? { id: "29:1KoordinationNachhaltigkeit", aadObjectId: COORDINATOR.teams, name: "Maria Weber" }
          : {
              id: `29:1Sc${n}${randomUUID().replace(/-/g, "")}`,
              aadObjectId: randomUUID(),
              name: "Szenario Nutzerin",
            };
      threads = new Map();
      forms.length = 0;
      since = connector.calls.length;
      gone.clear();
      connector.notInstalled.clear();
      // The user as the Bot Connector's member lookup knows them (the welcome on join asks for the email).
      connector.members.clear();
      const [givenName = "", surname = ""] = user.name.split(" ");
      const address = `${givenName}.${surname}.${n}@musterstadt.de`.toLowerCase();
      connector.members.set(user.id, {
        id: user.id,
        aadObjectId: user.aadObjectId,
        name: user.name,
        givenName,
        surname,
        email: address,
        userPrincipalName: address,
        userRole: "user",
      });
      connector.rateLimit = undefined;
    },
    userGone(isGone) {
      if (isGone) connector.notInstalled.add(user.aadObjectId);
      else connector.notInstalled.delete(user.aadObjectId);
    },
    rateLimits(on) {
      connector.rateLimit = on ? { perConversationPerSecond: 7, perTenantPerSecond: 50 } : undefined;
    },
    rateRefusals: () => connector.calls.slice(since).filter((c) => c.status === 429).length,
    channelGone(isGone) {
      if (isGone) gone.add(CHANNEL);
      else gone.delete(CHANNEL);
    },
    async command(text) {
      // Each command opens a thread of its own, as a new message in the channel does.
      return self.say(text, `command-${++n}`);
    },
    async submit(form, given) {
      const h = form.handle as TeamsFormHandle;
      // Action.Execute with associatedInputs "auto" sends every input's value (what it shows unless changed).
      const inputs: Record<string, string> = {};
      for (const f of form.fields) inputs[f.id] = f.initial ?? "";
      for (const [id, value] of Object.entries(given)) inputs[id] = value ?? "";
      return turn(await execute(h, { title: "Absenden", verb: h.verb, data: { ...h.data, ...inputs } }));
    },
    proactive() {
      const out: NeutralPost[] = [];
      for (const c of connector.calls.slice(since)) {
        if (caused.has(c) || c.status === undefined || c.status >= 300) continue;
        const p = postOf(c);
        if (p) out.push(p);
      }
      return out;
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
      return step(await execute(where, { title: b.label, verb: b.actionId, data: { value: b.value } }));
    },
    async join() {
      const activity = await fixture("members-added", connector.url, {
        id: `f:${randomUUID()}`,
        membersAdded: [{ id: user.id, aadObjectId: user.aadObjectId }],
      });
      return step(activity);
    },
    async restart() {
      if (!canRestart) throw new Error(RESTART_NEEDS_DATABASE);
      // The same tenant, user and threads behind the same Bot Connector; a new Lotse on the same database.
      await lotse.stop();
      lotse = await startLotse(lotseEnv);
    },
    async stop() {
      await lotse.stop();
      await connector.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

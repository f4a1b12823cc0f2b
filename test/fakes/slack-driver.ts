import { rm } from "node:fs/promises";
import {
  COORDINATOR,
  findButton,
  type NeutralField,
  type NeutralForm,
  type NeutralPost,
  type NeutralReply,
  OTHER_TENANT,
  RESTART_NEEDS_DATABASE,
  SCENARIO_CHANNEL,
  type ScenarioDriver,
  type Submitted,
  scenarioDatabase,
  waitUntil,
} from "./neutral.ts";
import { type ApiCall, dmOf, FakeSlackApi, slackUserObject } from "./slack-api.ts";
import { interactive, send } from "./slack-events.ts";
import { startLotse } from "./slack-harness.ts";
import { neutralSlack, type SlackHandle } from "./slack-neutral.ts";

/** The Block Kit reader moved to slack-neutral.ts; re-exported for imports from here. */
export { neutralSlack };

const TEAM = "T0MUSTER1";
const BOT_USER = "U0LOTSE01";
const CHANNEL = SCENARIO_CHANNEL.slack;

type Block = Record<string, unknown>;

/** A modal Lotse opened (views.open), as the scenario suite fills it in. */
export interface OpenedModal {
  callbackId: string;
  /** The input blocks' ids (the form's field ids) with their element types. */
  fields: { id: string; type: string }[];
  view: Record<string, unknown>;
}

/** What only Slack has, beyond the neutral driver: the fake Web API, modals as Slack sent them, the ack. */
export interface SlackScenarioDriver extends ScenarioDriver {
  readonly api: FakeSlackApi;
  /** The user types `/lotse <text>` in the channel; a modal it opens is in `modals` (and in `forms`). */
  command(text: string): Promise<NeutralReply[]>;
  /** Modals Lotse opened for the current user, latest last. */
  readonly modals: OpenedModal[];
  /**
   * The user submits a modal (as opened, or as the neutral form) with these values by field id (strings as the
   * form's fields take them: dates YYYY-MM-DD, times HH:MM, picker ids); fields not named keep their initial value.
   * Returns the replies, the form shown next, and Slack's answer to the submission (`ack`: empty when the modal
   * closes, else response_action "errors" or "update").
   */
  submit(
    modal: OpenedModal | NeutralForm,
    values: Record<string, string | undefined>,
  ): Promise<Submitted & { ack: Record<string, unknown> }>;
}

/** The core's field type of a Slack input element. */
function fieldType(element: Block): NeutralField["type"] {
  switch (element.type) {
    case "plain_text_input":
      return element.multiline === true ? "longtext" : "text";
    case "datepicker":
      return "date";
    case "timepicker":
      return "time";
    case "static_select":
      return "select";
    case "conversations_select":
      return "conversation";
    case "users_select":
      return "user";
    default:
      throw new Error(`unexpected input element ${String(element.type)}`);
  }
}

/** What an input element shows before the user touches it (Slack preselects the current conversation where asked). */
function initialOf(element: Block, channel: string): string | undefined {
  const option = element.initial_option as { value?: string } | undefined;
  const value =
    element.initial_value ??
    element.initial_date ??
    element.initial_time ??
    option?.value ??
    element.initial_user ??
    (element.default_to_current_conversation === true ? channel : element.initial_conversation);
  return typeof value === "string" ? value : undefined;
}

/** A modal as the neutral form: its inputs, text (intro, hints, errors shown under a field) and Slack's limits. */
function neutralModal(modal: OpenedModal, channel: string): NeutralForm {
  const blocks = (Array.isArray(modal.view.blocks) ? modal.view.blocks : []) as Block[];
  const fields: NeutralField[] = [];
  const errors: Record<string, string> = {};
  const lines: string[] = [];
  const over: string[] = [];
  if (blocks.length > 100) over.push(`${blocks.length} modal blocks > 100`);
  for (const b of blocks) {
    if (b.type === "input") {
      const element = (b.element ?? {}) as Block;
      const options = Array.isArray(element.options)
        ? (element.options as { value?: string }[]).map((o) => String(o.value))
        : undefined;
      const initial = initialOf(element, channel);
      fields.push({
        id: String(b.block_id),
        type: fieldType(element),
        label: String((b.label as { text?: string } | undefined)?.text ?? ""),
        required: b.optional !== true,
        ...(initial !== undefined ? { initial } : {}),
        ...(options ? { options } : {}),
      });
      const hint = (b.hint as { text?: string } | undefined)?.text;
      if (hint) lines.push(hint);
      continue;
    }
    const shown = neutralSlack({ blocks: [b] }, true, { channel, ts: "", text: "" });
    over.push(...shown.overLimits);
    if (!shown.text) continue;
    lines.push(shown.text);
    // A form opened anew shows a field's error in a context line under it (render-form.ts).
    const last = fields.at(-1);
    if (b.type === "context" && shown.text.startsWith("⚠️") && last)
      errors[last.id] = shown.text.replace(/^⚠️\s*/, "");
  }
  const title = String((modal.view.title as { text?: string } | undefined)?.text ?? "");
  return {
    id: modal.callbackId,
    title,
    text: lines.join("\n"),
    fields,
    errors,
    overLimits: over,
    // A modal is the user's alone.
    private: true,
    handle: modal,
  };
}

/** Lotse's HTTP answer to an interactivity payload: a JSON acknowledgement, or nothing. */
function parseAck(text: string): Record<string, unknown> {
  try {
    const body: unknown = text ? JSON.parse(text) : {};
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A field's value as Slack puts it into view.state for its element type. */
function elementState(type: string, value: string | undefined): Record<string, unknown> {
  switch (type) {
    case "datepicker":
      return { type, selected_date: value ?? null };
    case "timepicker":
      return { type, selected_time: value ?? null };
    case "static_select":
      return { type, selected_option: value ? { text: { type: "plain_text", text: value }, value } : null };
    case "conversations_select":
      return { type, selected_conversation: value ?? null };
    case "users_select":
      return { type, selected_user: value ?? null };
    default:
      return { type, value: value ?? null };
  }
}

/**
 * Slack for the scenario suite: signed events and interactivity payloads sent over HTTP to a real Lotse on
 * 127.0.0.1, replies read from the fake Web API and response_url as neutral facts. A step is done when Lotse logs
 * that it handled the input (slack_handled), bounded; no sleeps.
 */
export async function startSlackDriver(env: Record<string, string> = {}): Promise<SlackScenarioDriver> {
  const api = new FakeSlackApi();
  await api.start();
  // With persistentDatabase() the embedded database in a directory of its own: a restart finds what was stored.
  const { dataDir, env: lotseEnv, canRestart } = await scenarioDatabase(env);
  let lotse = await startLotse(api, lotseEnv);
  let n = 0;
  let user = "";
  let threads = new Map<string, string>();
  const modals: OpenedModal[] = [];
  const forms: NeutralForm[] = [];
  /** Calls a step of the user caused; what else Lotse posted since begin() nobody asked for. */
  const caused = new WeakSet<ApiCall>();
  let since = 0;
  let refusalsBefore = 0;
  /** Channels Lotse was removed from, users it cannot reach: chat.postMessage there is refused. */
  const gone = new Set<string>();
  const nextTs = () => `${1764100000 + ++n}.000100`;
  /** Where each response_url handed out was for (by its path): the message clicked, or the channel of a command. */
  const respondedFrom = new Map<string, Partial<SlackHandle>>();
  const responseUrl = (origin: Partial<SlackHandle>) => {
    const path = `/respond/${++n}`;
    respondedFrom.set(path, origin);
    return `${api.url}${path.slice(1)}`;
  };

  /** Sends one input and returns the replies it caused, once Lotse logged it as handled. */
  async function step(body: string, form: boolean): Promise<NeutralReply[]> {
    return (await stepWithAck(body, form)).replies;
  }

  /** One input; its replies and the body of Lotse's HTTP answer (a view submission's acknowledgement). */
  async function stepWithAck(
    body: string,
    form: boolean,
  ): Promise<{ replies: NeutralReply[]; ack: Record<string, unknown> }> {
    const handled = () => lotse.logs.filter((l) => l.event === "slack_handled").length;
    const before = { handled: handled(), calls: api.calls.length, responses: api.responses.length };
    const { res } = await send(lotse.base, body, { form });
    if (res.status !== 200) throw new Error(`Slack request answered ${res.status}`);
    const ack = parseAck(await res.text());
    await waitUntil(() => handled() > before.handled, "slack_handled");
    const replies: NeutralReply[] = [];
    for (const c of api.calls.slice(before.calls)) {
      caused.add(c);
      if (refused(c)) continue; // the fake answered ok: false (channel_not_found, account_inactive): nothing shown
      if (c.method === "views.open") {
        opened(modalOf(c.args.view as Record<string, unknown>));
        continue;
      }
      const r = fromCall(c);
      if (r) replies.push(r);
    }
    if (ack.response_action === "update" && ack.view) opened(modalOf(ack.view as Record<string, unknown>));
    for (const r of api.responses.slice(before.responses)) {
      if (r.body.delete_original === true) continue; // removes the message the action came from
      // A response_url answers where its command or click was: replace_original keeps that message (its ts).
      const origin = respondedFrom.get(r.path);
      const replaced = r.body.replace_original === true && origin?.ts;
      replies.push(
        neutralSlack(r.body, r.body.response_type !== "in_channel", {
          channel: origin?.channel ?? CHANNEL,
          ts: replaced ? (origin?.ts as string) : nextTs(),
          ...(origin?.threadTs ? { threadTs: origin.threadTs } : {}),
          text: String(r.body.text ?? ""),
        }),
      );
    }
    return { replies, ack };
  }

  /** Whether the fake refused a call with an error set in `failures` (as it matches them: method and target). */
  function refused(c: ApiCall): boolean {
    const target = String(c.args.channel ?? c.args.team_id ?? c.args.users ?? c.args.user ?? "");
    return api.failures.has(`${c.method} ${target}`) || api.failures.has(c.method);
  }

  function channelGone(isGone: boolean): void {
    if (isGone) {
      gone.add(CHANNEL);
      api.failures.set(`chat.postMessage ${CHANNEL}`, "channel_not_found");
    } else {
      gone.delete(CHANNEL);
      api.failures.delete(`chat.postMessage ${CHANNEL}`);
    }
  }

  function opened(modal: OpenedModal): void {
    modals.push(modal);
    forms.push(neutralModal(modal, CHANNEL));
  }

  function modalOf(view: Record<string, unknown>): OpenedModal {
    const blocks = (Array.isArray(view.blocks) ? view.blocks : []) as Block[];
    return {
      callbackId: String(view.callback_id ?? ""),
      fields: blocks
        .filter((b) => b.type === "input")
        .map((b) => ({ id: String(b.block_id), type: String((b.element as Block | undefined)?.type) })),
      view,
    };
  }

  function fromCall(c: ApiCall): NeutralReply | undefined {
    // A post to a user id lands in the DM with them (where a click on it comes from).
    const channel = dmOf(String(c.args.channel ?? ""));
    const threadTs = typeof c.args.thread_ts === "string" ? c.args.thread_ts : undefined;
    const handle = {
      channel,
      ts: nextTs(),
      ...(threadTs ? { threadTs } : {}),
      text: String(c.args.text ?? ""),
    };
    if (c.method === "chat.postMessage") return neutralSlack(c.args, false, handle);
    if (c.method === "chat.postEphemeral") return neutralSlack(c.args, true, handle);
    if (c.method === "views.publish")
      return neutralSlack((c.args.view ?? {}) as Record<string, unknown>, true, handle);
    return undefined; // assistant.threads.setStatus, auth.test: no reply
  }

  return {
    platform: "slack",
    api,
    modals,
    forms,
    channel: CHANNEL,
    channelGone,
    userGone(isGone) {
      if (isGone) {
        gone.add(user);
        api.failures.set(`chat.postMessage ${user}`, "account_inactive");
      } else {
        gone.delete(user);
        api.failures.delete(`chat.postMessage ${user}`);
      }
    },
    rateLimits(on) {
      api.rateLimit = on ? { perChannelPerSecond: 1 } : undefined;
    },
    rateRefusals: () => api.refusals.length - refusalsBefore,
    proactive() {
      const out: NeutralPost[] = [];
      for (const c of api.calls.slice(since)) {
        if (caused.has(c) || c.method !== "chat.postMessage") continue;
        const channel = String(c.args.channel ?? "");
        if (gone.has(channel)) continue; // refused: channel_not_found
        const conversation = dmOf(channel);
        const handle = { channel: conversation, ts: nextTs(), text: String(c.args.text ?? "") };
        out.push({
          ...neutralSlack(c.args, false, handle),
          where: conversation.startsWith("D") ? "personal" : "channel",
          conversation,
        });
      }
      return out;
    },
    async command(text) {
      const form = new URLSearchParams({
        token: "gIkuvaNzQIHg97ATvDxqgjtO",
        team_id: TEAM,
        team_domain: "musterstadt",
        channel_id: CHANNEL,
        channel_name: "nachhaltigkeit",
        user_id: user,
        user_name: "scenario",
        command: "/lotse",
        text,
        api_app_id: "A0LOTSE01",
        is_enterprise_install: "false",
        response_url: responseUrl({ channel: CHANNEL }),
        trigger_id: `13345224609.738474920.${n}`,
      });
      return step(form.toString(), true);
    },
    async submit(form, given) {
      const modal = "callbackId" in form ? form : (form.handle as OpenedModal);
      // Slack's view state holds what every input shows: its initial value unless the user changed it.
      const shown = neutralModal(modal, CHANNEL).fields;
      const values: Record<string, string | undefined> = Object.fromEntries(
        shown.map((f) => [f.id, f.initial]),
      );
      Object.assign(values, given);
      const state = Object.fromEntries(
        modal.fields.map((f) => [f.id, { [f.id]: elementState(f.type, values[f.id]) }]),
      );
      const payload = {
        type: "view_submission",
        team: { id: TEAM, domain: "musterstadt" },
        user: { id: user, username: "scenario", name: "scenario", team_id: TEAM },
        api_app_id: "A0LOTSE01",
        token: "9s8d9as89d8as9d8as989",
        trigger_id: `12466734323.1395872398.${++n}`,
        view: {
          ...modal.view,
          id: `V0SC${n}`,
          team_id: TEAM,
          state: { values: state },
          hash: `${Math.floor(Date.now() / 1000)}.scenario`,
          app_id: "A0LOTSE01",
          bot_id: "B0LOTSE01",
        },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      const before = forms.length;
      const done = await stepWithAck(interactive(JSON.stringify(payload)), true);
      // Errors at the fields: the same modal, showing them.
      if (done.ack.response_action === "errors") {
        const again = neutralModal(modal, CHANNEL);
        again.errors = { ...(done.ack.errors as Record<string, string>) };
        forms.push(again);
      }
      const next = forms.length > before ? forms.at(-1) : undefined;
      return { ...done, ...(next ? { form: next } : {}) };
    },
    get rt() {
      return lotse.rt;
    },
    get logs() {
      return lotse.logs;
    },
    get userIds() {
      return [user];
    },
    otherTenantId: OTHER_TENANT.slack,
    begin(options = {}) {
      user = options.as === "coordinator" ? COORDINATOR.slack : `U0SC${String(++n).padStart(5, "0")}`;
      // The user as users.info and team_join describe them (the app has users:read.email).
      api.users.clear();
      api.users.set(user, {
        id: user,
        name: options.as === "coordinator" ? "maria.weber" : `szenario.${n}`,
        real_name: options.as === "coordinator" ? "Maria Weber" : "Szenario Nutzerin",
        email: options.as === "coordinator" ? "maria.weber@musterstadt.de" : `szenario.${n}@musterstadt.de`,
      });
      threads = new Map();
      modals.length = 0;
      forms.length = 0;
      since = api.calls.length;
      for (const g of gone) api.failures.delete(`chat.postMessage ${g}`);
      gone.clear();
      api.rateLimit = undefined;
      refusalsBefore = api.refusals.length;
    },
    async say(text, thread) {
      const ts = nextTs();
      const root = threads.get(thread);
      const event = root
        ? // A reply in the thread, without a mention: Lotse answers where it answered before.
          { type: "message", user, text, ts, thread_ts: root, channel: CHANNEL, channel_type: "channel" }
        : { type: "app_mention", user, text: `<@${BOT_USER}> ${text}`, ts, channel: CHANNEL };
      if (!root) threads.set(thread, ts);
      const body = {
        token: "XXYYZZ",
        team_id: TEAM,
        api_app_id: "A0LOTSE01",
        event: { ...event, event_ts: ts, team: TEAM },
        type: "event_callback",
        event_id: `Ev0SC${n}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
      };
      return step(JSON.stringify(body), false);
    },
    async press(reply, wanted) {
      const b = findButton(reply, wanted);
      const where = reply.handle as SlackHandle;
      const payload = {
        type: "block_actions",
        user: { id: user, username: "scenario", name: "scenario", team_id: TEAM },
        api_app_id: "A0LOTSE01",
        token: "9s8d9as89d8as9d8as989",
        container: {
          type: "message",
          message_ts: where.ts,
          channel_id: where.channel,
          is_ephemeral: reply.private,
          ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
        },
        trigger_id: `12466734323.1395872398.${n}`,
        team: { id: TEAM, domain: "musterstadt" },
        channel: { id: where.channel, name: "nachhaltigkeit" },
        message: {
          type: "message",
          user: BOT_USER,
          ts: where.ts,
          text: where.text,
          ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
        },
        state: { values: {} },
        response_url: responseUrl(where),
        actions: [
          {
            action_id: b.actionId,
            block_id: "answer_actions",
            text: { type: "plain_text", text: b.label, emoji: true },
            ...(b.value !== undefined ? { value: b.value } : {}),
            type: "button",
            action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
          },
        ],
      };
      return step(interactive(JSON.stringify(payload)), true);
    },
    async join(options = {}) {
      const ts = nextTs();
      const event =
        options.where === "channel"
          ? {
              type: "member_joined_channel",
              user,
              channel: CHANNEL,
              channel_type: "C",
              team: TEAM,
              inviter: COORDINATOR.slack,
            }
          : {
              type: "team_join",
              user: slackUserObject(api.users.get(user) ?? { id: user, name: user, real_name: user }, TEAM),
              cache_ts: Math.floor(Date.now() / 1000),
            };
      const body = {
        token: "XXYYZZ",
        team_id: TEAM,
        api_app_id: "A0LOTSE01",
        event: { ...event, event_ts: ts },
        type: "event_callback",
        event_id: `Ev0SCJ${++n}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
      };
      return step(JSON.stringify(body), false);
    },
    async restart() {
      if (!canRestart) throw new Error(RESTART_NEEDS_DATABASE);
      // The same workspace, user and threads; a new Lotse process on the same database (and a new port).
      await lotse.close();
      lotse = await startLotse(api, lotseEnv);
    },
    async stop() {
      await lotse.close();
      await api.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

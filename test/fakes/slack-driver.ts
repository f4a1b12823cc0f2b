import {
  findButton,
  type NeutralReply,
  OTHER_TENANT,
  type ScenarioDriver,
  waitUntil,
} from "./neutral.ts";
import { type ApiCall, FakeSlackApi } from "./slack-api.ts";
import { interactive, send } from "./slack-events.ts";
import { startLotse } from "./slack-harness.ts";
import { neutralSlack, type SlackHandle } from "./slack-neutral.ts";

/** The Block Kit reader moved to slack-neutral.ts; re-exported for imports from here. */
export { neutralSlack };

const TEAM = "T0MUSTER1";
const BOT_USER = "U0LOTSE01";
const CHANNEL = "C0NACHHALT";

type Block = Record<string, unknown>;

/** A modal Lotse opened (views.open), as the scenario suite fills it in. */
export interface OpenedModal {
  callbackId: string;
  /** The input blocks' ids (the form's field ids) with their element types. */
  fields: { id: string; type: string }[];
  view: Record<string, unknown>;
}

/** What only Slack has, beyond the neutral driver: /lotse and modals. */
export interface SlackScenarioDriver extends ScenarioDriver {
  readonly api: FakeSlackApi;
  /** The user types `/lotse <text>` in the channel; a modal it opens is in `modals`. */
  command(text: string): Promise<NeutralReply[]>;
  /** Modals Lotse opened for the current user, latest last. */
  readonly modals: OpenedModal[];
  /**
   * The user submits `modal` with these values by field id (strings as the form's fields take them: dates
   * YYYY-MM-DD, times HH:MM, picker ids). Returns the replies, and Slack's answer to the submission (`ack`: empty
   * when the modal closes, else response_action "errors" or "update").
   */
  submit(
    modal: OpenedModal,
    values: Record<string, string | undefined>,
  ): Promise<{ replies: NeutralReply[]; ack: Record<string, unknown> }>;
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
  const lotse = await startLotse(api, env);
  let n = 0;
  let user = "";
  let threads = new Map<string, string>();
  const modals: OpenedModal[] = [];
  const nextTs = () => `${1764100000 + ++n}.000100`;

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
      if (c.method === "views.open") modals.push(modalOf(c.args.view as Record<string, unknown>));
      const r = fromCall(c);
      if (r) replies.push(r);
    }
    if (ack.response_action === "update" && ack.view)
      modals.push(modalOf(ack.view as Record<string, unknown>));
    for (const r of api.responses.slice(before.responses)) {
      if (r.body.delete_original === true) continue; // removes the message the action came from
      replies.push(
        neutralSlack(r.body, r.body.response_type !== "in_channel", {
          channel: CHANNEL,
          ts: nextTs(),
          text: String(r.body.text ?? ""),
        }),
      );
    }
    return { replies, ack };
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
    const channel = String(c.args.channel ?? "");
    const threadTs = typeof c.args.thread_ts === "string" ? c.args.thread_ts : undefined;
    const handle = {
      channel,
      ts: nextTs(),
      ...(threadTs ? { threadTs } : {}),
      text: String(c.args.text ?? ""),
    };
    if (c.method === "chat.postMessage") return neutralSlack(c.args, false, handle);
    if (c.method === "chat.postEphemeral") return neutralSlack(c.args, true, handle);
    if (c.method === "views.publish" || c.method === "views.open")
      return neutralSlack((c.args.view ?? {}) as Record<string, unknown>, true, handle);
    return undefined; // assistant.threads.setStatus, auth.test: no reply
  }

  return {
    platform: "slack",
    api,
    modals,
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
        response_url: `${api.url}respond/${++n}`,
        trigger_id: `13345224609.738474920.${n}`,
      });
      return step(form.toString(), true);
    },
    async submit(modal, values) {
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
      return stepWithAck(interactive(JSON.stringify(payload)), true);
    },
    rt: lotse.rt,
    logs: lotse.logs,
    get userIds() {
      return [user];
    },
    otherTenantId: OTHER_TENANT.slack,
    begin() {
      user = `U0SC${String(++n).padStart(5, "0")}`;
      threads = new Map();
      modals.length = 0;
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
        response_url: `${api.url}respond/${++n}`,
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
    async join() {
      throw new Error("Slack: no join events are subscribed");
    },
    async stop() {
      await lotse.close();
      await api.stop();
    },
  };
}

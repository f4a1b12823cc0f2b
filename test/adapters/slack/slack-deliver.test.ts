import type { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { type DeliveryTarget, deliver } from "../../../adapters/slack/slack-deliver.ts";
import type { SlackPoster } from "../../../adapters/slack/slack-poster.ts";
import { plainAnswer } from "../../../src/assistant/answer.ts";
import type { AnswerView, Form, Reply } from "../../../src/core/replies.ts";
import { LotseError } from "../../../src/errors.ts";
import { createLogger } from "../../../src/log.ts";

/** Slack's refusal of a call, as the Web API client throws it. */
const platformError = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: "slack_webapi_platform_error",
    data: { ok: false, error },
  });

/**
 * Records what would go to Slack, in order: posts, Web API calls, responses, acknowledgements. `refuse` maps
 * "method channel" to Slack's error for that call (recorded, then thrown).
 */
function recorder(refuse: Record<string, string> = {}) {
  const sent: [string, Record<string, unknown>][] = [];
  const fail = (method: string, args: Record<string, unknown>) => {
    const error = refuse[`${method} ${String(args.channel ?? "")}`];
    if (error) throw platformError(error);
  };
  const poster = {
    post: async (args: Record<string, unknown>) => {
      sent.push(["chat.postMessage", args]);
      try {
        fail("chat.postMessage", args);
      } catch (err) {
        throw new LotseError("SLACK_POST_FAILED", "refused", { cause: err });
      }
      return "1764070001.000100";
    },
  } as unknown as SlackPoster;
  const api = (method: string) => async (args: Record<string, unknown>) => {
    sent.push([method, args]);
    fail(method, args);
    return { ok: true };
  };
  const client = {
    chat: { postEphemeral: api("chat.postEphemeral"), update: api("chat.update") },
    views: { open: api("views.open"), publish: api("views.publish") },
  } as unknown as WebClient;
  const respond = async (args: Record<string, unknown>) => {
    sent.push(["respond", args]);
  };
  const ack = async (args?: Record<string, unknown>) => {
    sent.push(["ack", args ?? {}]);
  };
  const deps = { poster, client: () => client, log: createLogger("silent") };
  return { sent, deps, respond, ack };
}

const view: AnswerView = {
  answer: plainAnswer("answer", "Bis 30. Juni 2026."),
  question: "Bis wann?",
  headings: { sources: "Quellen", goals: "Ziele", nextSteps: "Nächste Schritte" },
  actions: [{ label: "👍", actionId: "feedback.up", value: '{"q":"Bis wann?","d":[]}' }],
};
const form: Form = {
  id: "reminder.create",
  title: "Erinnerung",
  submitLabel: "Anlegen",
  fields: [{ id: "date", label: "Wann?", type: "date", required: true }],
};

describe("delivering the core's replies to Slack", () => {
  it("posts nothing for no replies", async () => {
    const r = recorder();
    const target: DeliveryTarget = {
      kind: "thread",
      channel: "C0NACHHALT",
      threadTs: "1.1",
      user: "U0ERIKA01",
    };
    expect(await deliver(r.deps, [], target)).toBe(0);
    expect(r.sent).toEqual([]);
  });

  it("answers a message in its thread; a private reply in a channel only to the sender", async () => {
    const r = recorder();
    const replies: Reply[] = [
      { kind: "answer", view },
      { kind: "notice", text: "Nur für Sie.", private: true },
    ];
    await deliver(r.deps, replies, {
      kind: "thread",
      channel: "C0NACHHALT",
      threadTs: "1.1",
      user: "U0ERIKA01",
    });
    expect(r.sent.map(([m, a]) => [m, a.channel, a.thread_ts, a.user])).toEqual([
      ["chat.postMessage", "C0NACHHALT", "1.1", undefined],
      ["chat.postEphemeral", "C0NACHHALT", "1.1", "U0ERIKA01"],
    ]);
  });

  it("answers /lotse and buttons ephemerally, posts a shared answer into the channel and then removes the original", async () => {
    const r = recorder();
    const target: DeliveryTarget = {
      kind: "respond",
      respond: r.respond as never,
      user: "U0ERIKA01",
      channel: "C0NACHHALT",
      triggerId: "trig",
    };
    await deliver(r.deps, [{ kind: "answer", view, private: true }], target);
    await deliver(r.deps, [{ kind: "notice", text: "Danke!", private: true }], target);
    await deliver(r.deps, [{ kind: "answer", view, dismissSource: true }], target);
    expect(
      r.sent.map(([m, a]) => [m, a.response_type, a.replace_original, a.delete_original, a.channel]),
    ).toEqual([
      ["respond", "ephemeral", false, undefined, undefined],
      ["respond", "ephemeral", false, undefined, undefined],
      ["chat.postMessage", undefined, undefined, undefined, "C0NACHHALT"],
      ["respond", "ephemeral", undefined, true, undefined],
    ]);
  });

  it("replaces the message an action came from, and opens a form as a modal with the trigger", async () => {
    const r = recorder();
    const target: DeliveryTarget = {
      kind: "respond",
      respond: r.respond as never,
      user: "U0ERIKA01",
      channel: "C0NACHHALT",
      threadTs: "1.1",
      triggerId: "trig",
    };
    await deliver(
      r.deps,
      [
        { kind: "update", card: { sections: [{ text: "Pausiert." }] } },
        { kind: "form", form },
      ],
      target,
    );
    // The form first: its trigger expires.
    expect(r.sent[1]).toEqual([
      "respond",
      expect.objectContaining({ replace_original: true, text: "Pausiert." }),
    ]);
    expect(r.sent[0]?.[0]).toBe("views.open");
    expect(r.sent[0]?.[1]).toMatchObject({
      trigger_id: "trig",
      view: { type: "modal", callback_id: "reminder.create" },
    });
  });

  it("opens a form before anything else it answers with: the trigger expires three seconds after the command", async () => {
    const r = recorder();
    await deliver(
      r.deps,
      [
        { kind: "notice", text: "Ich habe Ihren Text vorausgefüllt.", private: true },
        { kind: "form", form },
      ],
      {
        kind: "respond",
        respond: r.respond as never,
        user: "U0ERIKA01",
        channel: "C0NACHHALT",
        triggerId: "trig",
      },
    );
    expect(r.sent.map(([m]) => m)).toEqual(["views.open", "respond"]);
    expect(r.sent[0]?.[1]).toMatchObject({ trigger_id: "trig", view: { callback_id: "reminder.create" } });
    // The modal knows where it was opened: its submission's confirmation goes there.
    const view = r.sent[0]?.[1].view as { private_metadata: string };
    expect(JSON.parse(view.private_metadata)).toEqual({ v: 1, c: "C0NACHHALT" });
  });

  it("publishes the Home tab", async () => {
    const r = recorder();
    await deliver(r.deps, [{ kind: "card", card: { title: "Lotse", sections: [{ text: "Hilfe" }] } }], {
      kind: "home",
      user: "U0ERIKA01",
    });
    expect(r.sent).toEqual([
      [
        "views.publish",
        {
          user_id: "U0ERIKA01",
          view: {
            type: "home",
            blocks: [
              { type: "header", text: { type: "plain_text", text: "Lotse", emoji: true } },
              { type: "section", text: { type: "mrkdwn", text: "Hilfe" } },
            ],
          },
        },
      ],
    ]);
  });

  it("answers a re-submitted form with its errors at the fields, a valid one by closing it and confirming", async () => {
    const r = recorder();
    const target = {
      kind: "submit" as const,
      ack: r.ack,
      user: "U0ERIKA01",
      channel: "C0NACHHALT",
      threadTs: "1.1",
    };
    await deliver(
      r.deps,
      [{ kind: "form", form: { ...form, errors: { date: "Bitte ein Datum wählen." } } }],
      target,
    );
    await deliver(r.deps, [{ kind: "notice", text: "Erinnerung angelegt." }], {
      ...target,
      channel: undefined,
    });
    expect(r.sent.map(([m, a]) => [m, a.response_action ?? a.channel, a.errors ?? a.text])).toEqual([
      ["ack", "errors", { date: "Bitte ein Datum wählen." }],
      ["ack", undefined, undefined],
      ["chat.postMessage", "U0ERIKA01", "Erinnerung angelegt."],
    ]);
  });

  const confirmation: Reply = {
    kind: "card",
    private: true,
    card: {
      title: "Erinnerung prüfen",
      sections: [
        { text: "Jährlich am 31. März um 10:00 Uhr", items: ["31.03.2026", "31.03.2027", "31.03.2028"] },
      ],
      buttons: [
        { label: "Speichern", actionId: "reminder.confirm", value: "d:1", style: "primary" },
        { label: "Ändern", actionId: "reminder.edit", value: "d:1" },
        { label: "Verwerfen", actionId: "reminder.discard", value: "d:1" },
      ],
    },
  };

  it("closes a submitted modal and shows a private card with its buttons to the user in the channel it came from", async () => {
    const r = recorder();
    const n = await deliver(r.deps, [confirmation], {
      kind: "submit",
      ack: r.ack,
      user: "U0ERIKA01",
      channel: "C0NACHHALT",
    });
    expect(n).toBe(1);
    expect(r.sent.map(([m, a]) => [m, a.channel, a.user])).toEqual([
      ["ack", undefined, undefined],
      ["chat.postEphemeral", "C0NACHHALT", "U0ERIKA01"],
    ]);
    expect(r.sent[0]?.[1]).toEqual({});
    const blocks = r.sent[1]?.[1].blocks as { type: string; elements?: { action_id: string }[] }[];
    expect(blocks.at(-1)?.elements?.map((e) => e.action_id)).toEqual([
      "reminder.confirm",
      "reminder.edit",
      "reminder.discard",
    ]);
  });

  it("sends the card to the user's DM instead where Lotse may not write: a channel it is not in, someone else's DM", async () => {
    for (const [channel, method, error] of [
      ["C0OHNELOTS", "chat.postEphemeral", "not_in_channel"],
      ["G0PRIVAT01", "chat.postEphemeral", "channel_not_found"],
      ["D0ANDERE01", "chat.postMessage", "channel_not_found"],
    ] as const) {
      const r = recorder({ [`${method} ${channel}`]: error });
      const n = await deliver(r.deps, [confirmation], {
        kind: "submit",
        ack: r.ack,
        user: "U0ERIKA01",
        channel,
      });
      expect(n, channel).toBe(1);
      expect(
        r.sent.map(([m, a]) => [m, a.channel]),
        channel,
      ).toEqual([
        ["ack", undefined],
        [method, channel],
        ["chat.postMessage", "U0ERIKA01"],
      ]);
      expect(r.sent[2]?.[1].blocks, channel).toEqual(r.sent[1]?.[1].blocks);
    }
  });

  it("does not redirect what Slack refuses for another reason, nor retry the DM itself", async () => {
    const r = recorder({
      "chat.postEphemeral C0NACHHALT": "invalid_blocks",
      "chat.postMessage U0ERIKA01": "not_in_channel",
    });
    expect(
      await deliver(r.deps, [confirmation], {
        kind: "submit",
        ack: r.ack,
        user: "U0ERIKA01",
        channel: "C0NACHHALT",
      }),
    ).toBe(0);
    expect(await deliver(r.deps, [confirmation], { kind: "submit", ack: r.ack, user: "U0ERIKA01" })).toBe(0);
    expect(r.sent.map(([m, a]) => [m, a.channel])).toEqual([
      ["ack", undefined],
      ["chat.postEphemeral", "C0NACHHALT"],
      ["ack", undefined],
      ["chat.postMessage", "U0ERIKA01"],
    ]);
  });

  it("answers a submission whose reply is the next form with that form in place of the modal", async () => {
    const r = recorder();
    await deliver(r.deps, [{ kind: "form", form: { ...form, id: "reminder.confirm-text", state: "d:1" } }], {
      kind: "submit",
      ack: r.ack,
      user: "U0ERIKA01",
      channel: "C0NACHHALT",
      threadTs: "1.1",
    });
    expect(r.sent).toEqual([
      [
        "ack",
        {
          response_action: "update",
          view: expect.objectContaining({
            type: "modal",
            callback_id: "reminder.confirm-text",
            private_metadata: JSON.stringify({ v: 1, s: "d:1", c: "C0NACHHALT", t: "1.1" }),
          }),
        },
      ],
    ]);
  });
});

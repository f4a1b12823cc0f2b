import type { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { type DeliveryTarget, deliver } from "../../../adapters/slack/slack-deliver.ts";
import type { SlackPoster } from "../../../adapters/slack/slack-poster.ts";
import { plainAnswer } from "../../../src/assistant/answer.ts";
import type { AnswerView, Form, Reply } from "../../../src/core/replies.ts";
import { createLogger } from "../../../src/log.ts";

/** Records what would go to Slack, in order: posts, Web API calls, responses, acknowledgements. */
function recorder() {
  const sent: [string, Record<string, unknown>][] = [];
  const poster = {
    post: async (args: Record<string, unknown>) => {
      sent.push(["chat.postMessage", args]);
      return "1764070001.000100";
    },
  } as unknown as SlackPoster;
  const api = (method: string) => async (args: Record<string, unknown>) => {
    sent.push([method, args]);
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
    expect(r.sent[0]).toEqual([
      "respond",
      expect.objectContaining({ replace_original: true, text: "Pausiert." }),
    ]);
    expect(r.sent[1]?.[0]).toBe("views.open");
    expect(r.sent[1]?.[1]).toMatchObject({
      trigger_id: "trig",
      view: { type: "modal", callback_id: "reminder.create" },
    });
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
});

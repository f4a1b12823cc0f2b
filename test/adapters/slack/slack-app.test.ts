import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSlackAdapter } from "../../../adapters/slack/slack-app.ts";
import { loadConfig } from "../../../src/config.ts";
import type { Inbound } from "../../../src/core/inbound.ts";
import type { Form } from "../../../src/core/replies.ts";
import { createLogger } from "../../../src/log.ts";
import { createApp } from "../../../src/server/app.ts";
import { listen } from "../../../src/server/serve.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { APP_TOKEN, BOT_TOKEN, blockText, fixture, interactive, send } from "../../fakes/slack-events.ts";
import { startLotse } from "../../fakes/slack-harness.ts";
import { waitForLog, waitForLogs } from "../../fakes/wait.ts";
import { freshSchemaUrl, ROOT } from "../../helpers.ts";

describe("Slack adapter over HTTP (signed requests, fake Web API)", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;

  beforeAll(async () => {
    await api.start();
    lotse = await startLotse(api);
  });
  afterEach(() => api.reset());
  afterAll(async () => {
    await lotse.close();
    await api.stop();
  });

  it("answers url_verification with the challenge", async () => {
    const { res } = await send(lotse.base, await fixture("url-verification.json"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("acknowledges an app_mention at once and answers in its thread with sources, next steps, contacts, 👍/👎", async () => {
    const { res, ms } = await send(lotse.base, await fixture("app-mention.json"));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(3000);
    await api.waitFor("chat.postMessage");
    const status = api.calls.find((c) => c.method === "assistant.threads.setStatus");
    expect(status?.args).toMatchObject({
      channel_id: "C0NACHHALT",
      thread_ts: "1764064800.000100",
      status: "sucht in den Leitfäden …",
    });
    const [post] = api.posts();
    expect(post?.args).toMatchObject({ channel: "C0NACHHALT", thread_ts: "1764064800.000100" });
    const blocks = blockText(post?.args ?? {});
    expect(blocks).toContain('"type":"context"');
    expect(blocks).toMatch(/Nachhaltige Beschaffung von IT-Hardware/);
    expect(blocks).toContain("https://intranet.musterstadt.example/");
    expect(blocks).toContain("Ansprechpersonen");
    expect(blocks).toContain("<@U0MSVERG01>");
    expect(blocks).toContain("feedback.up");
    expect(blocks).toContain("answer_actions");
    expect(blocks).toContain("Welche Kriterien gelten für die Beschaffung von Laptops?");
    expect(String(post?.args.text)).toContain("Beschaffung");
  });

  it("answers an app_mention inside a thread in that thread", async () => {
    await send(lotse.base, await fixture("app-mention-thread.json"));
    await api.waitFor("chat.postMessage");
    expect(api.posts()[0]?.args).toMatchObject({ channel: "C0NACHHALT", thread_ts: "1764065000.000200" });
    expect(blockText(api.posts()[0]?.args ?? {})).toMatch(/30\. Juni 2026/);
  });

  it("answers a DM, and a follow-up in a thread where it already answered without a new mention", async () => {
    await send(lotse.base, await fixture("message-im.json"));
    await api.waitFor("chat.postMessage");
    expect(api.posts()[0]?.args).toMatchObject({ channel: "D0ERIKALOT" });
    expect(blockText(api.posts()[0]?.args ?? {})).toMatch(/Bahn|1\.000 km/);
    // The thread of the first test's mention is known: a plain reply there is answered.
    await send(lotse.base, await fixture("thread-followup.json"));
    await api.waitFor("chat.postMessage", 2);
    expect(api.posts()[1]?.args).toMatchObject({ channel: "C0NACHHALT", thread_ts: "1764064800.000100" });
    // A reply in a thread Lotse never answered in is not its business.
    const stranger = (await fixture("thread-followup.json"))
      .replace('"thread_ts": "1764064800.000100"', '"thread_ts": "1764069999.000900"')
      .replace("Ev0FOLLOW01", "Ev0FOLLOW02");
    await send(lotse.base, stranger);
    await waitForLog(lotse.logs, (l) => l.event === "slack_handled" && l.eventId === "Ev0FOLLOW02");
    expect(api.posts()).toHaveLength(2);
  });

  it("answers a DM that @mentions Lotse (Slack sends no app_mention for DMs)", async () => {
    const dm = (await fixture("message-im.json"))
      .replace(
        '"Darf ich für eine Dienstreise nach München fliegen?"',
        '"<@U0LOTSE01> Darf ich für eine Dienstreise nach München fliegen?"',
      )
      .replace("Ev0DM00001", "Ev0DMMENT01");
    await send(lotse.base, dm);
    await api.waitFor("chat.postMessage");
    expect(api.posts()[0]?.args.channel).toBe("D0ERIKALOT");
  });

  it("gives exactly one answer to an event Slack retries", async () => {
    const body = (await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0RETRY001");
    await send(lotse.base, body);
    await send(lotse.base, body, {
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    await send(lotse.base, body, {
      headers: { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" },
    });
    await api.waitFor("chat.postMessage");
    // Both retries were refused by their claim (each logs it); then the one answer.
    await waitForLogs(lotse.logs, (l) => l.event === "duplicate" && l.eventId === "Ev0RETRY001", 2);
    await waitForLog(lotse.logs, (l) => l.event === "slack_handled" && l.eventId === "Ev0RETRY001");
    expect(api.posts()).toHaveLength(1);
  });

  it("answers /lotse ephemerally with a share button, and /lotse hilfe with help", async () => {
    const form = await fixture("slash-command.form", {
      "{{responseUrl}}": encodeURIComponent(`${api.url}respond/cmd1`),
    });
    const { res } = await send(lotse.base, form, { form: true });
    expect(res.status).toBe(200);
    await api.waitForResponses(1);
    const reply = api.responses[0]?.body ?? {};
    expect(reply.response_type).toBe("ephemeral");
    expect(JSON.stringify(reply.blocks)).toContain("answer.share");
    expect(JSON.stringify(reply.blocks)).toContain("Im Kanal teilen");
    expect(JSON.stringify(reply.blocks)).toMatch(/10\.000 Euro/);
    const help = form.replace(/text=[^&]*/, "text=hilfe");
    await send(lotse.base, help, { form: true });
    await api.waitForResponses(2);
    expect(JSON.stringify(api.responses[1]?.body)).toContain("So helfe ich Ihnen");
  });

  it("opens a reminder form for /lotse erinnerung with the command's trigger, and confirms its submission to the user", async () => {
    const seen: Inbound[] = [];
    const form: Form = {
      id: "reminder.create",
      title: "Erinnerung anlegen",
      submitLabel: "Weiter",
      state: "c1",
      fields: [
        { id: "text", label: "Woran?", type: "longtext", required: true, initial: "Indikatoren melden" },
        { id: "target", label: "Wo?", type: "conversation", required: true, defaultToCurrent: true },
      ],
    };
    const spy = vi.spyOn(lotse.rt.core, "handle").mockImplementation(async (inbound) => {
      seen.push(inbound);
      if (inbound.kind === "message") return { replies: [{ kind: "form", form }] };
      return {
        replies: [
          {
            kind: "card",
            private: true,
            card: {
              title: "Erinnerung prüfen",
              sections: [{ text: "Jährlich am 31. März um 10:00 Uhr" }],
              buttons: [{ label: "Speichern", actionId: "reminder.confirm", value: "d:1", style: "primary" }],
            },
          },
        ],
      };
    });
    try {
      const command = await fixture("slash-command.form", {
        "{{responseUrl}}": encodeURIComponent(`${api.url}respond/cmd-rem`),
      });
      await send(lotse.base, command.replace(/text=[^&]*/, "text=erinnerung+jährlich+am+31.3.+Indikatoren"), {
        form: true,
      });
      await api.waitFor("views.open");
      expect(seen[0]).toMatchObject({
        kind: "message",
        text: "erinnerung jährlich am 31.3. Indikatoren",
        private: true,
      });
      const opened = api.callsOf("views.open")[0]?.args as {
        trigger_id: string;
        view: Record<string, unknown>;
      };
      expect(opened.trigger_id).toBe("13345224609.738474920.8088930838d88f008e0");
      expect(opened.view).toMatchObject({ type: "modal", callback_id: "reminder.create" });
      // Slack hands the view back on submission, with the picker's choice.
      const submission = JSON.parse(await fixture("view-submission-form.json"));
      submission.view = {
        ...submission.view,
        private_metadata: opened.view.private_metadata,
        state: {
          values: {
            text: { text: { type: "plain_text_input", value: "Indikatoren melden" } },
            target: { target: { type: "conversations_select", selected_conversation: "C0BERICHT1" } },
          },
        },
      };
      const { res } = await send(lotse.base, interactive(JSON.stringify(submission)), { form: true });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(""); // the modal closes
      await api.waitFor("chat.postEphemeral");
      expect(seen[1]).toMatchObject({
        kind: "submit",
        formId: "reminder.create",
        values: { text: "Indikatoren melden", target: "C0BERICHT1" },
        state: "c1",
        conversation: { id: "C0NACHHALT", kind: "channel" },
      });
      const card = api.callsOf("chat.postEphemeral")[0]?.args ?? {};
      expect([card.channel, card.user]).toEqual(["C0NACHHALT", "U0ERIKA01"]);
      expect(blockText(card)).toContain("reminder.confirm");
    } finally {
      spy.mockRestore();
    }
  });

  it("shares an ephemeral answer into the channel, with the question escaped", async () => {
    const share = JSON.parse(
      await fixture("block-actions-feedback.json", { "{{responseUrl}}": `${api.url}respond/act1` }),
    );
    share.actions = [
      {
        action_id: "share_answer",
        block_id: "answer_actions",
        type: "button",
        value: "<!channel> Bis wann muss die Wärmeplanung fertig sein?",
        action_ts: "1764064901.1",
      },
    ];
    const { res } = await send(lotse.base, interactive(JSON.stringify(share)), { form: true });
    expect(res.status).toBe(200);
    await api.waitFor("chat.postMessage");
    const post = api.posts()[0];
    expect(post?.args.channel).toBe("C0NACHHALT");
    // Every text Slack renders (button values are data, not shown).
    const texts: string[] = [];
    JSON.stringify(post?.args.blocks, (key, v) => {
      if (key === "text" && typeof v === "string") texts.push(v);
      return v;
    });
    expect(texts.join("\n")).toContain("&lt;!channel&gt;");
    expect(texts.join("\n")).not.toContain("<!channel>");
    expect(String(post?.args.text)).not.toContain("<!channel>");
    // The ephemeral original is removed once the answer is shared.
    await api.waitForResponses(1);
    expect(api.responses[0]?.body).toMatchObject({ delete_original: true });
  });

  it("records 👍/👎 with the question and the cited documents", async () => {
    const body = await fixture("block-actions-feedback.json", { "{{responseUrl}}": `${api.url}respond/fb1` });
    const { res } = await send(lotse.base, interactive(body), { form: true });
    expect(res.status).toBe(200);
    await api.waitForResponses(1);
    const rows = await lotse.rt.db.query<{
      rating: string;
      question: string;
      doc_ids: string[];
      platform: string;
    }>("SELECT rating, question, doc_ids, platform FROM feedback");
    expect(rows.rows).toEqual([
      {
        rating: "down",
        question: "Welche Kriterien gelten für die Beschaffung von Laptops?",
        doc_ids: ["it-hardware-beschaffung", "musterstadt-it-beschaffung"],
        platform: "slack",
      },
    ]);
    expect(JSON.stringify(api.responses[0]?.body)).toContain("Danke");
  });

  it("records 👍 from today's buttons (feedback.up) like the legacy ones, and thanks ephemerally", async () => {
    const body = await fixture("block-actions-feedback-up.json", {
      "{{responseUrl}}": `${api.url}respond/fb2`,
    });
    expect((await send(lotse.base, interactive(body), { form: true })).res.status).toBe(200);
    await api.waitForResponses(1);
    const rows = await lotse.rt.db.query<{ rating: string; question: string; conversation_id: string }>(
      "SELECT rating, question, conversation_id FROM feedback WHERE rating = 'up'",
    );
    expect(rows.rows).toEqual([
      {
        rating: "up",
        question: "Bis wann muss die Wärmeplanung fertig sein?",
        conversation_id: "C0NACHHALT:1764065000.000200",
      },
    ]);
    expect(api.responses[0]?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(JSON.stringify(api.responses[0]?.body)).toContain("Danke");
    expect(api.posts()).toEqual([]);
  });

  it("answers /lotse alone with the help, ephemerally", async () => {
    const form = (
      await fixture("slash-command.form", { "{{responseUrl}}": encodeURIComponent(`${api.url}respond/cmd2`) })
    ).replace(/text=[^&]*/, "text=");
    expect((await send(lotse.base, form, { form: true })).res.status).toBe(200);
    await api.waitForResponses(1);
    expect(api.responses[0]?.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(api.responses[0]?.body)).toContain("So helfe ich Ihnen");
    expect(api.posts()).toEqual([]);
  });

  it("acknowledges next-step URL buttons", async () => {
    const click = JSON.parse(
      await fixture("block-actions-feedback.json", { "{{responseUrl}}": `${api.url}respond/ns1` }),
    );
    click.actions = [
      {
        action_id: "next_step_0",
        block_id: "next_steps",
        type: "button",
        url: "https://www.kompass-nachhaltigkeit.de/",
        action_ts: "1764064902.1",
      },
    ];
    const { res } = await send(lotse.base, interactive(JSON.stringify(click)), { form: true });
    expect(res.status).toBe(200);
  });

  it("publishes the Home tab and suggests prompts in the agent view", async () => {
    await send(lotse.base, await fixture("app-home-opened.json"));
    await api.waitFor("views.publish");
    const home = JSON.stringify(api.calls.find((c) => c.method === "views.publish")?.args);
    expect(home).toContain("So helfe ich Ihnen");
    expect(home).toContain('"type":"header"');
    expect(home).toContain("Lotse – Nachhaltigkeitsassistent");
    expect(home).toContain("&lt;Frage&gt;");
    expect(home).not.toContain("<Frage>");
    const messages = (await fixture("app-home-opened.json"))
      .replace('"tab": "home"', '"tab": "messages"')
      .replace("Ev0HOME0001", "Ev0HOME0002");
    await send(lotse.base, messages);
    await api.waitFor("assistant.threads.setSuggestedPrompts");
    const prompts = api.calls.find((c) => c.method === "assistant.threads.setSuggestedPrompts")?.args;
    expect(prompts).toMatchObject({ channel_id: "D0ERIKALOT" });
    expect(prompts?.thread_ts).toBeUndefined();
  });

  it("rejects bad signatures and timestamps more than five minutes in the past or future with 401", async () => {
    const body = (await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0BADSIG01");
    expect((await send(lotse.base, body, { secret: "falsches-geheimnis-123" })).res.status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await send(lotse.base, body, { ts: now - 6 * 60 })).res.status).toBe(401);
    expect((await send(lotse.base, body, { ts: now + 6 * 60 })).res.status).toBe(401);
    // Refused before Bolt: no work was started that could still post.
    expect(lotse.rt.work.size).toBe(0);
    expect(api.posts()).toHaveLength(0);
  });

  it("sends proactively through the Notifier: into a thread and as a new top-level message", async () => {
    expect(lotse.rt.notifiers.get("slack")).toBe(lotse.slack.notifier);
    const inThread = await lotse.slack.notifier.send(
      { kind: "conversation", conversationId: "C0NACHHALT:1764064800.000100" },
      { kind: "notice", text: "Erinnerung: Indikatoren bis 31. März melden." },
    );
    expect(inThread).toEqual({ ok: true, conversationId: "C0NACHHALT:1764064800.000100" });
    const thread = await lotse.slack.notifier.send(
      { kind: "new-thread", channelConversationId: "C0NACHHALT" },
      { kind: "notice", text: "Neue Frist: Produktblätter bis 30. September." },
    );
    expect(api.posts().map((p) => [p.args.channel, p.args.thread_ts, p.args.text])).toEqual([
      ["C0NACHHALT", "1764064800.000100", "Erinnerung: Indikatoren bis 31. März melden."],
      ["C0NACHHALT", undefined, "Neue Frist: Produktblätter bis 30. September."],
    ]);
    expect(thread).toMatchObject({
      ok: true,
      conversationId: expect.stringMatching(/^C0NACHHALT:\d+\.000100$/),
    });
  });

  it("sends personally to a user's DM, and hands a 429 back to the caller instead of retrying it", async () => {
    const personal = { kind: "user" as const, userId: "U0ERIKA01", tenant: "musterstadt" };
    expect(await lotse.slack.notifier.send(personal, { kind: "notice", text: "Ihre Erinnerung." })).toEqual({
      ok: true,
      conversationId: "D0ERIKA01",
    });
    api.rateLimit = { times: 5, retryAfter: 2 };
    expect(await lotse.slack.notifier.send(personal, { kind: "notice", text: "Noch eine." })).toEqual({
      ok: false,
      reason: "rate-limited",
      retryAfterMs: 2000,
    });
    expect(api.refusals).toHaveLength(1);
    expect(api.posts()).toHaveLength(1);
  });

  it("registers its roster, which reads the team's user groups", async () => {
    expect(lotse.rt.rosters.get("slack")).toBe(lotse.slack.roster);
    api.usergroups.set("T0MUSTER1", [{ id: "S0KOORD001", handle: "koordination", users: ["U0JULIA01"] }]);
    const inbound = {
      kind: "home" as const,
      platform: "slack" as const,
      externalTenantId: "T0MUSTER1",
      user: { id: "U0JULIA01" },
      conversation: { id: "D0JULIA01", kind: "personal" as const, channel: "D0JULIA01" },
      receivedAt: new Date(),
    };
    expect(await lotse.slack.roster.memberships(inbound)).toEqual({
      usergroups: ["S0KOORD001"],
      teamOwner: false,
    });
    expect(api.callsOf("usergroups.list")).toHaveLength(1);
  });

  it("posts an apology with the default contact when answering fails, and keeps serving", async () => {
    const spy = vi
      .spyOn(lotse.rt.assistant, "answer")
      .mockRejectedValueOnce(new Error("Datenbank weg (simuliert)"));
    await send(lotse.base, (await fixture("message-im.json")).replace("Ev0DM00001", "Ev0DMFAIL01"));
    await api.waitFor("chat.postMessage");
    spy.mockRestore();
    expect(blockText(api.posts()[0]?.args ?? {})).toContain("Entschuldigung");
    expect(blockText(api.posts()[0]?.args ?? {})).toContain("Julia Sommer");
    await send(lotse.base, (await fixture("message-im.json")).replace("Ev0DM00001", "Ev0DMOK0001"));
    await api.waitFor("chat.postMessage", 2);
    expect(blockText(api.posts()[1]?.args ?? {})).toContain('"type":"context"');
  });
});

describe("Slack adapter: team allowlist", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;
  beforeAll(async () => {
    await api.start();
    lotse = await startLotse(api, { LOTSE_TENANT_MAP: "slack:T0ANDERE1=musterstadt" });
  });
  afterAll(async () => {
    await lotse.close();
    await api.stop();
  });

  it("refuses a team that is not mapped, politely and without knowledge", async () => {
    await send(lotse.base, await fixture("message-im.json"));
    await api.waitFor("chat.postMessage");
    const blocks = blockText(api.posts()[0]?.args ?? {});
    expect(blocks).toContain("nicht freigeschaltet");
    expect(blocks).not.toContain('"type":"context"');
    expect(lotse.logs.find((l) => l.code === "TENANT_UNKNOWN")).toMatchObject({
      platform: "slack",
      externalTenantId: "T0MUSTER1",
    });
  });

  it("refuses 👍/👎 from a team that is not mapped ephemerally, and stores nothing", async () => {
    const body = await fixture("block-actions-feedback.json", { "{{responseUrl}}": `${api.url}respond/fb9` });
    expect((await send(lotse.base, interactive(body), { form: true })).res.status).toBe(200);
    await api.waitForResponses(1);
    expect(api.responses[0]?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(JSON.stringify(api.responses[0]?.body)).toContain("nicht freigeschaltet");
    expect((await lotse.rt.db.query("SELECT 1 FROM feedback")).rows).toEqual([]);
  });
});

describe("Slack adapter in Socket Mode", () => {
  it("is configured without network: no HTTP route, nothing sent until start()", async () => {
    const api = new FakeSlackApi();
    await api.start();
    const config = loadConfig(
      {
        LOTSE_DATA_DIR: ":memory:",
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: api.apiUrl,
      },
      ROOT,
    );
    expect(config.slack?.mode).toBe("socket");
    const adapter = createSlackAdapter({ config, runtime: {} as never, log: createLogger("silent") });
    expect(adapter.mode).toBe("socket");
    const server = await listen(
      createApp({
        log: createLogger("silent"),
        ready: async () => ({ ok: true, database: true, documents: 1 }),
        mount: (a) => adapter.mount(a),
      }),
      0,
      "127.0.0.1",
    );
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, {
      method: "POST",
      body: "{}",
    });
    expect(res.status).toBe(404);
    // Nothing was started that could call Slack later: no listener ran, start() was never called.
    expect(api.calls).toHaveLength(0);
    await new Promise((r) => server.close(r));
    await api.stop();
  });
});

describe("Slack adapter: two replicas on one PostgreSQL server", () => {
  it("answers a retried event once, whichever replica receives the retry", async () => {
    const api = new FakeSlackApi();
    await api.start();
    const schema = await freshSchemaUrl();
    const a = await startLotse(api, { DATABASE_URL: schema.url, LOTSE_AUTO_INGEST: "true" });
    const b = await startLotse(api, { DATABASE_URL: schema.url, LOTSE_AUTO_INGEST: "false" });
    try {
      const body = (await fixture("app-mention.json")).replace("Ev0MENTION01", "Ev0REPLICA1");
      await send(a.base, body);
      await send(b.base, body, {
        headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
      });
      await api.waitFor("chat.postMessage");
      // Both acknowledge before they claim, so either replica may win the claim: one answers, the other skips it.
      // Bounds, not sleeps: on a loaded two-core machine two PostgreSQL-backed replicas can take seconds.
      const isDuplicate = (l: Record<string, unknown>) =>
        l.event === "duplicate" && l.eventId === "Ev0REPLICA1";
      const isHandled = (l: Record<string, unknown>) =>
        l.event === "slack_handled" && l.eventId === "Ev0REPLICA1";
      const skipper = await Promise.any([
        waitForLog(a.logs, isDuplicate, 15_000).then(() => a),
        waitForLog(b.logs, isDuplicate, 15_000).then(() => b),
      ]);
      const answerer = skipper === a ? b : a;
      await waitForLog(answerer.logs, isHandled, 15_000);
      expect(skipper.logs.some(isHandled)).toBe(false);
      expect(api.posts()).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await schema.drop();
      await api.stop();
    }
  });
});

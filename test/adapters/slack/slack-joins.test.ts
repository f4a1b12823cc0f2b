import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { homeMetadata } from "../../../adapters/slack/to-inbound.ts";
import type { Inbound } from "../../../src/core/inbound.ts";
import type { Card, Reply } from "../../../src/core/replies.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { blockText, fixture, interactive, send } from "../../fakes/slack-events.ts";
import { startLotse } from "../../fakes/slack-harness.ts";
import { ERIKA, envelope, homeAction, memberJoined, OTHER_BOT, teamJoin } from "./join-payloads.ts";

/** What onboarding's Home tab might show: the user's progress and a button to go on. */
const PROGRESS: Card = {
  title: "Ihr Einstieg bei Lotse",
  sections: [{ text: "Modul 2 von 5: Nachhaltige Beschaffung" }],
  buttons: [
    { label: "Onboarding fortsetzen", actionId: "onboarding.resume", value: "pfad=allgemein;modul=2" },
  ],
};

describe("Slack joins and the Home tab (signed events, fake Web API)", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;
  let n = 0;

  beforeAll(async () => {
    await api.start();
    lotse = await startLotse(api);
  });
  afterEach(() => {
    api.reset();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await lotse.close();
    await api.stop();
  });

  /** Sends one event and waits until Lotse handled it (or, for what it ignores, logged that). */
  async function event(body: Record<string, unknown>, done = "slack_handled"): Promise<void> {
    const before = lotse.logs.length;
    const { res } = await send(lotse.base, JSON.stringify(body));
    expect(res.status).toBe(200);
    await waitForLogAfter(before, (l) => l.event === done);
  }

  async function waitForLogAfter(index: number, match: (l: Record<string, unknown>) => boolean) {
    const until = Date.now() + 5000;
    while (!lotse.logs.slice(index).some(match)) {
      if (Date.now() > until) throw new Error("expected log line did not appear");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The core's inputs, passed through (the real core answers). */
  const spyCore = () => {
    const seen: Inbound[] = [];
    const real = lotse.rt.core.handle.bind(lotse.rt.core);
    vi.spyOn(lotse.rt.core, "handle").mockImplementation(async (inbound, signal) => {
      seen.push(inbound);
      return real(inbound, signal);
    });
    return seen;
  };

  /** The core answers every input with these replies. */
  const answer = (replies: Reply[]) => {
    const seen: Inbound[] = [];
    vi.spyOn(lotse.rt.core, "handle").mockImplementation(async (inbound) => {
      seen.push(inbound);
      return { replies };
    });
    return seen;
  };

  it("welcomes a new workspace member in their DM, opened first, with name and email for the core", async () => {
    const seen = spyCore();
    await event(envelope(teamJoin(ERIKA), `Ev0JOIN${++n}`));
    expect(api.callsOf("conversations.open")[0]?.args).toMatchObject({ users: "U0ERIKA01" });
    const [post] = api.posts();
    expect(post?.args.channel).toBe("D0ERIKA01");
    expect(post?.args.thread_ts).toBeUndefined();
    expect(blockText(post?.args ?? {})).toContain("Willkommen");
    expect(blockText(post?.args ?? {})).toContain("automatisierter Assistent");
    expect(seen[0]).toMatchObject({
      kind: "joined",
      scope: "workspace",
      user: { id: "U0ERIKA01", name: "Erika Mustermann", email: "erika.mustermann@musterstadt.de" },
      conversation: { id: "D0ERIKA01", kind: "personal", channel: "D0ERIKA01" },
    });
  });

  it("welcomes to the user id when the DM cannot be opened, and without email when Slack sent none", async () => {
    api.failures.set("conversations.open", "ratelimited");
    const seen = spyCore();
    await event(envelope(teamJoin({ ...ERIKA, id: "U0NEUE0001", email: undefined }), `Ev0JOIN${++n}`));
    expect(api.posts()[0]?.args.channel).toBe("U0NEUE0001");
    expect(seen[0]?.user).toEqual({ id: "U0NEUE0001", name: "Erika Mustermann" });
    expect(lotse.logs.find((l) => l.eventType === "team_join" && l.level === 40)).toMatchObject({
      code: "SLACK_POST_FAILED",
      slackError: "ratelimited",
    });
  });

  it("welcomes no bot that joins the workspace: nothing opened, nothing posted, the core never asked", async () => {
    const seen = spyCore();
    await event(envelope(teamJoin(OTHER_BOT), `Ev0JOIN${++n}`), "bot_ignored");
    expect(seen).toEqual([]);
    expect(api.calls.filter((c) => c.method !== "auth.test")).toEqual([]);
  });

  it("passes a member who joined a channel to the core with what users.info told, replies in that channel", async () => {
    api.users.set(ERIKA.id, ERIKA);
    const seen = answer([{ kind: "card", card: PROGRESS }]);
    await event(envelope(memberJoined(ERIKA.id), `Ev0JOIN${++n}`));
    expect(api.callsOf("users.info")[0]?.args).toMatchObject({ user: "U0ERIKA01" });
    expect(seen).toEqual([
      expect.objectContaining({
        kind: "joined",
        scope: "channel",
        user: { id: "U0ERIKA01", name: "Erika Mustermann", email: "erika.mustermann@musterstadt.de" },
        conversation: { id: "C0NACHHALT", kind: "channel", channel: "C0NACHHALT" },
      }),
    ]);
    expect(api.posts()[0]?.args).toMatchObject({ channel: "C0NACHHALT" });
    expect(api.posts()[0]?.args.thread_ts).toBeUndefined();
  });

  it("goes on without name and email when users.info fails; ignores Lotse's own join and a bot's", async () => {
    api.failures.set("users.info", "missing_scope");
    const seen = answer([]);
    await event(envelope(memberJoined("U0NEUE0002"), `Ev0JOIN${++n}`));
    expect(seen[0]?.user).toEqual({ id: "U0NEUE0002" });
    expect(lotse.logs.find((l) => l.eventType === "member_joined_channel" && l.level === 40)).toMatchObject({
      slackError: "missing_scope",
    });
    api.failures.clear();
    api.users.set(OTHER_BOT.id, OTHER_BOT);
    await event(envelope(memberJoined(OTHER_BOT.id), `Ev0JOIN${++n}`), "bot_ignored");
    const before = api.calls.length;
    // Lotse added to a channel: no lookup, no welcome (there is no log to wait for: a later event shows it passed).
    await send(lotse.base, JSON.stringify(envelope(memberJoined("U0LOTSE01"), `Ev0JOIN${++n}`)));
    await event(envelope(memberJoined("U0NEUE0003"), `Ev0JOIN${++n}`));
    expect(seen.map((i) => i.user.id)).toEqual(["U0NEUE0002", "U0NEUE0003"]);
    expect(
      api.calls
        .slice(before)
        .filter((c) => c.method === "users.info")
        .map((c) => c.args.user),
    ).toEqual(["U0NEUE0003"]);
  });

  it("shows a card with buttons on the Home tab, and a button pressed there answers in the user's DM", async () => {
    const seen = answer([{ kind: "card", card: PROGRESS }]);
    await send(lotse.base, await fixture("app-home-opened.json"));
    await api.waitFor("views.publish");
    const published = api.callsOf("views.publish")[0]?.args as {
      user_id: string;
      view: Record<string, unknown>;
    };
    expect(published.user_id).toBe("U0ERIKA01");
    expect(published.view.type).toBe("home");
    expect(published.view.private_metadata).toBe(homeMetadata("D0ERIKALOT"));
    const actions = (published.view.blocks as { type: string; elements?: { action_id: string }[] }[]).find(
      (b) => b.type === "actions",
    );
    expect(actions?.elements?.map((e) => e.action_id)).toEqual(["onboarding.resume"]);

    // The click: a block_actions without channel, message or response_url.
    const press = homeAction(
      "onboarding.resume",
      "pfad=allgemein;modul=2",
      String(published.view.private_metadata),
    );
    const before = lotse.logs.length;
    const { res } = await send(lotse.base, interactive(JSON.stringify(press)), { form: true });
    expect(res.status).toBe(200);
    await waitForLogAfter(before, (l) => l.event === "slack_handled" && l.actionId === "onboarding.resume");
    expect(seen[1]).toMatchObject({
      kind: "action",
      actionId: "onboarding.resume",
      value: "pfad=allgemein;modul=2",
      conversation: { id: "D0ERIKALOT", kind: "personal", channel: "D0ERIKALOT" },
    });
    expect(api.posts().map((p) => p.args.channel)).toEqual(["D0ERIKALOT"]);
    expect(api.responses).toEqual([]);
  });

  it("updates the Home tab in place, opens a form with the click's trigger, and posts the rest into the DM", async () => {
    answer([
      { kind: "update", card: { ...PROGRESS, sections: [{ text: "Modul 3 von 5: Mobilität" }] } },
      { kind: "notice", text: "Ihr Fortschritt ist gespeichert.", private: true },
      {
        kind: "form",
        form: {
          id: "onboarding.role",
          title: "Ihre Rolle",
          fields: [
            {
              id: "role",
              label: "Rolle",
              type: "select",
              options: [{ label: "Beschaffung", value: "rolle-beschaffung" }],
            },
          ],
          submitLabel: "Weiter",
        },
      },
    ]);
    const press = homeAction("onboarding.next", "modul=3", homeMetadata("D0ERIKALOT"));
    const before = lotse.logs.length;
    await send(lotse.base, interactive(JSON.stringify(press)), { form: true });
    await waitForLogAfter(before, (l) => l.event === "slack_handled" && l.actionId === "onboarding.next");
    expect(api.calls.map((c) => c.method).filter((m) => m !== "auth.test")).toEqual([
      "views.open",
      "views.publish",
      "chat.postMessage",
    ]);
    expect(api.callsOf("views.open")[0]?.args.trigger_id).toBe(press.trigger_id);
    const view = api.callsOf("views.publish")[0]?.args.view as Record<string, unknown>;
    expect(JSON.stringify(view.blocks)).toContain("Modul 3 von 5");
    expect(view.private_metadata).toBe(homeMetadata("D0ERIKALOT"));
    expect(api.posts()[0]?.args.channel).toBe("D0ERIKALOT");
  });
});

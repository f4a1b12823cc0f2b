import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../fakes/neutral.ts";
import { FakeSlackApi, type FakeSlackUser } from "../../fakes/slack-api.ts";
import { blockText, interactive, send } from "../../fakes/slack-events.ts";
import { startLotse } from "../../fakes/slack-harness.ts";
import { waitForLog } from "../../fakes/wait.ts";
import { envelope, memberJoined, teamJoin } from "./join-payloads.ts";

// Joins with the real core and Musterstadt's onboarding (signed events, fake Web API): a new workspace member is
// welcomed in their DM, a member of one of the tenant's onboarding channels (onboarding.slack_channels) gets the
// offer personally, a member of any other channel hears nothing.

const ONBOARDING_CHANNEL = "C0NACHHALT";
const OTHER_CHANNEL = "C0KANTINE1";
const SETTINGS = {
  LOTSE_TENANT_SETTINGS: JSON.stringify({
    musterstadt: { onboarding: { slack_channels: [ONBOARDING_CHANNEL] } },
  }),
};

let n = 0;
let events = 0;
/** A fresh event id (Slack's retries of one event share it; Lotse handles each id once). */
const eventId = () => `Ev0SJOIN${String(++events).padStart(4, "0")}`;
/** A new colleague of Musterstadt as Slack describes them (with users:read.email). */
function colleague(realName: string): FakeSlackUser {
  const i = String(++n).padStart(2, "0");
  const handle = realName.toLowerCase().replace(" ", ".");
  return { id: `U0NEU${i}JOIN`, name: handle, real_name: realName, email: `${handle}@musterstadt.de` };
}

/** The action ids of a post's buttons. */
const actionIds = (args: Record<string, unknown>): string[] =>
  ((args.blocks ?? []) as { type: string; elements?: { action_id?: string }[] }[])
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ""));

type Button = { actionId: string; value: string; label: string };
type Element = { type?: string; action_id?: string; value?: string; text?: { text?: string } };

/** The button with this label on a message, modal or Home view (its blocks). */
function buttonOf(args: Record<string, unknown>, label: string): Button {
  const blocks = (args.blocks ?? (args.view as { blocks?: unknown } | undefined)?.blocks ?? []) as {
    type: string;
    elements?: Element[];
  }[];
  const all = blocks.flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : []));
  const hit = all.find((e) => e.text?.text === label);
  if (!hit?.action_id)
    throw new Error(`no button "${label}" in ${JSON.stringify(all.map((e) => e.text?.text))}`);
  return { actionId: hit.action_id, value: String(hit.value ?? ""), label };
}

describe("Slack joins welcome and offer onboarding (real core, onboarding channels configured)", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;

  beforeAll(async () => {
    await api.start();
    lotse = await startLotse(api, SETTINGS);
  });
  afterEach(() => api.reset());
  afterAll(async () => {
    await lotse.close();
    await api.stop();
  });

  /** Sends one event and waits until Lotse logged it handled. */
  async function event(body: Record<string, unknown>): Promise<void> {
    const { res } = await send(lotse.base, JSON.stringify(body));
    expect(res.status).toBe(200);
    await waitForLog(lotse.logs, (l) => l.event === "slack_handled" && l.eventId === body.event_id);
  }

  let presses = 0;
  /**
   * `user` presses a button on Lotse's message in their DM `dm` (block_actions as Slack sends it, response_url on
   * the fake); resolves once Lotse handled it, with what went back through response_url.
   */
  async function press(user: FakeSlackUser, dm: string, b: Button) {
    const i = ++presses;
    const before = api.responses.length;
    const ts = `17640700${String(i).padStart(2, "0")}.000100`;
    const payload = {
      type: "block_actions",
      user: { id: user.id, username: user.name, name: user.name, team_id: "T0MUSTER1" },
      api_app_id: "A0LOTSE01",
      token: "9s8d9as89d8as9d8as989",
      container: { type: "message", message_ts: ts, channel_id: dm, is_ephemeral: false },
      trigger_id: `12466734323.1395872398.7c8d9e0f1a2b3c4d5e6f7081${String(i).padStart(8, "0")}`,
      team: { id: "T0MUSTER1", domain: "musterstadt" },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: dm, name: "directmessage" },
      message: { type: "message", user: "U0LOTSE01", ts, bot_id: "B0LOTSE01", text: "Lotse" },
      state: { values: {} },
      response_url: `${api.url}respond/T0MUSTER1/${i}/${user.id}`,
      actions: [
        {
          action_id: b.actionId,
          block_id: `block_${i}`,
          text: { type: "plain_text", text: b.label, emoji: true },
          value: b.value,
          type: "button",
          action_ts: `17640701${String(i).padStart(2, "0")}.000100`,
        },
      ],
    };
    const mark = lotse.logs.length;
    const { res } = await send(lotse.base, interactive(JSON.stringify(payload)), { form: true });
    expect(res.status).toBe(200);
    // Logged with the core's action id: a rendered id may carry "~N" (its position, for Slack's unique ids).
    await waitUntil(
      () =>
        lotse.logs
          .slice(mark)
          .some((l) => l.event === "slack_handled" && l.actionId === b.actionId.split("~")[0]),
      `${b.actionId} handled`,
    );
    return api.responses.slice(before);
  }

  /** The person Lotse keeps a Slack user's onboarding under (People.personOf). */
  const personOf = (userId: string) =>
    lotse.rt.people.personOf("musterstadt", "slack", lotse.rt.pseudonyms.of("slack", userId));
  const personOfEmail = (email: string) => lotse.rt.pseudonyms.ofEmail("musterstadt", email);

  /** Calls besides Lotse's own auth.test. */
  const methods = () => api.calls.map((c) => c.method).filter((m) => m !== "auth.test");

  it("welcomes a new workspace member in the DM opened with conversations.open, offering „Onboarding starten“", async () => {
    const jonas = colleague("Jonas Becker");
    await event(envelope(teamJoin(jonas), eventId()));
    expect(methods()).toEqual(["conversations.open", "chat.postMessage"]);
    expect(api.callsOf("conversations.open")[0]?.args).toMatchObject({ users: jonas.id });
    const [post] = api.posts();
    // Into the DM conversations.open answered (the fake's D… id for the user), not a thread.
    expect(post?.args.channel).toBe(jonas.id.replace(/^U/, "D"));
    expect(post?.args.thread_ts).toBeUndefined();
    const text = blockText(post?.args ?? {});
    expect(text).toContain("Willkommen!");
    expect(text).toContain("automatisierter Assistent");
    expect(text).toContain("Neu dabei? Das Onboarding Nachhaltigkeit");
    expect(text).toContain("Onboarding starten");
    expect(actionIds(post?.args ?? {})).toEqual(["onboarding.start"]);
    // team_join carried the email (users:read.email): the person is linked.
    expect(await personOf(jonas.id)).toBe(personOfEmail(jonas.email ?? ""));
  });

  it("offers onboarding personally to a member who joins a configured channel, linked by users.info's email", async () => {
    const lea = colleague("Lea Koch");
    api.users.set(lea.id, lea);
    await event(envelope(memberJoined(lea.id, ONBOARDING_CHANNEL), eventId()));
    expect(api.callsOf("users.info")[0]?.args).toMatchObject({ user: lea.id });
    // The channel hears nothing: one message, to the user (the app's DM with her), none ephemeral.
    expect(methods()).toEqual(["users.info", "chat.postMessage"]);
    const [post] = api.posts();
    expect(post?.args.channel).toBe(lea.id);
    const text = blockText(post?.args ?? {});
    expect(text).toContain("Willkommen!");
    expect(text).toContain("Neu dabei? Das Onboarding Nachhaltigkeit");
    expect(actionIds(post?.args ?? {})).toEqual(["onboarding.start"]);
    expect(await personOf(lea.id)).toBe(personOfEmail("lea.koch@musterstadt.de"));
  });

  it("posts nothing when a member joins a channel that is not an onboarding channel", async () => {
    const tim = colleague("Tim Schulz");
    api.users.set(tim.id, tim);
    await event(envelope(memberJoined(tim.id, OTHER_CHANNEL), eventId()));
    expect(api.posts()).toEqual([]);
    expect(api.callsOf("chat.postEphemeral")).toEqual([]);
    expect(api.callsOf("conversations.open")).toEqual([]);
  });

  it("still offers onboarding when users.info is refused for a missing scope, without email (not linked)", async () => {
    const mia = colleague("Mia Wagner");
    api.users.set(mia.id, mia);
    api.failures.set("users.info", "missing_scope");
    await event(envelope(memberJoined(mia.id, ONBOARDING_CHANNEL), eventId()));
    const [post, ...more] = api.posts();
    expect(more).toEqual([]);
    expect(post?.args.channel).toBe(mia.id);
    expect(blockText(post?.args ?? {})).toContain("Onboarding starten");
    expect(
      lotse.logs.find((l) => l.eventType === "member_joined_channel" && l.slackError === "missing_scope"),
    ).toMatchObject({ level: 40, code: "SLACK_USER_LOOKUP_FAILED" });
    expect(await personOf(mia.id)).toBe(lotse.rt.pseudonyms.of("slack", mia.id));
  });

  it("offers it once: the same member joining a second onboarding channel after starting hears nothing", async () => {
    const ben = colleague("Ben Fischer");
    api.users.set(ben.id, ben);
    await event(envelope(teamJoin(ben), eventId()));
    expect(api.posts()).toHaveLength(1);
    // Ben presses „Onboarding starten“ on the welcome in his DM: he has begun.
    const welcome = api.posts()[0]?.args ?? {};
    await press(ben, String(welcome.channel), buttonOf(welcome, "Onboarding starten"));
    const started = await lotse.rt.db.query("SELECT 1 FROM onboarding_progress WHERE person = $1", [
      await personOf(ben.id),
    ]);
    expect(started.rows).toHaveLength(1);
    api.reset();
    api.users.set(ben.id, ben);
    await event(envelope(memberJoined(ben.id, ONBOARDING_CHANNEL), eventId()));
    expect(api.posts()).toEqual([]);
  });

  /** `user` opens Lotse's Home tab; resolves with the view Lotse published for them. */
  async function openHome(user: FakeSlackUser, dm: string): Promise<Record<string, unknown>> {
    const before = api.callsOf("views.publish").length;
    const body = envelope(
      { type: "app_home_opened", user: user.id, channel: dm, tab: "home", event_ts: "1764070500.000600" },
      eventId(),
    );
    await event(body);
    const published = api.callsOf("views.publish").slice(before);
    expect(published.map((c) => c.args.user_id)).toEqual([user.id]);
    return published[0]?.args ?? {};
  }

  it("shows the member's own progress on the Home tab: the start offer, then where they are, with „Fortsetzen“", async () => {
    const ida = colleague("Ida Hoffmann");
    await event(envelope(teamJoin(ida), eventId()));
    const welcome = api.posts()[0]?.args ?? {};
    const dm = String(welcome.channel);
    const fresh = await openHome(ida, dm);
    expect(blockText((fresh.view ?? {}) as Record<string, unknown>)).toContain("Ihr Onboarding");
    expect(blockText((fresh.view ?? {}) as Record<string, unknown>)).toContain(
      "Noch nicht begonnen: 6 kurze Module mit je einer Kontrollfrage.",
    );
    expect(buttonOf(fresh, "Onboarding starten").actionId).toBe("onboarding.start");
    // She starts from the welcome in her DM and goes without an add-on: module 1 replaces the card.
    const [roles] = await press(ida, dm, buttonOf(welcome, "Onboarding starten"));
    const [module1] = await press(ida, dm, buttonOf(roles?.body ?? {}, "Ohne Zusatzmodul"));
    expect(JSON.stringify(module1?.body.blocks)).toContain("Modul 1 von 6");
    const home = await openHome(ida, dm);
    const text = blockText((home.view ?? {}) as Record<string, unknown>);
    expect(text).toContain("Modul 1 von 6, als Nächstes: Warum Nachhaltigkeit in Musterstadt zählt");
    expect(text).not.toContain("Noch nicht begonnen");
    expect(buttonOf(home, "Fortsetzen").actionId).toBe("onboarding.start");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FirstContact } from "../../src/core/first-contact.ts";
import { People } from "../../src/core/people.ts";
import type { Card, Reply } from "../../src/core/replies.ts";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { HelpFeature } from "../../src/help/help-feature.ts";
import { silentLogger } from "../../src/log.ts";
import { ONBOARDING_ACTIONS } from "../../src/onboarding/onboarding-codec.ts";
import { OnboardingFeature } from "../../src/onboarding/onboarding-feature.ts";
import { OnboardingPaths } from "../../src/onboarding/onboarding-paths.ts";
import {
  action,
  button,
  CHANNEL,
  cardOf,
  FakeNotifier,
  home,
  joined,
  labels,
  onboardingFeature,
  pseudonyms,
  realKnowledge,
  realTemplates,
  TENANT,
  textOf,
  turnOf,
  type Who,
} from "../onboarding/onboarding-fixture.ts";

/** Musterstadt's onboarding channel (LOTSE_TENANT_SETTINGS onboarding.slack_channels) and one that is not. */
const SETTINGS = JSON.stringify({ musterstadt: { onboarding: { slack_channels: [CHANNEL.channel] } } });
const OTHER_CHANNEL = { id: "C0KANTINE1", kind: "channel" as const, channel: "C0KANTINE1" };

/** A Teams member who joins the team "Nachhaltigkeit" (the welcome goes to its General channel). */
const TEAMS_MEMBER: Who = {
  platform: "teams",
  user: { id: "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", name: "Jonas Becker" },
  conversation: {
    id: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2",
    kind: "channel",
    channel: "19:3b6a1f9c2d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2",
  },
};

const WELCOME = "Willkommen! Ich bin Lotse, der Nachhaltigkeitsassistent der Verwaltung.";
const AI_NOTICE = "Hinweis: Lotse ist ein automatisierter Assistent";
const OFFER = "Neu dabei? Das Onboarding Nachhaltigkeit führt Sie in 6 kurzen Modulen";

/** The label of a module card's first check-question option (right or wrong, the path goes on either way). */
const firstOption = (card: Card): string =>
  (card.buttons ?? []).find((b) => "actionId" in b && b.actionId === ONBOARDING_ACTIONS.answer)?.label ?? "";

/** The one card the core answers with. */
const onlyCard = (replies: Reply[]): Card => cardOf(replies, "card");

describe("HelpFeature: the welcome and the Home tab with Musterstadt's onboarding", () => {
  let db: Database;
  let onboarding: OnboardingFeature;
  let help: HelpFeature;
  let firstContact: FirstContact;
  const slack = new FakeNotifier("slack");
  let n = 0;
  /** A Slack user nobody has seen before. */
  const newSlackUser = (): Who => ({
    user: { id: `U0NEU${String(++n).padStart(5, "0")}`, name: "Lea Koch" },
  });

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    onboarding = await onboardingFeature(db, { settings: SETTINGS, notifiers: [slack] });
    firstContact = new FirstContact(db);
    help = new HelpFeature({
      templates: await realTemplates(),
      firstContact,
      log: silentLogger,
      onboarding,
    });
  });
  afterAll(() => db.close());

  it("owns joins, installations and the Home tab", () => {
    expect(help.owns(joined("team", TEAMS_MEMBER))).toBe(true);
    expect(help.owns(joined("workspace"))).toBe(true);
    expect(help.owns(joined("channel", { conversation: CHANNEL }))).toBe(true);
    expect(help.owns(home())).toBe(true);
  });

  it("welcomes a member who joins a Teams team with the notice, the offer and „Onboarding starten“", async () => {
    const card = onlyCard(await help.handle(turnOf(joined("team", TEAMS_MEMBER))));
    expect(card.sections.map((s) => s.text?.slice(0, 40))).toEqual([
      WELCOME.slice(0, 40),
      AI_NOTICE.slice(0, 40),
      OFFER.slice(0, 40),
    ]);
    expect(textOf(card)).toContain(OFFER);
    expect(card.buttons).toEqual([
      {
        label: "Onboarding starten",
        actionId: ONBOARDING_ACTIONS.start,
        value: button(card, "Onboarding starten").value,
        style: "primary",
      },
    ]);
    // The welcome showed the automated-assistant notice: the member's first answer needs none.
    const user = pseudonyms.of("teams", TEAMS_MEMBER.user?.id ?? "");
    expect(await firstContact.claim("teams", user, "ai-notice")).toBe(false);
  });

  it("welcomes a member who joins the Slack workspace the same way, and the button starts the path", async () => {
    const who = newSlackUser();
    const card = onlyCard(await help.handle(turnOf(joined("workspace", who))));
    expect(textOf(card)).toContain(WELCOME);
    expect(textOf(card)).toContain(AI_NOTICE);
    expect(textOf(card)).toContain(OFFER);
    expect(labels(card)).toEqual(["Onboarding starten"]);
    // Pressed, the welcome's button is the onboarding feature's own start: the role choice of the path.
    const start = button(card, "Onboarding starten");
    expect(onboarding.owns(action(start.actionId, start.value, who))).toBe(true);
    const first = cardOf(await onboarding.handle(turnOf(action(start.actionId, start.value, who))));
    expect(first.title).toBe("Onboarding Nachhaltigkeit");
    expect(labels(first)).toContain("Ohne Zusatzmodul");
  });

  it("welcomes an installation with the offer too", async () => {
    const inbound = { ...joined("team", TEAMS_MEMBER), kind: "installed" as const };
    const card = onlyCard(await help.handle(turnOf(inbound)));
    expect(textOf(card)).toContain(OFFER);
    expect(labels(card)).toEqual(["Onboarding starten"]);
  });

  it("offers onboarding personally to a member who joins a configured Slack channel; the channel hears nothing", async () => {
    const who = { ...newSlackUser(), conversation: CHANNEL };
    slack.sent.length = 0;
    expect(await help.handle(turnOf(joined("channel", who)))).toEqual([]);
    expect(slack.sent).toHaveLength(1);
    const sent = slack.sent[0];
    expect(sent?.target).toEqual({ kind: "user", userId: who.user?.id, tenant: TENANT });
    const card = cardOf(
      slack.sent.map((x) => x.reply),
      "card",
    );
    expect(textOf(card)).toContain(WELCOME);
    expect(textOf(card)).toContain(OFFER);
    expect(labels(card)).toEqual(["Onboarding starten"]);
    expect(await firstContact.claim("slack", pseudonyms.of("slack", who.user?.id ?? ""), "ai-notice")).toBe(
      false,
    );
  });

  it("says nothing to a member who joins a channel that is not one of the tenant's onboarding channels", async () => {
    const who = { ...newSlackUser(), conversation: OTHER_CHANNEL };
    slack.sent.length = 0;
    expect(await help.handle(turnOf(joined("channel", who)))).toEqual([]);
    expect(slack.sent).toEqual([]);
    // Nothing was shown, so the notice is still to come at the first answer.
    expect(await firstContact.claim("slack", pseudonyms.of("slack", who.user?.id ?? ""), "ai-notice")).toBe(
      true,
    );
  });

  it("does not offer onboarding again on a channel join to someone who has begun it", async () => {
    const who = { ...newSlackUser(), conversation: CHANNEL };
    const start = button(onlyCard(await help.handle(turnOf(joined("workspace", who)))), "Onboarding starten");
    const roles = cardOf(
      await onboarding.handle(
        turnOf(action(start.actionId, start.value, { ...who, conversation: undefined })),
      ),
    );
    const none = button(roles, "Ohne Zusatzmodul");
    await onboarding.handle(turnOf(action(none.actionId, none.value, { ...who, conversation: undefined })));
    slack.sent.length = 0;
    expect(await help.handle(turnOf(joined("channel", who)))).toEqual([]);
    expect(slack.sent).toEqual([]);
  });

  it("welcomes a new Slack member once when team_join and a default channel's join come together, either first", async () => {
    // team_join first: the welcome in the DM; the configured channel's join then says nothing.
    const first = { ...newSlackUser(), conversation: CHANNEL };
    slack.sent.length = 0;
    expect(labels(onlyCard(await help.handle(turnOf(joined("workspace", first)))))).toEqual([
      "Onboarding starten",
    ]);
    expect(await help.handle(turnOf(joined("channel", first)))).toEqual([]);
    expect(slack.sent).toEqual([]);
    // The channel's join first: the welcome personally; team_join then answers nothing.
    const second = { ...newSlackUser(), conversation: CHANNEL };
    expect(await help.handle(turnOf(joined("channel", second)))).toEqual([]);
    expect(slack.sent).toHaveLength(1);
    expect(await help.handle(turnOf(joined("workspace", second)))).toEqual([]);
    expect(slack.sent).toHaveLength(1);
  });

  it("offers onboarding on joining an onboarding channel later, though the member was welcomed at team_join before", async () => {
    const who = { ...newSlackUser(), conversation: CHANNEL };
    slack.sent.length = 0;
    onlyCard(await help.handle(turnOf(joined("workspace", who))));
    // A week later (the claim's time moved back): joining the onboarding channel is an occasion of its own.
    await db.query(
      "UPDATE user_notices SET shown_at = now() - interval '7 days' WHERE notice = 'personal-welcome' AND user_pseudonym = $1",
      [pseudonyms.of("slack", who.user?.id ?? "")],
    );
    expect(await help.handle(turnOf(joined("channel", who)))).toEqual([]);
    expect(slack.sent).toHaveLength(1);
  });

  it("welcomes on a later join when the personal welcome did not arrive", async () => {
    const who = { ...newSlackUser(), conversation: CHANNEL };
    slack.sent.length = 0;
    // The first DM is refused (Slack: the user cannot be reached yet); the next one arrives.
    slack.script.push({ ok: false, reason: "gone" });
    expect(await help.handle(turnOf(joined("channel", who)))).toEqual([]);
    expect(await help.handle(turnOf(joined("channel", who)))).toEqual([]);
    expect(slack.sent).toHaveLength(2);
  });

  describe("the Home tab shows the user's own progress above the help", () => {
    const homeOf = async (who: Who): Promise<Card> => onlyCard(await help.handle(turnOf(home(who))));
    const dm = (who: Who): Who => ({ ...who, conversation: undefined });
    /** Presses through the path in the DM: start, no add-on, then `modules` modules answered and Weiter. */
    async function walk(who: Who, modules: number): Promise<Card> {
      const press = async (card: Card, label: string) => {
        const b = button(card, label);
        return cardOf(await onboarding.handle(turnOf(action(b.actionId, b.value, dm(who)))));
      };
      let card = await press(await homeOf(who), "Onboarding starten");
      card = await press(card, "Ohne Zusatzmodul");
      for (let i = 0; i < modules; i++) {
        card = await press(card, firstOption(card));
        card = await press(card, "Weiter");
      }
      return card;
    }

    it("offers the start to a user without progress", async () => {
      const card = await homeOf(newSlackUser());
      expect(card.title).toBe("Lotse – Nachhaltigkeitsassistent");
      expect(card.sections[0]).toEqual({
        heading: "Ihr Onboarding",
        text: "Noch nicht begonnen: 6 kurze Module mit je einer Kontrollfrage.",
      });
      expect(textOf(card)).toContain("So helfe ich Ihnen");
      expect(textOf(card)).toContain("/lotse <Frage>");
      expect(labels(card)).toEqual(["Onboarding starten"]);
    });

    it("shows where a user is half way and „Fortsetzen“ takes them there", async () => {
      const who = newSlackUser();
      const module4 = await walk(who, 3);
      expect(module4.sections[0]?.text).toBe("Modul 4 von 6");
      const card = await homeOf(who);
      expect(card.sections[0]).toEqual({
        heading: "Ihr Onboarding",
        text: "Modul 4 von 6, als Nächstes: Dienstreise und Mobilität",
      });
      expect(labels(card)).toEqual(["Fortsetzen"]);
      const resume = button(card, "Fortsetzen");
      const resumed = cardOf(await onboarding.handle(turnOf(action(resume.actionId, resume.value, dm(who)))));
      expect(resumed.title).toBe("Onboarding Modul 4: Dienstreise und Mobilität");
    });

    it("shows a path paused after module 2's answer as interrupted there (as the nudge names it), with „Fortsetzen“", async () => {
      const who = newSlackUser();
      const module2 = await walk(who, 1);
      const b = button(module2, firstOption(module2));
      const answered = cardOf(await onboarding.handle(turnOf(action(b.actionId, b.value, dm(who)))));
      const later = button(answered, "Später fortsetzen");
      await onboarding.handle(turnOf(action(later.actionId, later.value, dm(who))));
      const card = await homeOf(who);
      expect(card.sections[0]?.text).toBe(
        "Unterbrochen bei Modul 2 von 6: Strategie und Ziele der Stadt Musterstadt",
      );
      expect(labels(card)).toEqual(["Fortsetzen"]);
    });

    it("shows a completed path as done, with no button", async () => {
      const who = newSlackUser();
      const done = await walk(who, 6);
      expect(done.title).toBe("Onboarding abgeschlossen");
      const card = await homeOf(who);
      expect(card.sections[0]).toEqual({ heading: "Ihr Onboarding", text: "Abgeschlossen: alle 6 Module." });
      expect(card.buttons).toBeUndefined();
      expect(textOf(card)).toContain("So helfe ich Ihnen");
    });

    it("shows the progress of the person, made on Teams, to the same person on Slack (linked by email)", async () => {
      const people = new People(db, pseudonyms);
      const email = "lea.koch@musterstadt.de";
      const teamsUser = { id: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", name: "Lea Koch" };
      const onTeams: Who = { platform: "teams", user: teamsUser, conversation: TEAMS_MEMBER.conversation };
      await people.link(TENANT, "teams", pseudonyms.of("teams", teamsUser.id), email);
      const slackWho = newSlackUser();
      await people.link(TENANT, "slack", pseudonyms.of("slack", slackWho.user?.id ?? ""), email);
      // Two modules on Teams (personal chat), then the Home tab on Slack.
      const personal = { id: "a:1Lea", kind: "personal" as const, channel: "a:1Lea" };
      const teams = new FakeNotifier("teams");
      const teamsOnboarding = await onboardingFeature(db, { settings: SETTINGS, notifiers: [teams] });
      const press = async (card: Card, label: string) => {
        const b = button(card, label);
        return cardOf(
          await teamsOnboarding.handle(
            turnOf(action(b.actionId, b.value, { ...onTeams, conversation: personal })),
          ),
        );
      };
      const welcome = onlyCard(await help.handle(turnOf(joined("team", onTeams))));
      let card = await press(welcome, "Onboarding starten");
      card = await press(card, "Ohne Zusatzmodul");
      for (let i = 0; i < 2; i++) {
        card = await press(card, firstOption(card));
        card = await press(card, "Weiter");
      }
      expect((await homeOf(slackWho)).sections[0]?.text).toBe(
        "Modul 3 von 6, als Nächstes: Beschaffung im Arbeitsalltag",
      );
    });
  });
});

describe("HelpFeature without onboarding", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(() => db.close());

  const helpWith = async (onboarding?: OnboardingFeature) =>
    new HelpFeature({
      templates: await realTemplates(),
      firstContact: new FirstContact(db),
      log: silentLogger,
      ...(onboarding ? { onboarding } : {}),
    });

  /** Musterstadt's knowledge without its onboarding documents. */
  const withoutModules = async (notifier: FakeNotifier) => {
    const set = await realKnowledge();
    return new OnboardingFeature({
      db,
      paths: new OnboardingPaths(async () => ({
        ...set,
        docs: set.docs.filter((d) => d.meta.type !== "onboarding"),
      })),
      people: new People(db, pseudonyms),
      templates: await realTemplates(),
      tenantSettings: TenantSettings.parse(SETTINGS, [14, 2]),
      notifiers: new Map([["slack", notifier]]),
      contacts: async () => new Map(),
      log: silentLogger,
    });
  };

  it("welcomes without offer and button when no onboarding entry is wired", async () => {
    const help = await helpWith();
    for (const inbound of [joined("team", TEAMS_MEMBER), joined("workspace")]) {
      const card = onlyCard(await help.handle(turnOf(inbound)));
      expect(textOf(card)).toContain(WELCOME);
      expect(textOf(card)).toContain(AI_NOTICE);
      expect(textOf(card)).not.toContain("Neu dabei?");
      expect(card.buttons).toBeUndefined();
    }
    expect(await help.handle(turnOf(joined("channel", { conversation: CHANNEL })))).toEqual([]);
    const card = onlyCard(await help.handle(turnOf(home())));
    expect(card.sections[0]?.heading).toBeUndefined();
    expect(textOf(card)).not.toContain("Ihr Onboarding");
    expect(card.buttons).toBeUndefined();
  });

  it("welcomes without offer and button, and keeps quiet on a channel join, where the tenant has no modules", async () => {
    const notifier = new FakeNotifier("slack");
    const help = await helpWith(await withoutModules(notifier));
    // Another new member than the test before's (a member is welcomed personally once).
    const card = onlyCard(
      await help.handle(turnOf(joined("workspace", { user: { id: "U0OHNE0002", name: "Jan Berg" } }))),
    );
    expect(textOf(card)).toContain(WELCOME);
    expect(textOf(card)).not.toContain("Neu dabei?");
    expect(card.buttons).toBeUndefined();
    expect(await help.handle(turnOf(joined("channel", { conversation: CHANNEL })))).toEqual([]);
    expect(notifier.sent).toEqual([]);
    const homeCard = onlyCard(await help.handle(turnOf(home())));
    expect(textOf(homeCard)).not.toContain("Ihr Onboarding");
    expect(homeCard.buttons).toBeUndefined();
  });
});

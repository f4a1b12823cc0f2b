import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { People } from "../../src/core/people.ts";
import type { Card } from "../../src/core/replies.ts";
import type { Roster } from "../../src/core/roster.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { ONBOARDING_ACTIONS } from "../../src/onboarding/onboarding-codec.ts";
import type { OnboardingFeature } from "../../src/onboarding/onboarding-feature.ts";
import { NUDGE_JOB } from "../../src/onboarding/onboarding-nudge.ts";
import { OnboardingNudgeJob } from "../../src/onboarding/onboarding-nudge-job.ts";
import { OnboardingPaths } from "../../src/onboarding/onboarding-paths.ts";
import {
  action,
  button,
  CHANNEL,
  cardOf,
  FakeNotifier,
  labels,
  message,
  onboardingFeature,
  pseudonyms,
  realKnowledge,
  realTemplates,
  SLACK_USER,
  TENANT,
  textOf,
  turnOf,
  type Who,
} from "./onboarding-fixture.ts";

const PERSON = pseudonyms.of("slack", SLACK_USER.id);
const M = (n: string) => `musterstadt-onboarding-${n}`;

async function stats(db: Database): Promise<Record<string, number>> {
  const r = await db.query<{
    item: string;
    metric: string;
    choice: string;
    correct: boolean | null;
    count: number;
  }>("SELECT item, metric, choice, correct, count FROM onboarding_stats WHERE tenant = $1", [TENANT]);
  return Object.fromEntries(
    r.rows.map((x) => [
      `${x.item}|${x.metric}${x.choice ? `|${x.choice}${x.correct ? "+" : "-"}` : ""}`,
      Number(x.count),
    ]),
  );
}

async function progressRow(db: Database, person = PERSON) {
  const r = await db.query<{
    status: string;
    current_module: string | null;
    completed: string[];
    notify_user_id: string | null;
    nudges: boolean;
    display_name: string | null;
    role: string | null;
  }>(
    "SELECT status, current_module, completed, notify_user_id, nudges, display_name, role FROM onboarding_progress WHERE tenant = $1 AND person = $2",
    [TENANT, person],
  );
  return r.rows[0];
}

async function nudgeJobs(db: Database) {
  const r = await db.query<{ job_key: string; status: string; due_at: Date; outcome: string | null }>(
    "SELECT job_key, status, due_at, outcome FROM jobs WHERE kind = $1 ORDER BY due_at",
    [NUDGE_JOB],
  );
  return r.rows.map((x) => ({
    key: x.job_key,
    status: x.status,
    due: new Date(x.due_at).toISOString(),
    ...(x.outcome ? { outcome: x.outcome } : {}),
  }));
}

describe("OnboardingFeature: a full run through Musterstadt's path in the Slack DM", () => {
  let db: Database;
  const notifier = new FakeNotifier("slack");
  let feature: OnboardingFeature;
  let at = "2026-12-02T09:00:00Z"; // Wednesday, 10:00 in Berlin
  const press = async (card: Card, label: string) => {
    const b = button(card, label);
    return cardOf(await feature.handle(turnOf(action(b.actionId, b.value, { at }))));
  };
  const scheduler = async () =>
    new Scheduler({
      db,
      log: silentLogger,
      handlers: [
        new OnboardingNudgeJob({
          db,
          paths: new OnboardingPaths(realKnowledge),
          templates: await realTemplates(),
          notifiers: new Map([["slack", notifier]]),
          log: silentLogger,
        }),
      ],
    });
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
    feature = await onboardingFeature(db, { notifiers: [notifier] });
  });
  afterAll(() => db.close());

  it("owns the onboarding words and its own buttons, not questions about onboarding", () => {
    for (const t of ["onboarding", "Einarbeitung", "Onboarding starten", "onboarding!"])
      expect(feature.owns(message(t))).toBe(true);
    expect(feature.owns(message("Wie lange dauert das Onboarding?"))).toBe(false);
    expect(feature.owns(action("onboarding.next", "m:x"))).toBe(true);
    expect(feature.owns(action("reminder.pause", "r:1"))).toBe(false);
  });

  let card: Card;
  it("starts with the role add-ons offered (never inferred) and 'Ohne Zusatzmodul'", async () => {
    card = cardOf(await feature.handle(turnOf(message("onboarding", { at }))), "card");
    expect(card.title).toBe("Onboarding Nachhaltigkeit");
    expect(textOf(card)).toContain("6 kurzen Modulen");
    expect(labels(card)).toEqual([
      "Beschaffende",
      "Führungskräfte",
      "Gebäude und Technik",
      "Ohne Zusatzmodul",
    ]);
    expect(card.buttons?.every((b) => "actionId" in b && b.actionId === ONBOARDING_ACTIONS.role)).toBe(true);
    expect((await progressRow(db))?.current_module).toBeNull();
  });

  it("shows module 1 of 7 after choosing 'Beschaffende': text, links, sources and the check question as buttons", async () => {
    card = await press(card, "Beschaffende");
    expect(card.title).toBe("Onboarding Modul 1: Warum Nachhaltigkeit in Musterstadt zählt");
    expect(card.sections[0]?.text).toBe("Modul 1 von 7");
    expect(textOf(card)).toContain("klimaneutrale Verwaltung bis 2035");
    expect(textOf(card)).not.toContain("Richtige Antwort");
    expect(card.sources?.citations[0]?.url).toBe(
      "https://intranet.musterstadt.example/ratsinfo/drucksache-2024-0187",
    );
    const links = (card.buttons ?? []).filter((b) => "url" in b);
    expect(links).toHaveLength(2);
    expect(labels(card).slice(0, 3)).toEqual([
      "A) Sie sind unverbindliche Tipps.",
      "B) Sie setzen Beschlüsse des Rates um.",
      "C) Sie betreffen nur die Stabsstelle Nachhaltigkeit.",
    ]);
    expect((await progressRow(db))?.role).toBe("rolle-beschaffende");
  });

  it("explains a wrong answer with the right one and why, then offers Weiter and Später fortsetzen", async () => {
    card = await press(card, "A) Sie sind unverbindliche Tipps.");
    const text = textOf(card);
    expect(text).toContain("Ihre Antwort: A) Sie sind unverbindliche Tipps.");
    expect(text).toContain("Nicht ganz. Richtig ist B) Sie setzen Beschlüsse des Rates um.");
    expect(text).toContain("Nachhaltigkeitsstrategie Musterstadt 2030");
    expect(labels(card)).toEqual(["Weiter", "Später fortsetzen"]); // no Zurück on the first module
  });

  it("confirms a right answer; Zurück shows the answered module again with Weiter; Weiter goes on from there", async () => {
    card = await press(card, "Weiter");
    expect(card.sections[0]?.text).toBe("Modul 2 von 7");
    const right = card.buttons?.find((b) => b.label.startsWith("A)"));
    card = await press(card, right?.label ?? "");
    expect(textOf(card)).toContain("Richtig! A)");
    expect(labels(card)).toEqual(["Weiter", "Zurück", "Später fortsetzen"]);
    card = await press(card, "Zurück");
    expect(card.sections[0]?.text).toBe("Modul 1 von 7");
    expect(labels(card)).toContain("Weiter");
    card = await press(card, "Weiter");
    expect(card.sections[0]?.text).toBe("Modul 2 von 7");
    card = await press(card, "Weiter");
    expect(card.title).toBe("Onboarding Modul 3: Beschaffung im Arbeitsalltag");
    card = await press(card, card.buttons?.find((b) => b.label.startsWith("B)"))?.label ?? "");
    // A stale button (module 1's Weiter again) moves nothing: the current module is shown.
    const stale = cardOf(
      await feature.handle(turnOf(action(ONBOARDING_ACTIONS.next, `m:${M("01-warum")}`, { at }))),
    );
    expect(textOf(stale)).toContain("früheren Schritt");
    expect(stale.title).toBe("Onboarding Modul 3: Beschaffung im Arbeitsalltag");
    // A forged value changes nothing either.
    const forged = cardOf(
      await feature.handle(turnOf(action(ONBOARDING_ACTIONS.answer, "a:../../etc:Z", { at }))),
    );
    expect(forged.title).toBe("Onboarding Modul 3: Beschaffung im Arbeitsalltag");
    expect((await progressRow(db))?.completed).toEqual([
      M("01-warum"),
      M("02-strategie-ziele"),
      M("03-beschaffung"),
    ]);
  });

  it("'Später fortsetzen' pauses and plans one personal nudge for Friday 9:00, delivered once by the scheduler", async () => {
    card = await press(card, "Später fortsetzen");
    expect(textOf(card)).toContain("Ich erinnere Sie am Freitag, 4. Dezember, um 9:00 Uhr persönlich daran.");
    expect(labels(card)).toEqual(["Fortsetzen"]);
    expect((await progressRow(db))?.status).toBe("paused");
    expect(await nudgeJobs(db)).toEqual([
      { key: `${TENANT}:${PERSON}:2026-W49`, status: "pending", due: "2026-12-04T08:00:00.000Z" },
    ]);
    const s = await scheduler();
    expect((await s.runDue(new Date("2026-12-03T09:00:00Z"))).done).toBe(0);
    expect((await s.runDue(new Date("2026-12-04T08:00:10Z"))).done).toBe(1);
    expect((await s.runDue(new Date("2026-12-04T09:00:00Z"))).claimed).toBe(0);
    expect(notifier.sent).toHaveLength(1);
    const nudge = notifier.sent[0];
    expect(nudge?.target).toEqual({ kind: "user", userId: SLACK_USER.id, tenant: TENANT });
    const nudgeCard = (nudge?.reply as { card: Card } | undefined)?.card as Card;
    expect(nudgeCard.title).toBe("Weiter mit Modul 3: Beschaffung im Arbeitsalltag");
    expect(labels(nudgeCard)).toEqual(["Fortsetzen", "Keine Erinnerungen mehr"]);
    card = nudgeCard;
  });

  it("resumes after a restart (a new feature instance on the same database) where the user left off", async () => {
    at = "2026-12-04T08:30:00Z";
    feature = await onboardingFeature(db, { notifiers: [notifier] });
    card = await press(card, "Fortsetzen");
    expect(card.title).toBe("Onboarding Modul 3: Beschaffung im Arbeitsalltag");
    expect(card.sections[0]?.text).toBe("Sie waren bei Modul 3 von 7.");
    expect((await progressRow(db))?.status).toBe("active");
    const again = cardOf(await feature.handle(turnOf(message("onboarding", { at }))), "card");
    expect(again.sections[0]?.text).toBe("Sie waren bei Modul 3 von 7.");
  });

  it("nudges at most once a week: paused again the same day, the nudge waits until a week after the last", async () => {
    card = await press(card, "Weiter");
    expect(card.sections[0]?.text).toBe("Modul 4 von 7");
    card = await press(card, card.buttons?.find((b) => b.label.startsWith("A)"))?.label ?? "");
    card = await press(card, "Später fortsetzen");
    expect(textOf(card)).toContain("am Freitag, 11. Dezember, um 9:00 Uhr");
    // Resumed and paused again in the same week: still one nudge planned.
    const resumed = cardOf(await feature.handle(turnOf(message("onboarding", { at }))), "card");
    await press(resumed, "Später fortsetzen");
    expect((await nudgeJobs(db)).filter((j) => j.status === "pending")).toEqual([
      { key: `${TENANT}:${PERSON}:2026-W50`, status: "pending", due: "2026-12-11T08:00:00.000Z" },
    ]);
  });

  it("'Keine Erinnerungen mehr' cancels the planned nudge and stops all further ones", async () => {
    const stop = button(
      (notifier.sent[0]?.reply as { card: Card } | undefined)?.card as Card,
      "Keine Erinnerungen mehr",
    );
    const done = cardOf(await feature.handle(turnOf(action(stop.actionId, stop.value, { at }))));
    expect(textOf(done)).toContain("ich erinnere Sie nicht mehr");
    const row = await progressRow(db);
    expect(row).toMatchObject({ nudges: false, notify_user_id: null });
    expect((await nudgeJobs(db)).at(-1)?.status).toBe("cancelled");
    const s = await scheduler();
    await s.runDue(new Date("2026-12-11T08:00:10Z"));
    expect(notifier.sent).toHaveLength(1);
    // Paused again later: no nudge planned, and the card says so.
    at = "2026-12-14T09:00:00Z";
    await feature.handle(turnOf(message("onboarding", { at })));
    const later = await press(
      cardOf(await feature.handle(turnOf(message("onboarding", { at }))), "card"),
      "Später fortsetzen",
    );
    expect(textOf(later)).not.toContain("erinnere Sie am");
    expect((await nudgeJobs(db)).filter((j) => j.status === "pending")).toEqual([]);
  });

  it("ends with a summary naming the contacts that matter for the role, and counts every path and answer once", async () => {
    card = cardOf(await feature.handle(turnOf(message("onboarding", { at }))), "card");
    card = await press(card, "Weiter");
    for (const n of [5, 6, 7]) {
      expect(card.sections[0]?.text).toBe(`Modul ${n} von 7`);
      card = await press(card, card.buttons?.find((b) => b.label.startsWith("B)"))?.label ?? "");
      card = await press(card, "Weiter");
    }
    expect(card.title).toBe("Onboarding abgeschlossen");
    expect(textOf(card)).toContain("alle 7 Module");
    expect(textOf(card)).toContain("Ihr Zusatzmodul: Beschaffende.");
    expect(card.contacts?.contacts.map((c) => c.name).slice(0, 3)).toEqual([
      "Thomas Berger",
      "Julia Sommer",
      expect.any(String),
    ]);
    expect(await progressRow(db)).toMatchObject({ status: "completed", notify_user_id: null });
    const counted = await stats(db);
    expect(counted).toMatchObject({
      "pfad:alle|started": 1,
      "pfad:alle|completed": 1,
      "pfad:rolle-beschaffende|started": 1,
      "pfad:rolle-beschaffende|completed": 1,
      [`${M("01-warum")}|answer|A-`]: 1,
      [`${M("02-strategie-ziele")}|answer|A+`]: 1,
      [`${M("01-warum")}|started`]: 1,
      [`${M("02-strategie-ziele")}|started`]: 1,
      [`${M("02-strategie-ziele")}|completed`]: 1,
      [`${M("rolle-beschaffende")}|completed`]: 1,
    });
    // "onboarding" after the end shows the summary again.
    const again = cardOf(await feature.handle(turnOf(message("onboarding", { at }))), "card");
    expect(again.title).toBe("Onboarding abgeschlossen");
  });
});

describe("OnboardingFeature: outside the personal chat, concurrency, per-person names", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(() => db.close());

  it("delivers the module personally from a channel and says so privately; explains how to open the chat when it cannot", async () => {
    const notifier = new FakeNotifier("slack", [
      { ok: true, conversationId: "D0LOTSE0002" },
      { ok: false, reason: "gone" },
    ]);
    const feature = await onboardingFeature(db, { notifiers: [notifier] });
    const user = { id: "U0KANAL01" };
    const r = await feature.handle(
      turnOf(message("onboarding", { user, conversation: CHANNEL }, { private: true })),
    );
    expect(r).toEqual([
      {
        kind: "notice",
        text: "Ich habe Ihnen das Onboarding in Ihren persönlichen Chat mit Lotse geschickt.",
        private: true,
      },
    ]);
    expect(notifier.sent[0]?.target).toEqual({ kind: "user", userId: "U0KANAL01", tenant: TENANT });
    expect((notifier.sent[0]?.reply as { card: Card } | undefined)?.card.title).toBe(
      "Onboarding Nachhaltigkeit",
    );
    const gone = await feature.handle(turnOf(message("onboarding", { user, conversation: CHANNEL })));
    expect(gone).toEqual([{ kind: "notice", text: expect.stringContaining("unter *Apps*"), private: true }]);
    const teams = await (await onboardingFeature(db)).handle(
      turnOf(
        message("onboarding", {
          platform: "teams",
          user: { id: "29:1teamsKanal" },
          conversation: { id: "19:abc@thread.tacv2", kind: "channel", channel: "19:abc@thread.tacv2" },
        }),
      ),
    );
    expect(teams).toEqual([
      { kind: "notice", text: expect.stringContaining("fügen Sie Lotse für sich hinzu"), private: true },
    ]);
  });

  it("counts an answer and a step once when the same button is pressed twice at once", async () => {
    const feature = await onboardingFeature(db);
    const user = { id: "U0DOPPEL01" };
    const start = cardOf(await feature.handle(turnOf(message("onboarding", { user }))), "card");
    const none = button(start, "Ohne Zusatzmodul");
    const m1 = cardOf(await feature.handle(turnOf(action(none.actionId, none.value, { user }))));
    const b = button(m1, "B) Sie setzen Beschlüsse des Rates um.");
    const both = await Promise.all([
      feature.handle(turnOf(action(b.actionId, b.value, { user }))),
      feature.handle(turnOf(action(b.actionId, b.value, { user }))),
    ]);
    for (const r of both) expect(textOf(cardOf(r))).toContain("Richtig! B)");
    const next = button(cardOf(both[0]), "Weiter");
    await Promise.all([
      feature.handle(turnOf(action(next.actionId, next.value, { user }))),
      feature.handle(turnOf(action(next.actionId, next.value, { user }))),
    ]);
    const counted = await stats(db);
    expect(counted[`${M("01-warum")}|answer|B+`]).toBe(1);
    expect(counted[`${M("01-warum")}|completed`]).toBe(1);
    expect(counted[`${M("02-strategie-ziele")}|started`]).toBe(1);
    expect((await progressRow(db, pseudonyms.of("slack", user.id)))?.current_module).toBe(
      M("02-strategie-ziele"),
    );
  });

  it("keeps the display name only for a tenant that switched per-person reporting on", async () => {
    const user = { id: "U0NAMEN01", name: "Erika Mustermann" };
    const off = await onboardingFeature(db);
    await off.handle(turnOf(message("onboarding", { user })));
    expect((await progressRow(db, pseudonyms.of("slack", user.id)))?.display_name).toBeNull();
    const on = await onboardingFeature(db, {
      settings: JSON.stringify({ musterstadt: { onboarding: { per_person_report: true } } }),
    });
    await on.handle(turnOf(message("onboarding", { user })));
    expect((await progressRow(db, pseudonyms.of("slack", user.id)))?.display_name).toBe("Erika Mustermann");
  });

  it("tells a tenant without onboarding documents so", async () => {
    const feature = await onboardingFeature(db);
    const r = await feature.handle({ ...turnOf(message("onboarding")), tenant: "otherstadt" });
    expect(r).toEqual([
      { kind: "notice", text: expect.stringContaining("noch kein Onboarding"), private: true },
    ]);
  });
});

describe("OnboardingFeature: a colleague who was there before Lotse came, linked at the first step", () => {
  let db: Database;
  /** What Slack's users.info tells about a user (Roster.emailOf), and who was asked. */
  const asked: string[] = [];
  const emails = new Map<string, string>([["U0ALT00001", "ute.alt@musterstadt.example"]]);
  const slackRoster: Roster = {
    platform: "slack",
    memberships: async () => ({ usergroups: [], teamOwner: false }),
    emailOf: async (inbound) => {
      asked.push(inbound.user.id);
      return emails.get(inbound.user.id);
    },
  };
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(() => db.close());

  it("resumes on Slack where the person got to on Teams, once Slack tells the same email", async () => {
    const feature = await onboardingFeature(db, { rosters: [slackRoster] });
    // On Teams (linked by the member lookup at install) Ute chose no add-on and is at module 1.
    const teams: Who = {
      platform: "teams",
      user: { id: "8a1f2c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d" },
      conversation: { id: "a:1ute", kind: "personal", channel: "a:1ute" },
    };
    await new People(db, pseudonyms).link(
      TENANT,
      "teams",
      pseudonyms.of("teams", teams.user?.id ?? ""),
      "Ute.Alt@musterstadt.example",
    );
    const roles = cardOf(await feature.handle(turnOf(message("onboarding", teams))), "card");
    const none = button(roles, "Ohne Zusatzmodul");
    const first = cardOf(await feature.handle(turnOf(action(none.actionId, none.value, teams))));
    expect(first.title).toMatch(/^Onboarding Modul 1:/);

    // On Slack she never joined the workspace after Lotse came: no link yet; her first "onboarding" asks Slack.
    const slack: Who = { user: { id: "U0ALT00001", name: "Ute Alt" } };
    const resumed = cardOf(await feature.handle(turnOf(message("onboarding", slack))), "card");
    expect(asked).toEqual(["U0ALT00001"]);
    expect(resumed.title).toMatch(/^Onboarding Modul 1:/);
    expect(resumed.sections[0]?.text).toBe("Modul 1 von 6");
    expect(labels(resumed)).not.toContain("Ohne Zusatzmodul");
    // Linked now: the next step asks Slack no more.
    await feature.handle(turnOf(message("onboarding", slack)));
    expect(asked).toEqual(["U0ALT00001"]);
  });

  it("asks again an hour after a failed lookup, and the progress begun meanwhile moves with the link", async () => {
    const feature = await onboardingFeature(db, { rosters: [slackRoster] });
    const slack = (at: string): Who => ({ user: { id: "U0SPAET001", name: "Tim Spät" }, at });
    // users:read.email not granted yet: Tim begins under his Slack pseudonym.
    const roles = cardOf(
      await feature.handle(turnOf(message("onboarding", slack("2026-12-02T09:00:00Z")))),
      "card",
    );
    const none = button(roles, "Ohne Zusatzmodul");
    await feature.handle(turnOf(action(none.actionId, none.value, slack("2026-12-02T09:05:00Z"))));
    expect(asked.filter((u) => u === "U0SPAET001")).toHaveLength(1);
    // The scope granted; within the hour nobody asks again, after it Slack tells the email.
    emails.set("U0SPAET001", "tim.spaet@musterstadt.example");
    await feature.handle(turnOf(message("onboarding", slack("2026-12-02T09:30:00Z"))));
    expect(asked.filter((u) => u === "U0SPAET001")).toHaveLength(1);
    const later = cardOf(
      await feature.handle(turnOf(message("onboarding", slack("2026-12-02T10:10:00Z")))),
      "card",
    );
    expect(asked.filter((u) => u === "U0SPAET001")).toHaveLength(2);
    expect(later.title).toMatch(/^Onboarding Modul 1:/);
    const person = pseudonyms.ofEmail(TENANT, "tim.spaet@musterstadt.example");
    const rows = await db.query<{ person: string }>(
      "SELECT person FROM onboarding_progress WHERE person = ANY($1::text[])",
      [[person, pseudonyms.of("slack", "U0SPAET001")]],
    );
    expect(rows.rows.map((r) => r.person)).toEqual([person]);
  });

  it("keeps a colleague whose email Slack does not tell per platform, and starts them afresh", async () => {
    const feature = await onboardingFeature(db, { rosters: [slackRoster] });
    const card = cardOf(
      await feature.handle(turnOf(message("onboarding", { user: { id: "U0OHNE0001" } }))),
      "card",
    );
    expect(labels(card)).toContain("Ohne Zusatzmodul");
    const row = await db.query<{ person: string }>(
      "SELECT person FROM onboarding_progress WHERE person = $1",
      [pseudonyms.of("slack", "U0OHNE0001")],
    );
    expect(row.rows).toHaveLength(1);
  });
});

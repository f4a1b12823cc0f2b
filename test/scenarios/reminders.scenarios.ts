import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReminderListing } from "../../src/reminders/reminders.ts";
import {
  coordinatorSettings,
  findButton,
  type NeutralForm,
  type NeutralPost,
  type NeutralReply,
  type Platform,
  type ScenarioDriver,
  type StartDriver,
} from "../fakes/neutral.ts";
import { only } from "./conversation.scenarios.ts";

/**
 * The reminder scenarios, once for every platform, end to end: a user opens the create form the platform's way
 * (Slack /lotse erinnerung → modal; Teams "erinnerung …" → Adaptive Card), submits it, confirms the draft, and the
 * scheduler (rt.scheduler.runDue at instants taken from the stored schedule) posts to the fake Slack Web API or the
 * fake Bot Connector. What the user sees is stated as neutral facts; where a platform differs, `exceptions` says
 * why. All scenarios share one Lotse per platform (its start ingests the knowledge); each starts with no reminders.
 */

interface ReminderCtx {
  d: ScenarioDriver;
  /** Posts nobody asked for since the last call (each is returned once). */
  fresh(): NeutralPost[];
}

export interface ReminderScenario {
  name: string;
  run(ctx: ReminderCtx): Promise<void>;
  /** `fails`: a known defect, reported; the scenario runs and must fail, so its fix turns it red here. */
  exceptions?: Partial<Record<Platform, { reason: string; fails: true }>>;
}

const TENANT = "musterstadt";
const PHRASE = "jeden ersten Montag im Monat um 9 Uhr";
const TEXT = "Indikatoren melden";
const LINK = "https://intranet.musterstadt.example/nachhaltigkeit/indikatoren";
const HOUR = 3_600_000;

const MONTHS = [
  "Januar",
  "Februar",
  "März",
  "April",
  "Mai",
  "Juni",
  "Juli",
  "August",
  "September",
  "Oktober",
  "November",
  "Dezember",
];

/** A date's calendar parts and time of day in Europe/Berlin, read by Intl (independent of the feature's code). */
function berlin(d: Date): { year: number; month: number; day: number; weekday: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "long",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: String(parts.weekday),
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** "4. Januar 2027": the first Mondays at 9:00 (Berlin) after `now`, as German dates, `count` of them. */
function firstMondays(now: Date, count: number): string[] {
  const out: string[] = [];
  const today = berlin(now);
  for (let m = 0; out.length < count; m++) {
    const month = ((today.month - 1 + m) % 12) + 1;
    const year = today.year + Math.floor((today.month - 1 + m) / 12);
    // The first Monday: day 1–7 whose weekday is Monday (noon UTC is the same calendar day in Berlin).
    const day = [1, 2, 3, 4, 5, 6, 7].find(
      (dd) => berlin(new Date(Date.UTC(year, month - 1, dd, 12))).weekday === "Monday",
    ) as number;
    const passed = m === 0 && (today.day > day || (today.day === day && today.time >= "09:00"));
    if (!passed) out.push(`${day}. ${MONTHS[month - 1]} ${year}`);
  }
  return out;
}

/** "4. Januar 2027" of an instant. */
function inWords(d: Date): string {
  const z = berlin(d);
  return `${z.day}. ${MONTHS[z.month - 1]} ${z.year}`;
}

/** The tenant's reminders as stored (all conversations, ended ones too), with next date and last delivery. */
const stored = (d: ScenarioDriver): Promise<ReminderListing[]> =>
  d.rt.reminders.list({ tenant: TENANT, includeEnded: true }, new Date());

async function onlyStored(d: ScenarioDriver): Promise<ReminderListing> {
  const all = await stored(d);
  expect(all).toHaveLength(1);
  return all[0] as ReminderListing;
}

/** The next planned occurrence of the one stored reminder (it must have one). */
async function nextOf(d: ScenarioDriver): Promise<Date> {
  const next = (await onlyStored(d)).next;
  if (!next) throw new Error("the reminder has no next occurrence planned");
  return next;
}

function lastForm(d: ScenarioDriver): NeutralForm {
  const form = d.forms.at(-1);
  if (!form) throw new Error("Lotse showed no form");
  return form;
}

const field = (form: NeutralForm, id: string) => {
  const f = form.fields.find((x) => x.id === id);
  if (!f) throw new Error(`form ${form.id} has no field ${id} (${form.fields.map((x) => x.id).join(", ")})`);
  return f;
};

/** The reply that carries a button with this label. */
function withButton(replies: NeutralReply[], label: string): NeutralReply {
  const r = replies.find((x) => x.buttons.some((b) => b.label === label));
  if (!r) throw new Error(`no reply with „${label}“ (${JSON.stringify(replies.map((x) => x.text))})`);
  return r;
}

/**
 * The create form opened with `erinnerung <phrase>`, submitted as pre-filled (plus `values`), the draft confirmed
 * with „Speichern“: returns the confirmation the user saw.
 */
async function createReminder(
  d: ScenarioDriver,
  phrase: string,
  values: Record<string, string> = {},
): Promise<NeutralReply> {
  await d.command(`erinnerung ${phrase}`);
  const submitted = await d.submit(lastForm(d), values);
  expect(submitted.form?.errors ?? {}).toEqual({});
  const confirmation = only(submitted.replies);
  const saved = only(await d.press(confirmation, { label: "Speichern" }));
  expect(saved.text).toContain("Gespeichert");
  return confirmation;
}

/** The one post of a run (fails when there are more or none). */
const onePost = (posts: NeutralPost[]): NeutralPost => only(posts) as NeutralPost;

const inChannel = (d: ScenarioDriver, posts: NeutralPost[]) =>
  posts.filter((p) => p.where === "channel" && p.conversation === d.channel);

export const REMINDER_SCENARIOS: ReminderScenario[] = [
  {
    name: "a coordinator's channel reminder from free text: pre-filled form, reading with three dates, saved, posted once at its time, the next one planned",
    async run({ d, fresh }) {
      d.begin({ as: "coordinator" });
      const now = new Date();
      expect(await d.command(`erinnerung ${PHRASE}: ${TEXT}`)).toEqual([]);
      const form = lastForm(d);
      expect(form.id).toBe("reminder.create");
      expect(form.overLimits).toEqual([]);
      expect(field(form, "text").initial).toBe(TEXT);
      expect(field(form, "when").initial).toBe(PHRASE);
      const submitted = await d.submit(form, { link: LINK });
      expect(submitted.form).toBeUndefined();
      const confirmation = only(submitted.replies);
      expect(confirmation.private).toBe(true);
      expect(confirmation.overLimits).toEqual([]);
      expect(confirmation.text).toContain(TEXT);
      expect(confirmation.text).toMatch(/ersten Montag/);
      for (const date of firstMondays(now, 3)) expect(confirmation.text).toContain(date);
      expect(confirmation.buttons.map((b) => b.label)).toEqual(["Speichern", "Ändern", "Verwerfen"]);
      // Nothing is planned before „Speichern“.
      expect(await stored(d)).toEqual([]);
      const saved = only(await d.press(confirmation, { label: "Speichern" }));
      expect(saved.text).toContain("Gespeichert");
      expect(saved.text).toContain(firstMondays(now, 1)[0]);

      const due = await nextOf(d);
      expect(inWords(due)).toBe(firstMondays(now, 1)[0]);
      expect(berlin(due)).toMatchObject({ weekday: "Monday", time: "09:00" });
      expect(fresh()).toEqual([]);
      await d.rt.scheduler.runDue(due);
      const posts = fresh();
      expect(posts.map((p) => [p.where, p.conversation])).toEqual([["channel", d.channel]]);
      const post = posts[0] as NeutralPost;
      expect(post.text).toContain(TEXT);
      expect(post.text).toMatch(/Eingerichtet (von|über)/);
      expect(post.text).not.toContain("verspätet");
      expect(post.buttons).toEqual([expect.objectContaining({ label: "Link öffnen", url: LINK })]);
      expect(post.overLimits).toEqual([]);
      // Exactly once: the same instant again posts nothing.
      await d.rt.scheduler.runDue(due);
      expect(fresh()).toEqual([]);
      const after = await onlyStored(d);
      expect(after.last).toMatchObject({ status: "done", late: false });
      expect(after.next && inWords(after.next)).toBe(firstMondays(now, 2)[1]);
    },
  },
  {
    name: "a delivered reminder names who set it",
    async run({ d, fresh }) {
      d.begin({ as: "coordinator" });
      await createReminder(d, `${PHRASE}: ${TEXT}`);
      await d.rt.scheduler.runDue(await nextOf(d));
      const post = onePost(fresh());
      // Slack sends the handle with a modal submission (no display name), Teams the display name.
      expect(post.text).toMatch(/Eingerichtet von \S/);
    },
  },
  {
    name: "a phrase Lotse cannot read gets the form again with an error and examples; nothing is saved",
    async run({ d }) {
      d.begin({ as: "coordinator" });
      await d.command("erinnerung Bericht prüfen");
      const form = lastForm(d);
      expect(field(form, "text").initial).toBe("Bericht prüfen");
      const submitted = await d.submit(form, { when: "bald mal" });
      expect(submitted.replies).toEqual([]);
      const again = submitted.form;
      if (!again) throw new Error("the form was not shown again");
      expect(again.id).toBe("reminder.create");
      expect(Object.keys(again.errors)).toEqual(["when"]);
      expect(again.errors.when).toMatch(/zum Beispiel/);
      expect(again.errors.when).toContain("jeden Freitag um 9 Uhr");
      const rows = await d.rt.db.query<{ n: number | string }>("SELECT count(*) AS n FROM reminders");
      expect(Number(rows.rows[0]?.n)).toBe(0);
    },
  },
  {
    name: "a channel reminder by someone who is no coordinator is refused saying who can; a personal one is delivered personally",
    async run({ d, fresh }) {
      d.begin();
      await d.command(`erinnerung ${PHRASE}: ${TEXT}`);
      const form = lastForm(d);
      expect(field(form, "audience").initial).toBe("channel");
      const refused = await d.submit(form, {});
      expect(refused.replies).toEqual([]);
      const again = refused.form;
      if (!again) throw new Error("the form was not shown again");
      expect(again.errors.audience).toMatch(/Nachhaltigkeitskoordinator/);
      expect(again.errors.audience).toMatch(/persönliche Erinnerungen können Sie selbst/);
      expect(await stored(d)).toEqual([]);

      const personal = await d.submit(again, { audience: "personal" });
      const confirmation = only(personal.replies);
      expect(confirmation.private).toBe(true);
      expect(confirmation.text).toContain("persönlich an Sie");
      expect(only(await d.press(confirmation, { label: "Speichern" })).text).toContain("Gespeichert");
      const listed = await onlyStored(d);
      expect(listed.reminder.audience).toBe("personal");

      await d.rt.scheduler.runDue(await nextOf(d));
      const post = onePost(fresh());
      expect(post.where).toBe("personal");
      expect(post.text).toContain(TEXT);
      // The user's own chat with Lotse: Slack's DM with them; on Teams the personal chat the connector created.
      const teams = (d as { connector?: { personalChats: Map<string, string> } }).connector;
      if (d.platform === "slack") expect(post.conversation).toBe(`D${String(d.userIds[0]).slice(1)}`);
      else expect(post.conversation).toBe(teams?.personalChats.get(String(d.userIds[1])));
    },
  },
  {
    name: "„erinnerungen“ lists a reminder with its buttons: send now posts once at once, paused posts nothing, resumed posts again",
    async run({ d, fresh }) {
      d.begin({ as: "coordinator" });
      await createReminder(d, `${PHRASE}: ${TEXT}`);
      const first = await nextOf(d);
      const list = await d.command("erinnerungen");
      const card = withButton(list, "Jetzt senden");
      expect(card.text).toContain(TEXT);
      expect(card.text).toContain(inWords(first));
      expect(card.buttons.map((b) => b.label)).toEqual(["Pausieren", "Löschen", "Jetzt senden"]);

      const sent = only(await d.press(card, { label: "Jetzt senden" }));
      expect(sent.private).toBe(true);
      expect(sent.text).toContain("jetzt gesendet");
      await d.rt.scheduler.runDue(new Date());
      const now = fresh();
      expect(inChannel(d, now)).toHaveLength(1);
      expect(now).toHaveLength(1);
      // Sent now is an extra: the schedule is unchanged.
      expect((await nextOf(d)).getTime()).toBe(first.getTime());

      const paused = only(await d.press(card, { label: "Pausieren" }));
      expect(paused.text).toContain("pausiert");
      findButton(paused, { label: "Fortsetzen" });
      expect((await onlyStored(d)).next).toBeUndefined();
      await d.rt.scheduler.runDue(first);
      expect(fresh()).toEqual([]);

      const resumed = only(await d.press(paused, { label: "Fortsetzen" }));
      expect(resumed.text).toContain("aktiv");
      // Resumed now (the real clock), the reminder goes on with its next date after now.
      const next = await nextOf(d);
      expect(next.getTime()).toBeGreaterThanOrEqual(first.getTime());
      await d.rt.scheduler.runDue(next);
      expect(inChannel(d, fresh())).toHaveLength(1);
      await d.rt.scheduler.runDue(next);
      expect(fresh()).toEqual([]);
    },
  },
  {
    name: "a channel Lotse was removed from: nothing posted, the reminder paused and listed so, its creator told why personally",
    async run({ d, fresh }) {
      d.begin({ as: "coordinator" });
      await createReminder(d, `${PHRASE}: ${TEXT}`);
      const due = await nextOf(d);
      d.channelGone(true);
      await d.rt.scheduler.runDue(due);
      const posts = fresh();
      expect(inChannel(d, posts)).toEqual([]);
      const told = onePost(posts);
      expect(told.where).toBe("personal");
      expect(told.text).toContain(TEXT);
      expect(told.text).toMatch(/pausiert/);
      expect(told.text).toMatch(/nicht mehr in der Unterhaltung/);
      const listed = await onlyStored(d);
      expect(listed.reminder).toMatchObject({ status: "paused", pausedReason: "conversation_gone" });
      // A second run posts nothing anywhere (the occurrence was cancelled with the pause).
      await d.rt.scheduler.runDue(due);
      expect(fresh()).toEqual([]);

      // Lotse added back, as the message asks: the list shows why it is paused and offers to resume.
      d.channelGone(false);
      const card = withButton(await d.command("erinnerungen"), "Fortsetzen");
      expect(card.text).toContain("pausiert: Lotse ist nicht mehr in der Unterhaltung");
    },
  },
  {
    name: "a personal reminder whose recipient Lotse cannot reach any more is paused, nothing posted",
    async run({ d, fresh }) {
      d.begin();
      await createReminder(d, `${PHRASE}: ${TEXT}`, { audience: "personal" });
      const due = await nextOf(d);
      d.userGone(true);
      await d.rt.scheduler.runDue(due);
      expect(fresh()).toEqual([]);
      expect((await onlyStored(d)).reminder).toMatchObject({
        status: "paused",
        pausedReason: "conversation_gone",
      });
      await d.rt.scheduler.runDue(due);
      expect(fresh()).toEqual([]);
    },
  },
  {
    name: "a late run delivers once marked late within the grace window, and skips beyond it with a mark in the list",
    async run({ d, fresh }) {
      d.begin({ as: "coordinator" });
      await createReminder(d, `${PHRASE}: ${TEXT}`);
      const first = await nextOf(d);
      await d.rt.scheduler.runDue(new Date(first.getTime() + 2 * HOUR));
      const late = onePost(fresh());
      expect(late.where).toBe("channel");
      expect(late.text).toContain(TEXT);
      expect(late.text).toContain("verspätet, fällig war");
      expect(late.text).toContain(inWords(first));
      expect((await onlyStored(d)).last).toMatchObject({ status: "done", late: true });

      const second = await nextOf(d);
      expect(second.getTime()).toBeGreaterThan(first.getTime());
      // Beyond the grace window (6 hours): skipped, never posted.
      await d.rt.scheduler.runDue(new Date(second.getTime() + 8 * HOUR));
      expect(fresh()).toEqual([]);
      const skipped = await onlyStored(d);
      expect(skipped.last).toMatchObject({ status: "skipped" });
      expect(skipped.skipped).toBe(1);
      expect(skipped.next?.getTime() ?? 0).toBeGreaterThan(second.getTime());
      const card = withButton(await d.command("erinnerungen"), "Pausieren");
      expect(card.text).toContain("übersprungen");
    },
  },
  {
    name: "„Ändern“ reopens the draft's form pre-filled and replaces the draft; „Verwerfen“ keeps nothing",
    async run({ d }) {
      d.begin({ as: "coordinator" });
      await d.command(`erinnerung ${PHRASE}: ${TEXT}`);
      const draft = only((await d.submit(lastForm(d), {})).replies);
      expect(await d.press(draft, { label: "Ändern" })).toEqual([]);
      const edit = lastForm(d);
      expect(edit.id).toBe("reminder.create");
      expect(field(edit, "text").initial).toBe(TEXT);
      expect(field(edit, "when").initial).toMatch(/ersten Montag/);
      const changed = only((await d.submit(edit, { text: "Indikatoren bis Freitag melden" })).replies);
      expect(changed.text).toContain("Indikatoren bis Freitag melden");
      expect(only(await d.press(changed, { label: "Speichern" })).text).toContain("Gespeichert");
      // The first draft was replaced, not kept beside it.
      const rows = await d.rt.db.query<{ text: string; status: string }>(
        "SELECT text, status FROM reminders",
      );
      expect(rows.rows).toEqual([{ text: "Indikatoren bis Freitag melden", status: "active" }]);

      await d.command(`erinnerung ${PHRASE}: Zweiter Entwurf`);
      const second = only((await d.submit(lastForm(d), {})).replies);
      const discarded = only(await d.press(second, { label: "Verwerfen" }));
      expect(discarded.buttons).toEqual([]);
      const after = await d.rt.db.query<{ text: string }>("SELECT text FROM reminders");
      expect(after.rows.map((r) => r.text)).toEqual(["Indikatoren bis Freitag melden"]);
    },
  },
  {
    name: "„erinnerung …“ written as a message opens the same pre-filled form (on Slack through a private „Formular öffnen“)",
    async run({ d }) {
      d.begin({ as: "coordinator" });
      const replies = await d.say(`erinnerung ${PHRASE}: ${TEXT}`, "nachricht");
      // A Slack modal opens only with the trigger of a command or a click, which a message has not: Lotse offers a
      // button for it. Teams shows the form card in reply to the message.
      if (d.platform === "slack") {
        const offer = withButton(replies, "Formular öffnen");
        expect(offer.private).toBe(true);
        expect(d.forms).toEqual([]);
        expect(await d.press(offer, { label: "Formular öffnen" })).toEqual([]);
      } else expect(replies).toEqual([]);
      const form = lastForm(d);
      expect(field(form, "text").initial).toBe(TEXT);
      expect(field(form, "when").initial).toBe(PHRASE);
      const confirmation = only((await d.submit(form, {})).replies);
      expect(confirmation.text).toContain("in diesem Kanal");
    },
  },
  {
    name: "three reminders due at the same instant in one channel are each posted exactly once under the platform's rate limits",
    async run({ d, fresh }) {
      d.begin({ as: "coordinator" });
      for (const text of ["Erste Erinnerung", "Zweite Erinnerung", "Dritte Erinnerung"])
        await createReminder(d, `${PHRASE}: ${text}`);
      const next = (await stored(d)).map((l) => l.next?.getTime() ?? 0);
      expect(new Set(next).size).toBe(1);
      const due = next[0] as number;
      d.rateLimits(true);
      await d.rt.scheduler.runDue(new Date(due));
      // The scheduler paces a Slack channel at one post a second by its own clock; the fake counts arrivals, so a post
      // may still be refused (429) now and then. A refused one waits for its Retry-After: a later run (a cron's
      // `run-due` a minute later, or the running scheduler) posts it. Nothing is lost, nothing doubled.
      const posts = fresh();
      for (let run = 1; run <= 3 && posts.length < 3; run++) {
        await d.rt.scheduler.runDue(new Date(due + run * 60_000));
        posts.push(...fresh());
      }
      expect(posts.map((p) => p.text.split("\n")[0]).sort()).toEqual([
        "Dritte Erinnerung",
        "Erste Erinnerung",
        "Zweite Erinnerung",
      ]);
      expect(inChannel(d, posts)).toHaveLength(3);
      expect(d.rateRefusals()).toBeLessThanOrEqual(3);
    },
  },
  {
    name: "a colleague in the channel sees its channel reminders in „erinnerungen“, without buttons to change them that work",
    async run({ d }) {
      d.begin({ as: "coordinator" });
      await createReminder(d, `${PHRASE}: ${TEXT}`);
      d.begin();
      const list = await d.command("erinnerungen");
      const card = withButton(list, "Pausieren");
      expect(card.text).toContain(TEXT);
      const refused = only(await d.press(card, { label: "Pausieren" }));
      expect(refused.private).toBe(true);
      expect(refused.text).toMatch(/Nachhaltigkeitskoordinator/);
      expect((await onlyStored(d)).reminder.status).toBe("active");
    },
  },
];

/** Runs every reminder scenario on one platform, all on one Lotse whose coordinator is the driver's. */
export function runReminderScenarios(platform: Platform, start: StartDriver): void {
  describe(`reminder scenarios on ${platform}`, () => {
    let driver: ScenarioDriver;
    beforeAll(async () => {
      driver = await start(coordinatorSettings());
    });
    afterAll(async () => {
      await driver?.stop();
    });

    for (const s of REMINDER_SCENARIOS) {
      const exception = s.exceptions?.[platform];
      const title = exception ? `${s.name} (on ${platform}: ${exception.reason})` : s.name;
      (exception?.fails ? it.fails : it)(title, async () => {
        const d = driver;
        // One Lotse for all: each scenario starts without reminders or planned jobs.
        await d.rt.db.query("DELETE FROM jobs");
        await d.rt.db.query("DELETE FROM reminders");
        let seen = 0;
        const fresh = () => {
          const all = d.proactive();
          const out = all.slice(seen);
          seen = all.length;
          return out;
        };
        // Each scenario calls begin() first, before it reads any post: counting starts there.
        await s.run({ d, fresh });
      });
    }
  });
}

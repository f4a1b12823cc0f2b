import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GERMAN_MONTHS } from "../../src/knowledge/german-dates.ts";
import {
  type NeutralPost,
  type NeutralReply,
  type Platform,
  persistentDatabase,
  SCENARIO_CHANNEL,
  type ScenarioDriver,
  type StartDriver,
} from "../fakes/neutral.ts";
import { ROOT } from "../helpers.ts";
import { only } from "./conversation.scenarios.ts";

/**
 * The onboarding scenarios, once for every platform, end to end: a new member asks for onboarding the platform's ways
 * ("onboarding" in a thread, the command, the welcome's button), chooses a role add-on, goes through every module of
 * Musterstadt's path (knowledge/musterstadt, documents of type onboarding), answers the check questions (one wrongly),
 * goes back, pauses, is nudged by the scheduler (rt.scheduler.runDue at the planned instant: the fake clock), and
 * resumes after Lotse restarted on the same database. The path, the right answers and the contacts are read here from
 * the knowledge files themselves, not from the feature. What the user sees is stated as neutral facts; where a
 * platform differs, `exceptions` (or a line saying why) states it. All scenarios share one Lotse per platform; each
 * starts with no planned jobs and a user nobody has seen before.
 */

interface OnboardingCtx {
  d: ScenarioDriver;
  /** Posts nobody asked for since the last call (each is returned once). */
  fresh(): NeutralPost[];
}

export interface OnboardingScenario {
  name: string;
  run(ctx: OnboardingCtx): Promise<void>;
  /** `fails`: a known defect, reported; the scenario runs and must fail, so its fix turns it red here. */
  exceptions?: Partial<Record<Platform, { reason: string; fails: true }>>;
}

const TENANT = "musterstadt";
const DAY = 86_400_000;
/**
 * A bound (not a wait) for starting and restarting Lotse on a PGlite directory on disk: the first start ingests the
 * knowledge into it, which takes far longer than in memory on a busy machine.
 */
const SLOW_MS = 180_000;

// ─── The path as the knowledge files write it ────────────────────────────────────────────────────────────────────

interface Module {
  id: string;
  title: string;
  /** The first sentence of the module's first part (the card shows the part, perhaps shortened at a sentence). */
  opening: string;
  question: string;
  options: { letter: string; text: string }[];
  correct: string;
  explanation: string;
  contacts: string[];
}

interface Knowledge {
  common: Module[];
  roles: { tag: string; label: string; modules: Module[] }[];
  /** Contact names by role id (knowledge/musterstadt/contacts.yaml). */
  contacts: Map<string, string>;
}

function readModule(file: string): { module: Module; tags: string[] } | undefined {
  const raw = readFileSync(file, "utf8");
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(raw);
  if (!m) return undefined;
  const meta = parse(m[1] as string) as {
    id: string;
    title: string;
    type: string;
    tags?: string[];
    contacts?: string[];
  };
  if (meta.type !== "onboarding") return undefined;
  const parts = (m[2] as string).split(/^## /m).slice(1);
  const check = parts.find((p) => p.startsWith("Kontrollfrage"));
  if (!check) return undefined;
  const lines = check.split("\n").slice(1);
  const options = lines.flatMap((l) => {
    const o = /^- ([A-F])\) (.+)$/.exec(l.trim());
    return o ? [{ letter: o[1] as string, text: (o[2] as string).trim() }] : [];
  });
  const at = lines.findIndex((l) => /^Richtige Antwort: [A-F]/.test(l));
  const first = (parts[0] as string).split("\n").slice(1).join(" ").trim();
  return {
    tags: meta.tags ?? [],
    module: {
      id: meta.id,
      title: meta.title,
      opening: (/^.+?[.!?](?=\s|$)/.exec(first)?.[0] ?? first).trim(),
      question: (lines.find((l) => l.trim() && !l.startsWith("- ")) ?? "").trim(),
      options,
      correct: (/^Richtige Antwort: ([A-F])/.exec(lines[at] ?? "")?.[1] ?? "") as string,
      explanation: lines
        .slice(at + 1)
        .join(" ")
        .trim(),
      contacts: meta.contacts ?? [],
    },
  };
}

function readKnowledge(): Knowledge {
  const dir = path.join(ROOT, "knowledge", TENANT);
  const read = readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .flatMap((f) => readModule(path.join(dir, f)) ?? []);
  const nth = (tags: string[]) => Number(tags.map((t) => /^modul-(\d+)$/.exec(t)?.[1]).find(Boolean));
  const common = read
    .filter((r) => !Number.isNaN(nth(r.tags)) && !r.tags.some((t) => t.startsWith("rolle-")))
    .sort((a, b) => nth(a.tags) - nth(b.tags))
    .map((r) => r.module);
  const roles = read
    .flatMap((r) => {
      const tag = r.tags.find((t) => t.startsWith("rolle-"));
      const label = /\bfür\s+([^:]+):/.exec(r.module.title)?.[1]?.trim();
      return tag && label ? [{ tag, label, modules: [r.module] }] : [];
    })
    .sort((a, b) => a.tag.localeCompare(b.tag));
  const contacts = parse(readFileSync(path.join(dir, "contacts.yaml"), "utf8")) as Record<
    string,
    { name: string }
  >;
  return { common, roles, contacts: new Map(Object.entries(contacts).map(([role, c]) => [role, c.name])) };
}

const K = readKnowledge();
const role = (label: string) => {
  const r = K.roles.find((x) => x.label === label);
  if (!r) throw new Error(`knowledge/${TENANT} has no onboarding add-on for ${label}`);
  return r;
};

// ─── What the user sees ──────────────────────────────────────────────────────────────────────────────────────────

/** "Onboarding Modul 3: Beschaffung im Arbeitsalltag" → "Beschaffung im Arbeitsalltag". */
const shortTitle = (m: Module) => m.title.replace(/^[^:]*:\s*/, "");

/**
 * Whether a reply is in the user's personal chat with Lotse: on Slack the DM (D…), on Teams a conversation that is
 * not a channel's (19:…@thread.tacv2).
 */
function isPersonal(d: ScenarioDriver, r: NeutralReply): boolean {
  if (d.platform === "slack") return String((r.handle as { channel?: string }).channel).startsWith("D");
  return !String((r.handle as { conversationId?: string }).conversationId).startsWith("19:");
}

const SENT_PERSONALLY = "Ich habe Ihnen das Onboarding in Ihren persönlichen Chat mit Lotse geschickt.";

/**
 * The onboarding card among the replies of a step, which must be in the user's personal chat; any other reply is the
 * notice where the step came from (a channel) that it went there.
 */
function cardIn(d: ScenarioDriver, replies: NeutralReply[]): NeutralReply {
  const cards = replies.filter((r) => r.text !== SENT_PERSONALLY);
  const card = only(cards);
  expect(isPersonal(d, card), `in the personal chat: ${JSON.stringify(card.handle)}`).toBe(true);
  expect(card.overLimits).toEqual([]);
  for (const r of replies)
    if (r !== card) {
      expect(r.text).toBe(SENT_PERSONALLY);
      // Slack shows it only to the user (ephemeral); Teams has no message only one member of a channel sees.
      if (d.platform === "slack") expect(r.private).toBe(true);
    }
  return card;
}

const labels = (r: NeutralReply) => r.buttons.map((b) => b.label);
const answers = (r: NeutralReply) => r.buttons.filter((b) => b.actionId === "onboarding.answer");

/** The option button of a letter: "B) Sie setzen …", or "B" alone where the options are listed in the text. */
const optionButton = (letter: string) => (r: NeutralReply) => {
  const b = answers(r).find((x) => x.label === letter || x.label.startsWith(`${letter}) `));
  if (!b) throw new Error(`no option ${letter} on ${JSON.stringify(labels(r))}`);
  return { label: b.label, actionId: "onboarding.answer" };
};

/** A module's card: its title, where it stands, its text, its check question with one button per option. */
function expectModule(card: NeutralReply, m: Module, index: number, total: number, resumed = false): void {
  expect(card.headings[0]).toBe(m.title);
  expect(card.text).toContain(
    resumed ? `Sie waren bei Modul ${index} von ${total}.` : `Modul ${index} von ${total}`,
  );
  expect(card.text).toContain(m.opening);
  expect(card.text).toContain(m.question);
  expect(answers(card)).toHaveLength(m.options.length);
  for (const o of m.options) {
    expect(answers(card).some((b) => b.label === o.letter || b.label === `${o.letter}) ${o.text}`)).toBe(
      true,
    );
    expect(`${card.text}\n${labels(card).join("\n")}`).toContain(o.text);
  }
  // The answer is not given away before the choice.
  expect(card.text).not.toContain("Richtige Antwort");
  expect(card.text).not.toContain(m.explanation);
}

/** The card after a choice: the choice, right or the right one, and why. */
function expectAnswered(card: NeutralReply, m: Module, letter: string): void {
  const chosen = m.options.find((o) => o.letter === letter);
  const right = m.options.find((o) => o.letter === m.correct);
  expect(card.headings[0]).toBe(m.title);
  expect(card.text).toContain(`Ihre Antwort: ${letter}) ${chosen?.text}`);
  if (letter === m.correct) {
    expect(card.text).toContain(`Richtig! ${letter}) ${right?.text}`);
    expect(card.text).not.toContain("Nicht ganz");
  } else expect(card.text).toContain(`Nicht ganz. Richtig ist ${m.correct}) ${right?.text}`);
  expect(card.text).toContain(m.explanation);
}

const wrongOf = (m: Module) => m.options.find((o) => o.letter !== m.correct)?.letter as string;

// ─── What is stored ──────────────────────────────────────────────────────────────────────────────────────────────

interface ProgressRow {
  status: string;
  role: string | null;
  current_module: string | null;
  completed: string[];
  notify_user_id: string | null;
  nudges: boolean;
}

/** The current user's stored progress (the person behind any of the platform's ids for them), if any. */
async function progress(d: ScenarioDriver): Promise<ProgressRow | undefined> {
  for (const id of d.userIds) {
    const person = await d.rt.people.personOf(TENANT, d.platform, d.rt.pseudonyms.of(d.platform, id));
    const r = await d.rt.db.query<ProgressRow>(
      "SELECT status, role, current_module, completed, notify_user_id, nudges FROM onboarding_progress WHERE tenant = $1 AND person = $2",
      [TENANT, person],
    );
    if (r.rows[0]) return r.rows[0];
  }
  return undefined;
}

/** The planned onboarding nudges (each scenario starts without jobs), by due instant. */
async function nudges(d: ScenarioDriver): Promise<{ status: string; due: Date }[]> {
  const r = await d.rt.db.query<{ status: string; due_at: Date | string }>(
    "SELECT status, due_at FROM jobs WHERE kind = 'onboarding-nudge' ORDER BY due_at",
  );
  return r.rows.map((x) => ({ status: x.status, due: new Date(x.due_at) }));
}

async function onePending(d: ScenarioDriver): Promise<Date> {
  const pending = (await nudges(d)).filter((j) => j.status === "pending");
  expect(pending).toHaveLength(1);
  return (pending[0] as { due: Date }).due;
}

// ─── Dates in Berlin, read by Intl (independent of the feature's scheduling code) ───────────────────────────────

function berlin(at: Date): { date: string; weekday: string; time: string; words: string } {
  const p = Object.fromEntries(
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
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  const date = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
  return {
    date,
    weekday: String(p.weekday),
    time: `${p.hour}:${p.minute}`,
    words: `${Number(p.day)}. ${GERMAN_MONTHS[Number(p.month) - 1]}`,
  };
}

/** The Berlin calendar day `days` after `at`'s, moved to the Monday after when it is a Saturday or Sunday. */
function workdayAfter(at: Date, days: number): string {
  // Noon UTC of a Berlin calendar day is the same day in Berlin.
  let day = new Date(`${berlin(at).date}T12:00:00Z`).getTime() + days * DAY;
  while (["Saturday", "Sunday"].includes(berlin(new Date(day)).weekday)) day += DAY;
  return berlin(new Date(day)).date;
}

/** A planned nudge: 9:00 in Berlin on the given day. */
function expectNineOn(due: Date, day: string): void {
  expect(berlin(due)).toMatchObject({ date: day, time: "09:00" });
}

// ─── The steps a scenario repeats ────────────────────────────────────────────────────────────────────────────────

/** "onboarding" in a new thread of the scenario's channel: the card, in the personal chat. */
const ask = async (d: ScenarioDriver, thread: string) => cardIn(d, await d.say("onboarding", thread));

/** From the role choice, the add-on (or "Ohne Zusatzmodul") chosen: module 1. */
async function choose(d: ScenarioDriver, start: NeutralReply, label: string): Promise<NeutralReply> {
  return only(await d.press(start, { actionId: "onboarding.role", label }));
}

/** Answers the module on `card` rightly and presses „Weiter“: the next card. */
async function passModule(d: ScenarioDriver, card: NeutralReply, m: Module): Promise<NeutralReply> {
  const answered = only(await d.press(card, optionButton(m.correct)(card)));
  expectAnswered(answered, m, m.correct);
  return only(await d.press(answered, { label: "Weiter" }));
}

/** The role choice: the add-ons of the knowledge offered as buttons plus „Ohne Zusatzmodul“, none chosen yet. */
async function expectRoleChoice(d: ScenarioDriver, card: NeutralReply): Promise<void> {
  expect(card.headings[0]).toBe("Onboarding Nachhaltigkeit");
  expect(card.text).toContain(`In ${K.common.length} kurzen Modulen`);
  expect(card.text).toContain("Zusatzmodul");
  expect(labels(card)).toEqual([...K.roles.map((r) => r.label), "Ohne Zusatzmodul"]);
  expect(card.buttons.every((b) => b.actionId === "onboarding.role")).toBe(true);
  // Offered, never inferred: nothing chosen, no module begun.
  expect(await progress(d)).toMatchObject({ role: null, current_module: null, completed: [] });
}

export const ONBOARDING_SCENARIOS: OnboardingScenario[] = [
  {
    name: "„onboarding“ in a thread and the platform's command both start it in the personal chat, the role add-ons offered as buttons and none chosen",
    async run({ d }) {
      d.begin();
      expect(await progress(d)).toBeUndefined();
      const said = await d.say("onboarding", "start");
      expect(said).toHaveLength(2);
      await expectRoleChoice(d, cardIn(d, said));

      // A colleague types the command: /lotse onboarding on Slack; on Teams a message to Lotse in a new thread.
      d.begin();
      const commanded = await d.command("onboarding");
      expect(commanded).toHaveLength(2);
      await expectRoleChoice(d, cardIn(d, commanded));
      // A question about onboarding is a question, answered from the knowledge, not the start of the path.
      d.begin();
      const question = only(await d.say("Wie lange dauert das Onboarding?", "frage"));
      expect(question.buttons.some((b) => b.actionId === "onboarding.role")).toBe(false);
      expect(await progress(d)).toBeUndefined();
    },
  },
  {
    name: "the whole path with a role add-on: every module's text and check question, one wrong answer explained, „Zurück“, the closing summary with the role's contacts, stored as complete",
    async run({ d }) {
      d.begin();
      const addOn = role("Beschaffende");
      const modules = [...K.common, ...addOn.modules];
      const total = modules.length;
      let card = await choose(d, await ask(d, "pfad"), addOn.label);
      expect(await progress(d)).toMatchObject({ role: addOn.tag, current_module: modules[0]?.id });
      for (const [i, m] of modules.entries()) {
        expectModule(card, m, i + 1, total);
        if (i === 0) {
          // Deliberately wrong: the right answer is named, and why.
          const wrong = wrongOf(m);
          const answered = only(await d.press(card, optionButton(wrong)(card)));
          expectAnswered(answered, m, wrong);
          // The first module has no „Zurück“.
          expect(labels(answered)).toEqual(["Weiter", "Später fortsetzen"]);
          card = only(await d.press(answered, { label: "Weiter" }));
          continue;
        }
        const answered = only(await d.press(card, optionButton(m.correct)(card)));
        expectAnswered(answered, m, m.correct);
        expect(labels(answered)).toEqual(["Weiter", "Zurück", "Später fortsetzen"]);
        if (i === 1) {
          // „Zurück“: the module before, answered, with „Weiter“ back here.
          const back = only(await d.press(answered, { label: "Zurück" }));
          expectModule(back, modules[0] as Module, 1, total);
          expect(labels(back)).toContain("Weiter");
          expect((await progress(d))?.current_module).toBe(modules[0]?.id);
          const again = only(await d.press(back, { label: "Weiter" }));
          expectModule(again, m, 2, total);
          card = only(await d.press(again, { label: "Weiter" }));
          continue;
        }
        card = only(await d.press(answered, { label: "Weiter" }));
      }

      expect(card.headings[0]).toBe("Onboarding abgeschlossen");
      expect(card.text).toContain(`alle ${total} Module`);
      expect(card.text).toContain(`Ihr Zusatzmodul: ${addOn.label}.`);
      // The contacts of the role's add-on come first (knowledge/musterstadt/contacts.yaml).
      const roleContacts = (addOn.modules[0] as Module).contacts.map((c) => K.contacts.get(c) as string);
      expect(roleContacts.length).toBeGreaterThan(0);
      for (const name of roleContacts) expect(card.text).toContain(name);
      const first = roleContacts[0] as string;
      for (const other of K.common.flatMap((m) => m.contacts).map((c) => K.contacts.get(c) as string))
        if (!roleContacts.includes(other) && card.text.includes(other))
          expect(card.text.indexOf(first)).toBeLessThan(card.text.indexOf(other));
      const stored = await progress(d);
      expect(stored).toMatchObject({ status: "completed", role: addOn.tag, notify_user_id: null });
      expect([...(stored?.completed ?? [])].sort()).toEqual(modules.map((m) => m.id).sort());
      // „onboarding“ afterwards shows the summary again.
      expect((await ask(d, "danach")).headings[0]).toBe("Onboarding abgeschlossen");
    },
  },
  {
    name: "„Später fortsetzen“ plans a nudge; the scheduler delivers exactly one personal post at its time, its „Fortsetzen“ resumes at the module; none more that week; „Keine Erinnerungen mehr“ stops them",
    async run({ d, fresh }) {
      d.begin();
      const [m1, m2] = K.common as [Module, Module];
      const total = K.common.length;
      const m2card = await passModule(d, await choose(d, await ask(d, "pause"), "Ohne Zusatzmodul"), m1);
      expectModule(m2card, m2, 2, total);
      const answered = only(await d.press(m2card, optionButton(wrongOf(m2))(m2card)));
      const pausedAt = new Date();
      const paused = only(await d.press(answered, { label: "Später fortsetzen" }));
      expect(labels(paused)).toEqual(["Fortsetzen"]);

      // 9:00 in Berlin on the first workday two days later, and the card says when.
      const due = await onePending(d);
      expectNineOn(due, workdayAfter(pausedAt, 2));
      expect(paused.text).toContain(`Ich erinnere Sie am`);
      expect(paused.text).toContain(`${berlin(due).words}, um 9:00 Uhr persönlich daran`);
      expect(await progress(d)).toMatchObject({ status: "paused", current_module: m2.id });
      expect(fresh()).toEqual([]);

      // Not before its time; at its time exactly one post, personally.
      await d.rt.scheduler.runDue(new Date(due.getTime() - 60_000));
      expect(fresh()).toEqual([]);
      await d.rt.scheduler.runDue(due);
      const nudge = only(fresh()) as NeutralPost;
      expect(nudge.where).toBe("personal");
      const teams = (d as { connector?: { personalChats: Map<string, string> } }).connector;
      if (d.platform === "slack") expect(nudge.conversation).toBe(`D${String(d.userIds[0]).slice(1)}`);
      else expect(nudge.conversation).toBe(teams?.personalChats.get(String(d.userIds[1])));
      expect(nudge.text).toContain(`Weiter mit Modul 2: ${shortTitle(m2)}`);
      expect(nudge.text).toContain(`${total - 2} von ${total} Modulen`);
      expect(labels(nudge)).toEqual(["Fortsetzen", "Keine Erinnerungen mehr"]);
      expect(nudge.overLimits).toEqual([]);
      // The same instant again, and the next days of that week: nothing more.
      await d.rt.scheduler.runDue(due);
      await d.rt.scheduler.runDue(new Date(due.getTime() + DAY));
      expect(fresh()).toEqual([]);

      // „Fortsetzen“ on the nudge: module 2 again, where the user left off.
      const resumed = only(await d.press(nudge, { label: "Fortsetzen" }));
      expectModule(resumed, m2, 2, total, true);
      expect(labels(resumed)).toContain("Weiter");
      expect((await progress(d))?.status).toBe("active");

      // Paused again the same week: the next nudge not before a week after the last one.
      const again = only(await d.press(resumed, { label: "Später fortsetzen" }));
      const next = await onePending(d);
      expectNineOn(next, workdayAfter(due, 7));
      expect(again.text).toContain(`${berlin(next).words}, um 9:00 Uhr`);
      await d.rt.scheduler.runDue(new Date(due.getTime() + 3 * DAY));
      expect(fresh()).toEqual([]);

      // „Keine Erinnerungen mehr“: the planned one cancelled, none at its time, none planned on the next pause.
      const stopped = only(await d.press(nudge, { label: "Keine Erinnerungen mehr" }));
      expect(stopped.text).toContain("ich erinnere Sie nicht mehr");
      expect(labels(stopped)).toEqual(["Fortsetzen"]);
      expect(await progress(d)).toMatchObject({ nudges: false, notify_user_id: null });
      expect((await nudges(d)).filter((j) => j.status === "pending")).toEqual([]);
      await d.rt.scheduler.runDue(next);
      await d.rt.scheduler.runDue(new Date(next.getTime() + 7 * DAY));
      expect(fresh()).toEqual([]);
      const later = only(
        await d.press(only(await d.press(stopped, { label: "Fortsetzen" })), { label: "Später fortsetzen" }),
      );
      expect(later.text).not.toContain("Ich erinnere Sie am");
      expect((await nudges(d)).filter((j) => j.status === "pending")).toEqual([]);
    },
  },
  {
    name: "after a restart on the same database „onboarding“ continues at the stored module, „Fortsetzen“ from before the restart too, and the nudge planned before it is delivered after it",
    async run({ d, fresh }) {
      d.begin();
      const modules = K.common;
      const total = modules.length;
      let card = await choose(d, await ask(d, "neustart"), "Ohne Zusatzmodul");
      for (const m of modules.slice(0, 3)) card = await passModule(d, card, m);
      const m4 = modules[3] as Module;
      expectModule(card, m4, 4, total);
      expect(await progress(d)).toMatchObject({ status: "active", current_module: m4.id });

      await d.restart();
      expect(await progress(d)).toMatchObject({
        status: "active",
        current_module: m4.id,
        completed: modules.slice(0, 3).map((m) => m.id),
      });
      const resumed = await ask(d, "nach-dem-neustart");
      expectModule(resumed, m4, 4, total, true);

      // Answered and paused, then another restart: the nudge the first Lotse planned is the second one's to send.
      const answered = only(await d.press(resumed, optionButton(m4.correct)(resumed)));
      expectAnswered(answered, m4, m4.correct);
      const paused = only(await d.press(answered, { label: "Später fortsetzen" }));
      const due = await onePending(d);
      await d.restart();
      await d.rt.scheduler.runDue(due);
      const nudge = only(fresh()) as NeutralPost;
      expect(nudge.where).toBe("personal");
      expect(nudge.text).toContain(`Weiter mit Modul 4: ${shortTitle(m4)}`);

      // „Fortsetzen“ on the card from before the restart.
      const again = only(await d.press(paused, { label: "Fortsetzen" }));
      expectModule(again, m4, 4, total, true);
      const m5card = only(await d.press(again, { label: "Weiter" }));
      expectModule(m5card, modules[4] as Module, 5, total);
      expect(await progress(d)).toMatchObject({ status: "active", current_module: modules[4]?.id });
    },
  },
  {
    name: "the welcome on joining offers „Onboarding starten“, which opens the role choice in the personal chat",
    async run({ d }) {
      d.begin();
      // Slack welcomes a new member of the workspace in their DM; Teams one added to the team in its channel.
      const welcome = only(await d.join());
      expect(welcome.text).toContain(
        `Neu dabei? Das Onboarding Nachhaltigkeit führt Sie in ${K.common.length} kurzen Modulen`,
      );
      expect(welcome.buttons).toEqual([
        expect.objectContaining({ label: "Onboarding starten", actionId: "onboarding.start" }),
      ]);
      expect(await progress(d)).toBeUndefined();
      await expectRoleChoice(d, cardIn(d, await d.press(welcome, { label: "Onboarding starten" })));
    },
  },
  {
    name: "a member Lotse cannot write to personally is told in the thread how to open the chat with Lotse; reachable again, the onboarding arrives",
    async run({ d }) {
      d.begin();
      d.userGone(true);
      const told = only(await d.say("onboarding", "unerreichbar"));
      expect(isPersonal(d, told)).toBe(false);
      expect(told.text).toContain("Ich konnte Ihnen nicht persönlich schreiben.");
      expect(told.buttons).toEqual([]);
      // Slack: the app in the sidebar (only the user sees it); Teams: the app added for oneself first.
      if (d.platform === "slack") {
        expect(told.private).toBe(true);
        expect(told.text).toMatch(/Öffnen Sie Lotse in der Seitenleiste unter \*?Apps\*?/);
      } else expect(told.text).toContain("fügen Sie Lotse für sich hinzu");
      d.userGone(false);
      await expectRoleChoice(d, await ask(d, "wieder-erreichbar"));
    },
  },
  {
    name: "a new member of one of the tenant's onboarding channels is offered onboarding personally, once",
    async run({ d }) {
      d.begin();
      // Slack tells Lotse of a member joining a channel (member_joined_channel): for an onboarding channel of the
      // tenant (onboarding.slack_channels) the welcome with the offer goes to the member's DM, nothing into the
      // channel. Teams tells of a member added to the team, not of a channel: that join is the team's welcome.
      const joined = await d.join({ where: "channel" });
      const welcome = only(joined);
      expect(isPersonal(d, welcome)).toBe(d.platform === "slack");
      expect(welcome.text).toContain("Neu dabei? Das Onboarding Nachhaltigkeit");
      expect(labels(welcome)).toEqual(["Onboarding starten"]);
      await expectRoleChoice(d, cardIn(d, await d.press(welcome, { label: "Onboarding starten" })));
      if (d.platform === "slack") {
        // Joining again (left and came back): no second offer.
        expect(await d.join({ where: "channel" })).toEqual([]);
      }
    },
  },
];

/** Runs every onboarding scenario on one platform, all on one Lotse. */
export function runOnboardingScenarios(platform: Platform, start: StartDriver): void {
  describe(`onboarding scenarios on ${platform}`, () => {
    let driver: ScenarioDriver;
    beforeAll(async () => {
      // A database on disk, which restart() finds again (slower to start than one in memory).
      driver = await start({
        ...persistentDatabase(),
        // The scenario's Slack channel is one where new members are offered onboarding.
        LOTSE_TENANT_SETTINGS: JSON.stringify({
          [TENANT]: { onboarding: { slack_channels: [SCENARIO_CHANNEL.slack] } },
        }),
      });
    }, SLOW_MS);
    afterAll(async () => {
      await driver?.stop();
    });

    for (const s of ONBOARDING_SCENARIOS) {
      const exception = s.exceptions?.[platform];
      const title = exception ? `${s.name} (on ${platform}: ${exception.reason})` : s.name;
      (exception?.fails ? it.fails : it)(
        title,
        async () => {
          const d = driver;
          // Each scenario starts without planned jobs (the nudges it plans are its own).
          await d.rt.db.query("DELETE FROM jobs");
          let seen = 0;
          const fresh = () => {
            const all = d.proactive();
            const out = all.slice(seen);
            seen = all.length;
            return out;
          };
          await s.run({ d, fresh });
        },
        SLOW_MS,
      );
    }
  });
}

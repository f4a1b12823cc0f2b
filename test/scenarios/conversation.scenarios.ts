import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Answer } from "../../src/assistant/answer.ts";
import {
  isButton,
  type NeutralForm,
  type NeutralReply,
  OTHER_TENANT,
  type Platform,
  type ScenarioDriver,
  type StartDriver,
} from "../fakes/neutral.ts";

/**
 * The conversation scenarios, once for every platform: each step is something a user does (says a text in a thread,
 * presses a button on the last reply, joins), and what the replies must show is stated as neutral facts (text,
 * headings, buttons, links, mentions, who sees it, limits). slack.test.ts and teams.test.ts run this list through their
 * platform's driver (test/fakes/*-driver.ts) against a real Lotse on 127.0.0.1. Where a platform cannot do what a
 * scenario needs, the scenario says so in `exceptions`, with the reason; nothing is skipped silently.
 */

export interface Ctx {
  d: ScenarioDriver;
  /** Every reply so far in this scenario, in order. */
  all: NeutralReply[];
  /** The wording of prompts/ (as the core renders it). */
  render(name: string, vars?: Record<string, string>): string;
}

type Check = (replies: NeutralReply[], ctx: Ctx) => void | Promise<void>;

export type Step =
  | { say: string; thread?: string; expect: Check }
  | { press: { actionId?: string; label?: string }; expect: Check }
  | { join: true; expect: Check }
  /** Arranges the platform-neutral runtime: the assistant's next answer fails, or is this one. */
  | { arrange: "next-answer-fails" }
  | { arrange: "next-answer-is"; answer: Answer }
  | { check: (ctx: Ctx) => Promise<void> };

export interface Scenario {
  name: string;
  /** Lotse's environment for this scenario (it gets a Lotse of its own). */
  env?: (d: { platform: Platform; otherTenantId: string }) => Record<string, string>;
  steps: Step[];
  /**
   * A platform that differs, and why: its own steps, `skip` (the platform cannot do it), or `fails` (a known defect,
   * reported: the scenario runs and must fail; once fixed it turns red here and the exception is removed).
   */
  exceptions?: Partial<Record<Platform, { reason: string; skip?: true; fails?: true; steps?: Step[] }>>;
}

/** The one reply of a step (fails when there are more or none). */
export function only(replies: NeutralReply[]): NeutralReply {
  expect(replies, JSON.stringify(replies.map((r) => r.text.slice(0, 200)))).toHaveLength(1);
  return replies[0] as NeutralReply;
}

const actionIds = (r: NeutralReply) => r.buttons.flatMap((b) => (b.actionId ? [b.actionId] : []));

/**
 * A reply that shows nothing slipped in as markup: nobody notified by a broadcast or by an id from the input (the
 * tenant's contacts may be mentioned: Slack links them as <@U…>), no script link, within the limits.
 */
function harmless(r: NeutralReply): void {
  expect(
    r.mentions.filter((m) => /^(channel|here|everyone|subteam|x)$/.test(m) || m === INJECTED_USER),
  ).toEqual([]);
  for (const l of r.links) expect(l).toMatch(/^(https?:|mailto:|tel:)/);
  expect(r.overLimits).toEqual([]);
}

/** A user id written into the knowledge (a document cannot mention anyone). */
const INJECTED_USER = "U0ERIKA01";
const INJECTION = "<!channel> <at>x</at> [link](javascript:alert(1)) {{x}} **bold**";

/** An answer far beyond what one message may carry: text, sources, goals, next steps and contacts. */
function longAnswer(): Answer {
  const paragraph =
    "Für die Beschaffung gelten die Kriterien des Leitfadens; prüfen Sie Energieeffizienz, Reparierbarkeit, Ersatzteile und Rücknahme (ä, ö, ü, ß, €). ";
  return {
    kind: "answer",
    text: Array.from({ length: 60 }, (_, i) => `- Punkt ${i + 1}: ${paragraph.repeat(4)}`).join("\n"),
    citations: Array.from({ length: 40 }, (_, i) => ({
      docId: `doc-${i}`,
      title: `Leitfaden Nummer ${i + 1} ${"mit einem sehr langen Titel ".repeat(6)}`,
      section: `Abschnitt ${i + 1}`,
      url: `https://intranet.musterstadt.example/leitfaden/${i}?${"x".repeat(200)}`,
      excerpt: paragraph.repeat(10),
      asOf: "2026-03",
    })),
    goals: Array.from({ length: 20 }, (_, i) => ({
      title: `Ziel ${i + 1}`,
      text: paragraph.repeat(3),
      docId: `goal-${i}`,
    })),
    nextSteps: Array.from({ length: 12 }, (_, i) => ({
      label: `Nächster Schritt ${i + 1} ${"sehr ausführlich beschrieben ".repeat(5)}`,
      url: `https://intranet.musterstadt.example/schritt/${i}`,
    })),
    contacts: Array.from({ length: 15 }, (_, i) => ({
      role: `Rolle ${i + 1}`,
      name: `Person ${i + 1}`,
      unit: "Fachbereich 10 – Zentrale Dienste ".repeat(3),
      email: `person${i + 1}@musterstadt.example`,
      phone: "+49 5555 123-420",
    })),
    generatedBy: "extractive",
    confidence: 0.9,
  };
}

const answerWithInjection = (): Answer => ({
  kind: "answer",
  text: `Aus dem Dokument: ${INJECTION}\n- Liste ${INJECTION}`,
  citations: [
    {
      docId: "injection",
      title: `Titel ${INJECTION}`,
      section: `Abschnitt <@${INJECTED_USER}>`,
      url: "javascript:alert(1)",
      excerpt: INJECTION,
    },
  ],
  goals: [],
  nextSteps: [{ label: `Schritt ${INJECTION}`, url: "javascript:alert(1)" }],
  contacts: [{ role: "Vergabestelle", name: `Name ${INJECTION}`, email: "x@musterstadt.example" }],
  generatedBy: "extractive",
  confidence: 0.9,
});

/**
 * A question answered, 👍 and then 👎 pressed on the answer, both stored under the same pseudonym. `downThanked`
 * states what the 👎 showed besides its comment form; the form itself is shown to the user alone on every platform
 * (a Slack modal; on Teams the invoke's card, in place of the answer's card for that user only), nothing of it is
 * posted into the thread.
 */
function ratingSteps(downThanked: Check): Step[] {
  return [
    {
      say: "Bis wann muss die Wärmeplanung fertig sein?",
      thread: "feedback",
      expect: (replies) => expect(actionIds(only(replies))).toContain("feedback.up"),
    },
    {
      press: { actionId: "feedback.up" },
      expect: (replies, { render, d }) => {
        const r = only(replies);
        expect(r.private).toBe(true);
        expect(r.text).toBe(render("feedback-thanks"));
        // 👍 asks for nothing more.
        expect(d.forms).toEqual([]);
      },
    },
    {
      // Pressed on the answer, not on the thanks.
      press: { actionId: "feedback.down" },
      expect: async (replies, ctx) => {
        expect(replies.filter((r) => !r.private)).toEqual([]);
        expect(ctx.d.forms).toHaveLength(1);
        const form = ctx.d.forms[0] as NeutralForm;
        expect(form.id).toBe("feedback.comment");
        expect(form.private).toBe(true);
        expect(form.text).toContain("Danke für Ihre Bewertung.");
        await downThanked(replies, ctx);
      },
    },
    {
      check: async ({ d }) => {
        const rows = await d.rt.db.query<{ rating: string; question: string; user_id: string }>(
          "SELECT rating, question, user_id FROM feedback ORDER BY rating DESC",
        );
        expect(rows.rows.map((r) => [r.rating, r.question])).toEqual([
          ["up", "Bis wann muss die Wärmeplanung fertig sein?"],
          ["down", "Bis wann muss die Wärmeplanung fertig sein?"],
        ]);
        const pseudonym = rows.rows[0]?.user_id ?? "";
        expect(pseudonym).not.toBe("");
        expect(rows.rows[1]?.user_id).toBe(pseudonym);
        for (const id of d.userIds) expect(JSON.stringify(rows.rows)).not.toContain(id);
      },
    },
  ];
}

export const SCENARIOS: Scenario[] = [
  {
    name: "a question is answered with a source, a contact and 👍/👎",
    steps: [
      {
        say: "Welche Kriterien gelten für die Beschaffung von Laptops?",
        expect: (replies, { render }) => {
          const r = only(replies);
          expect(r.private).toBe(false);
          expect(r.text).toContain("Nachhaltige Beschaffung von IT-Hardware");
          expect(r.links.some((l) => l.startsWith("https://"))).toBe(true);
          expect(r.headings).toContain("Ansprechpersonen");
          expect(r.text).toContain("Thomas Berger");
          expect(actionIds(r)).toEqual(expect.arrayContaining(["feedback.up", "feedback.down"]));
          // A user who never saw the welcome hears once that Lotse is an automated assistant (AI Act Art. 50(1)).
          expect(r.text).toContain(render("ai-notice"));
          harmless(r);
        },
      },
      {
        say: "Bis wann muss die Wärmeplanung fertig sein?",
        thread: "zweiter",
        expect: (replies, { render }) => {
          const r = only(replies);
          expect(r.text).toMatch(/30\. Juni 2026/);
          expect(r.text).not.toContain(render("ai-notice"));
        },
      },
    ],
  },
  {
    name: "a follow-up in the same thread is understood with the previous question",
    steps: [
      {
        say: "Welche Quote gilt für saubere Pkw?",
        thread: "quote",
        expect: (replies) => expect(only(replies).text).toContain("38,5 %"),
      },
      {
        say: "und für Busse?",
        thread: "quote",
        expect: (replies) => {
          const r = only(replies);
          // The bus figure, from the bus section (the Pkw answer names it only in passing).
          expect(r.text).toContain("mindestens 65 % der beschafften Busse");
          // Rated or shared, the follow-up carries the question as Lotse understood it, with the thread's topic.
          const rating = r.buttons.find((b) => b.actionId === "feedback.up")?.value ?? "";
          expect(rating).toMatch(/Quote/);
          expect(rating).toMatch(/Busse/);
        },
      },
    ],
  },
  {
    name: "a new topic in the same thread is answered on its own",
    steps: [
      {
        say: "Welche Quote gilt für saubere Pkw?",
        thread: "wechsel",
        expect: (replies) => expect(only(replies).text).toContain("38,5 %"),
      },
      {
        say: "Bis wann muss die Wärmeplanung fertig sein?",
        thread: "wechsel",
        expect: (replies) => {
          const r = only(replies);
          expect(r.text).toMatch(/30\. Juni 2026/);
          expect(r.text).not.toContain("SaubFahrzeugBeschG");
          // Understood as asked: nothing of the previous topic added to the question.
          const rating = r.buttons.find((b) => b.actionId === "feedback.up")?.value ?? "";
          expect(rating).toContain("Bis wann muss die Wärmeplanung fertig sein?");
          expect(rating).not.toMatch(/Pkw|Quote/);
        },
      },
    ],
  },
  {
    name: "👍 and 👎 on an answer are thanked privately and stored under a pseudonym",
    steps: ratingSteps((replies, { render }) => {
      const r = only(replies);
      expect(r.private).toBe(true);
      expect(r.text).toBe(render("feedback-thanks"));
    }),
    exceptions: {
      teams: {
        reason:
          "the 👎 comment form is the invoke's one response, shown to the user alone, and its intro is the thanks: no notice besides",
        steps: ratingSteps((replies) => expect(replies).toEqual([])),
      },
    },
  },
  {
    name: "„hilfe“ is answered with the help card",
    steps: [
      {
        say: "hilfe",
        expect: (replies) => {
          const r = only(replies);
          expect(r.text).toContain("So helfe ich Ihnen");
          harmless(r);
        },
      },
    ],
  },
  {
    name: "a member who joins is welcomed, with the automated-assistant notice",
    steps: [
      {
        join: true,
        expect: (replies) => {
          const r = only(replies);
          expect(r.text).toContain("Willkommen");
          expect(r.text).toContain("automatisierter Assistent");
        },
      },
    ],
    // Slack: join() is a workspace join (team_join), welcomed in the user's DM with Lotse; Teams: a team join.
  },
  {
    name: "an organisation that is not mapped is refused politely, nothing answered from knowledge",
    env: ({ platform, otherTenantId }) => ({ LOTSE_TENANT_MAP: `${platform}:${otherTenantId}=musterstadt` }),
    steps: [
      {
        say: "Bis wann muss die Wärmeplanung fertig sein?",
        expect: (replies, { render, d }) => {
          const r = only(replies);
          expect(r.text).toBe(render("error-tenant-unknown"));
          expect(r.text).not.toMatch(/30\. Juni 2026/);
          expect(d.logs.some((l) => l.code === "TENANT_UNKNOWN")).toBe(true);
        },
      },
    ],
  },
  {
    name: "an error while answering is an apology naming the default contact, and Lotse keeps serving",
    steps: [
      { arrange: "next-answer-fails" },
      {
        say: "Bis wann muss die Wärmeplanung fertig sein?",
        expect: (replies, { d }) => {
          const r = only(replies);
          expect(r.text).toContain("Entschuldigung");
          expect(r.text).toContain("Julia Sommer");
          expect(r.text).not.toContain("simuliert");
          expect(d.logs.some((l) => l.code === "INTERNAL" && l.level === 50)).toBe(true);
        },
      },
      {
        say: "Bis wann muss die Wärmeplanung fertig sein?",
        thread: "danach",
        expect: (replies) => expect(only(replies).text).toMatch(/30\. Juni 2026/),
      },
    ],
  },
  {
    name: "markup in a question and in the knowledge is shown as text: no one notified, no script link",
    steps: [
      {
        say: INJECTION,
        expect: (replies) => {
          for (const r of replies) harmless(r);
          expect(replies.length).toBeGreaterThan(0);
        },
      },
      { arrange: "next-answer-is", answer: answerWithInjection() },
      {
        say: "Welche Kriterien gelten für die Beschaffung von Laptops?",
        thread: "wissen",
        expect: (replies) => {
          const r = only(replies);
          harmless(r);
          // Shown literally: the template braces are not expanded, the link text is text, emphasis stays literal.
          expect(r.text).toContain("{{x}}");
          expect(r.text).toContain("[link](javascript:alert(1))");
          expect(r.text).toContain("**bold**");
          expect(r.text).toContain("<!channel>");
          expect(r.text).toContain("<at>x</at>");
          expect(r.links).not.toContain("javascript:alert(1)");
        },
      },
    ],
  },
  {
    name: "a very long answer stays within the platform's limits and keeps its 👍/👎",
    steps: [
      { arrange: "next-answer-is", answer: longAnswer() },
      {
        say: "Welche Kriterien gelten für die Beschaffung von Laptops?",
        expect: (replies) => {
          const r = only(replies);
          expect(r.overLimits).toEqual([]);
          expect(r.text).toContain("Punkt 1:");
          expect(actionIds(r)).toEqual(expect.arrayContaining(["feedback.up", "feedback.down"]));
        },
      },
    ],
  },
];

/** Runs every scenario on one platform: a Lotse per distinct environment, a fresh user per scenario. */
export function runScenarios(platform: Platform, start: StartDriver): void {
  describe(`conversation scenarios on ${platform}`, () => {
    const drivers = new Map<string, Promise<ScenarioDriver>>();
    const driverFor = (s: Scenario) => {
      const key = s.env ? s.name : "";
      let d = drivers.get(key);
      if (!d) {
        d = start(s.env ? s.env({ platform, otherTenantId: OTHER_TENANT[platform] }) : {});
        drivers.set(key, d);
      }
      return d;
    };
    beforeAll(async () => {
      await driverFor({ name: "", steps: [] });
    });
    afterAll(async () => {
      for (const d of drivers.values()) await (await d).stop();
    });

    for (const s of SCENARIOS) {
      const exception = s.exceptions?.[platform];
      if (exception?.skip) {
        it.skip(`${s.name} — not on ${platform}: ${exception.reason}`, () => undefined);
        continue;
      }
      const title = exception ? `${s.name} (on ${platform}: ${exception.reason})` : s.name;
      (exception?.fails ? it.fails : it)(title, async () => {
        const d = await driverFor(s);
        d.begin();
        const ctx: Ctx = {
          d,
          all: [],
          render: (name, vars) =>
            name === "ai-notice"
              ? d.rt.templates.label(name as never)
              : d.rt.templates.render(name as never, vars as never),
        };
        try {
          let last: NeutralReply | undefined;
          let thread = 0;
          for (const step of exception?.steps ?? s.steps) {
            if ("arrange" in step) {
              if (step.arrange === "next-answer-fails")
                vi.spyOn(d.rt.assistant, "answer").mockRejectedValueOnce(
                  new Error("Datenbank weg (simuliert)"),
                );
              else vi.spyOn(d.rt.assistant, "answer").mockResolvedValueOnce(step.answer);
              continue;
            }
            if ("check" in step) {
              await step.check(ctx);
              continue;
            }
            let replies: NeutralReply[];
            if ("say" in step) replies = await d.say(step.say, step.thread ?? `t${++thread}`);
            else if ("join" in step) replies = await d.join();
            else {
              // A button of the last reply that has it (the thanks carry none: the next press is on the answer).
              const on = [...ctx.all].reverse().find((r) => r.buttons.some((b) => isButton(b, step.press)));
              if (!on && !last) throw new Error("nothing to press on");
              replies = await d.press(on ?? (last as NeutralReply), step.press);
            }
            ctx.all.push(...replies);
            last = replies.at(-1) ?? last;
            await step.expect(replies, ctx);
          }
        } finally {
          vi.restoreAllMocks();
        }
      });
    }
  });
}

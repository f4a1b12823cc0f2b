import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEEDBACK_LIMITS } from "../../src/feedback/feedback-store.ts";
import type {
  NeutralForm,
  NeutralReply,
  Platform,
  ScenarioDriver,
  StartDriver,
  Submitted,
} from "../fakes/neutral.ts";
import type { OpenedModal } from "../fakes/slack-driver.ts";
import type { TeamsFormHandle } from "../fakes/teams-driver.ts";
import { only } from "./conversation.scenarios.ts";

/**
 * The feedback scenarios, once for every platform: a question answered from the musterstadt knowledge, 👎 on the
 * answer, the comment form shown to the user who pressed it alone (Slack: a modal opened with the click's trigger;
 * Teams: the invoke's Adaptive Card with inputs, which replaces the answer's card for that user only), submitted with
 * a reason and a comment that the 👎's stored row then holds. What the user sees is stated as neutral facts; where a
 * platform differs, the scenario says why. All scenarios share one Lotse per platform.
 */

interface FeedbackCtx {
  d: ScenarioDriver;
}

export interface FeedbackScenario {
  name: string;
  run(ctx: FeedbackCtx): Promise<void>;
  /** `fails`: a known defect, reported; the scenario runs and must fail, so its fix turns it red here. */
  exceptions?: Partial<Record<Platform, { reason: string; fails: true }>>;
}

const QUESTION = "Welche Kriterien gelten für die Beschaffung von Laptops?";
const COMMENT =
  "Die neue Dienstanweisung IT-Beschaffung vom Oktober fehlt, dort ist TCO Certified Pflicht für alle Laptops.";
/** The form's comment limit as the form's hint and error state it (characters). */
const MAX_COMMENT = 500;
const THANKED = "Danke! Ihre Anmerkung ist gespeichert und hilft, die Wissensbasis zu verbessern.";

type Row = {
  feedback_id: string;
  rating: string;
  question: string;
  reason: string | null;
  comment: string | null;
  user_id: string;
};

/** The stored 👎 ratings, oldest first. */
const downvotes = async (d: ScenarioDriver): Promise<Row[]> =>
  (
    await d.rt.db.query<Row>(
      "SELECT feedback_id::text AS feedback_id, rating, question, reason, comment, user_id FROM feedback WHERE rating = 'down' ORDER BY feedback_id",
    )
  ).rows;

/**
 * The question asked and answered, 👎 pressed: the comment form shown to the user alone and nothing posted into the
 * thread, the user thanked privately; the form and the 👎's stored row.
 */
async function downvoted(d: ScenarioDriver): Promise<{ form: NeutralForm; row: Row }> {
  const answer = only(await d.say(QUESTION, "feedback"));
  expect(answer.text).toContain("Nachhaltige Beschaffung von IT-Hardware");
  expect(answer.buttons.map((b) => b.actionId)).toEqual(
    expect.arrayContaining(["feedback.up", "feedback.down"]),
  );
  const before = await downvotes(d);
  const formsBefore = d.forms.length;
  const replies = await d.press(answer, { actionId: "feedback.down" });
  // Nothing for the others in the thread: the form (not among the replies) and the thanks are the user's alone.
  expect(replies.filter((r) => !r.private)).toEqual([]);
  expect(d.forms).toHaveLength(formsBefore + 1);
  const form = d.forms.at(-1) as NeutralForm;
  expect(form.private).toBe(true);
  // The form's intro thanks for the rating.
  expect(form.text).toContain("Danke für Ihre Bewertung.");
  // Slack shows the thanks as an ephemeral notice beside the modal. On Teams the invoke has one response, and it is
  // the form: the thanks is its intro, no notice besides (posted, it would be for everyone in the thread).
  if (d.platform === "slack") {
    const thanks = only(replies);
    expect(thanks.private).toBe(true);
    expect(thanks.text).toBe(d.rt.templates.render("feedback-thanks"));
  } else expect(replies).toEqual([]);
  const after = await downvotes(d);
  expect(after).toHaveLength(before.length + 1);
  return { form, row: after.at(-1) as Row };
}

/** The comment field's maximum length as the platform was told it (Slack max_length; Teams Input.Text maxLength). */
function commentMaxLength(d: ScenarioDriver, form: NeutralForm): unknown {
  if (d.platform === "slack") {
    const blocks = ((form.handle as OpenedModal).view.blocks ?? []) as {
      block_id?: string;
      element?: { max_length?: unknown };
    }[];
    return blocks.find((b) => b.block_id === "comment")?.element?.max_length;
  }
  let found: unknown;
  const walk = (el: Record<string, unknown>) => {
    if (el.id === "comment" && String(el.type).startsWith("Input.")) found = el.maxLength;
    for (const key of ["items", "columns", "body"])
      for (const child of (el[key] as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((form.handle as TeamsFormHandle).card);
  return found;
}

const rowOf = async (d: ScenarioDriver, id: string): Promise<Row | undefined> =>
  (await downvotes(d)).find((r) => r.feedback_id === id);

/** The one private reply of a submission that closed the form. */
function closedWith(submitted: Submitted): NeutralReply {
  expect(submitted.form).toBeUndefined();
  const reply = only(submitted.replies);
  expect(reply.private).toBe(true);
  return reply;
}

export const FEEDBACK_SCENARIOS: FeedbackScenario[] = [
  {
    name: "👎 opens the comment form for the user alone (a reason to choose, a comment), nothing posted into the thread; submitted with a comment it is thanked and stored on that rating",
    async run({ d }) {
      d.begin();
      const { form, row } = await downvoted(d);
      expect(form.id).toBe("feedback.comment");
      expect(form.title).toBe("Was hat nicht gepasst?");
      expect(form.overLimits).toEqual([]);
      expect(form.errors).toEqual({});
      expect(form.fields.map(({ initial, ...f }) => f)).toEqual([
        {
          id: "reason",
          type: "select",
          label: "Grund",
          required: false,
          options: ["falsch", "veraltet", "unvollstaendig", "nicht-meine-frage"],
        },
        { id: "comment", type: "longtext", label: "Kommentar (freiwillig)", required: false },
      ]);
      // Nothing is chosen for the user.
      expect(form.fields.map((f) => f.initial ?? "")).toEqual(["", ""]);
      expect(form.text).toContain(String(MAX_COMMENT));
      expect(form.text).toContain("personenbezogenen Daten");
      // The platform is told the limit too, so that the user cannot type more.
      expect(commentMaxLength(d, form)).toBe(MAX_COMMENT);
      expect(MAX_COMMENT).toBe(FEEDBACK_LIMITS.commentChars);
      expect(row).toMatchObject({ question: QUESTION, reason: null, comment: null });
      // Stored under a pseudonym: no id the platform gives the user.
      for (const id of d.userIds) expect(row.user_id).not.toBe(id);

      const done = closedWith(await d.submit(form, { reason: "unvollstaendig", comment: COMMENT }));
      expect(done.text).toBe(THANKED);
      expect(await rowOf(d, row.feedback_id)).toMatchObject({
        rating: "down",
        question: QUESTION,
        reason: "unvollstaendig",
        comment: COMMENT,
      });
      // The comment went into no log line.
      expect(JSON.stringify(d.logs)).not.toContain("TCO Certified Pflicht");
    },
  },
  {
    name: "a comment over 500 characters is refused at the field, the form stays with what was typed, nothing stored until it fits",
    async run({ d }) {
      d.begin();
      const { form, row } = await downvoted(d);
      const long =
        `${"Die Angaben zur Energieeffizienz fehlen und die Siegel sind veraltet. ".repeat(8)}`.trim();
      expect(Array.from(long).length).toBeGreaterThan(MAX_COMMENT);
      const refused = await d.submit(form, { reason: "veraltet", comment: long });
      expect(refused.replies).toEqual([]);
      const again = refused.form;
      if (!again) throw new Error("the form was not shown again");
      expect(again.id).toBe("feedback.comment");
      expect(Object.keys(again.errors)).toEqual(["comment"]);
      expect(again.errors.comment).toContain(`höchstens ${MAX_COMMENT} Zeichen`);
      // Slack keeps the modal open with the user's input (response_action "errors" shows the error at the field);
      // Teams replaces the card, and the new one must show what was typed.
      if (d.platform === "slack")
        expect((refused as { ack?: Record<string, unknown> }).ack).toEqual({
          response_action: "errors",
          errors: again.errors,
        });
      else {
        expect(again.fields.find((f) => f.id === "reason")?.initial).toBe("veraltet");
        expect(again.fields.find((f) => f.id === "comment")?.initial).toBe(long);
      }
      expect(await rowOf(d, row.feedback_id)).toMatchObject({ reason: null, comment: null });

      const shorter = long.slice(0, 300).trim();
      const done = closedWith(await d.submit(again, { reason: "veraltet", comment: shorter }));
      expect(done.text).toBe(THANKED);
      expect(await rowOf(d, row.feedback_id)).toMatchObject({ reason: "veraltet", comment: shorter });
    },
  },
  {
    name: "someone else submitting a user's comment form annotates nothing",
    async run({ d }) {
      d.begin();
      const { form, row } = await downvoted(d);
      // Another member sends the same form's submission (the form is shown to its user alone, but what it submits
      // can be replayed by anyone who learns it).
      d.begin();
      const refused = await d.submit(form, { reason: "falsch", comment: "Alles falsch." });
      const reply = only(refused.replies);
      expect(reply.private).toBe(true);
      expect(reply.text).toBe(d.rt.templates.label("feedback-comment-not-found"));
      expect(reply.text).not.toBe(THANKED);
      expect(await rowOf(d, row.feedback_id)).toMatchObject({ reason: null, comment: null });
      // The refused comment went into no log line either.
      expect(JSON.stringify(d.logs)).not.toContain("Alles falsch");
    },
  },
];

/** Runs every feedback scenario on one platform, all on one Lotse. */
export function runFeedbackScenarios(platform: Platform, start: StartDriver): void {
  describe(`feedback scenarios on ${platform}`, () => {
    let driver: ScenarioDriver;
    beforeAll(async () => {
      driver = await start({});
    });
    afterAll(async () => {
      await driver?.stop();
    });

    for (const s of FEEDBACK_SCENARIOS) {
      const exception = s.exceptions?.[platform];
      const title = exception ? `${s.name} (on ${platform}: ${exception.reason})` : s.name;
      (exception?.fails ? it.fails : it)(title, async () => {
        await s.run({ d: driver });
      });
    }
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFormId } from "../../adapters/slack/slack-routes.ts";
import { FEEDBACK_LIMITS } from "../../src/feedback/feedback-store.ts";
import type { NeutralForm, NeutralReply, Platform, ScenarioDriver, StartDriver } from "../fakes/neutral.ts";
import { type SlackScenarioDriver, startSlackDriver } from "../fakes/slack-driver.ts";
import { startTeamsDriver, type TeamsScenarioDriver } from "../fakes/teams-driver.ts";

/**
 * 👎 with a comment, end to end through the real adapters and the fake platforms: a question from the musterstadt
 * knowledge, 👎 on its answer, the comment form (Slack: a modal opened with the click's trigger_id; Teams: an
 * Adaptive Card with Input.ChoiceSet and a multi-line Input.Text posted into the thread), submitted with a reason and
 * a comment, which the 👎's row then holds. Another member submitting the same form changes nothing.
 */

const QUESTION = "Welche Kriterien gelten für die Beschaffung von Laptops?";
const COMMENT =
  "Die neue Dienstanweisung IT-Beschaffung vom Oktober fehlt, dort gilt TCO Certified als Pflicht.";

/**
 * Slack drops a view_submission whose callback_id slack-routes.ts does not list (FORM_IDS, FORM_NAMESPACES) before
 * any listener. Until "feedback.comment" is listed there, the Slack submission is expected to be dropped so: this
 * test states the gap, and runs the whole scenario by itself once the adapter routes the form.
 */
const SLACK_ROUTES_COMMENT = isFormId("feedback.comment");

const only = (replies: NeutralReply[]): NeutralReply => {
  expect(replies).toHaveLength(1);
  return replies[0] as NeutralReply;
};

type Row = {
  rating: string;
  question: string;
  reason: string | null;
  comment: string | null;
  user_id: string;
};
const downvotes = async (d: ScenarioDriver): Promise<Row[]> =>
  (
    await d.rt.db.query<Row>(
      "SELECT rating, question, reason, comment, user_id FROM feedback WHERE rating = 'down' ORDER BY feedback_id",
    )
  ).rows;

/** The comment field's maximum length as the platform was told it. */
function commentMaxLength(d: ScenarioDriver): unknown {
  if (d.platform === "slack") {
    const modal = (d as SlackScenarioDriver).modals.at(-1);
    const block = (
      (modal?.view.blocks ?? []) as { block_id?: string; element?: { max_length?: unknown } }[]
    ).find((b) => b.block_id === "comment");
    return block?.element?.max_length;
  }
  const posted = (d as TeamsScenarioDriver).connector.calls.filter((c) =>
    JSON.stringify(c.body).includes("Input."),
  );
  const json = JSON.stringify(posted.at(-1)?.body ?? {});
  const input = /"id":"comment"[^}]*"maxLength":(\d+)|"maxLength":(\d+)[^}]*"id":"comment"/.exec(json);
  return input ? Number(input[1] ?? input[2]) : undefined;
}

function platformSuite(platform: Platform, start: StartDriver): void {
  const gap = platform === "slack" && !SLACK_ROUTES_COMMENT;
  describe(`👎 with a reason and a comment on ${platform}`, () => {
    let d: ScenarioDriver;
    beforeAll(async () => {
      d = await start({});
    });
    afterAll(async () => {
      await d?.stop();
    });

    const title = gap
      ? "the form is shown; its submission is dropped by the Slack adapter (feedback.comment not in slack-routes FORM_IDS)"
      : "the form is shown, its submission stores reason and comment on the 👎, a forged one by another member nothing";
    it(title, async () => {
      d.begin();
      const answer = only(await d.say(QUESTION, "kommentar"));
      expect(answer.text).toContain("Nachhaltige Beschaffung von IT-Hardware");
      const formsBefore = d.forms.length;

      // 👎: thanked privately, and the form shown (a modal / a card with inputs: not among the replies).
      const thanks = only(await d.press(answer, { actionId: "feedback.down" }));
      expect(thanks.private).toBe(true);
      expect(thanks.text).toBe(d.rt.templates.render("feedback-thanks"));
      expect(d.forms.length).toBe(formsBefore + 1);
      const form = d.forms.at(-1) as NeutralForm;
      expect(form.id).toBe("feedback.comment");
      expect(form.title).toBe("Was hat nicht gepasst?");
      expect(form.overLimits).toEqual([]);
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
      expect(form.text).toContain("personenbezogenen Daten");
      expect(commentMaxLength(d)).toBe(FEEDBACK_LIMITS.commentChars);
      expect(await downvotes(d)).toMatchObject([{ question: QUESTION, reason: null, comment: null }]);

      if (gap) {
        await expect(d.submit(form, { reason: "unvollstaendig", comment: COMMENT })).rejects.toThrow(
          /slack_handled/,
        );
        expect(d.logs).toContainEqual(
          expect.objectContaining({
            code: "REQUEST_INVALID",
            reason: "no_listener",
            callbackId: "feedback.comment",
          }),
        );
        expect(await downvotes(d)).toMatchObject([{ reason: null, comment: null }]);
        return;
      }

      // Submitted: a private thanks where the 👎 was pressed, the form closed, the row annotated.
      const submitted = await d.submit(form, { reason: "unvollstaendig", comment: COMMENT });
      expect(submitted.form).toBeUndefined();
      const done = only(submitted.replies);
      expect(done.private).toBe(true);
      expect(done.text).toBe(d.rt.templates.label("feedback-comment-thanks"));
      const [row] = await downvotes(d);
      expect(row).toMatchObject({
        rating: "down",
        question: QUESTION,
        reason: "unvollstaendig",
        comment: COMMENT,
      });
      for (const id of d.userIds) expect(row?.user_id).not.toBe(id);

      // Another member of the channel submits the same form (on Teams the card is in the thread for all to see).
      d.begin();
      const refused = await d.submit(form, { reason: "falsch", comment: "Alles falsch." });
      expect(only(refused.replies).text).toBe(d.rt.templates.label("feedback-comment-not-found"));
      expect(await downvotes(d)).toMatchObject([{ reason: "unvollstaendig", comment: COMMENT }]);

      // The comment and the question went into no log line.
      const logs = JSON.stringify(d.logs);
      expect(logs).not.toContain("Dienstanweisung");
      expect(logs).not.toContain("Alles falsch");
    });
  });
}

platformSuite("slack", startSlackDriver);
platformSuite("teams", startTeamsDriver);

import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SUGGESTED_PROMPTS } from "../../../adapters/slack/slack-listeners.ts";
import {
  ACTION_ID_PATTERN,
  ACTION_IDS,
  FORM_ID_PATTERN,
  FORM_IDS,
  isFormId,
  LEGACY_ACTION_IDS,
  LOTSE_COMMAND,
  routeAction,
  unhandledPayload,
} from "../../../adapters/slack/slack-routes.ts";
import { SHARE_ACTION } from "../../../src/assistant/answer-view.ts";
import { FEEDBACK_ACTIONS } from "../../../src/feedback/feedback-codec.ts";

const click = (action_id: string) => ({ type: "block_actions", actions: [{ action_id }] });

describe("what the Slack adapter accepts", () => {
  it("lists the core's action ids, and maps the legacy ones onto them", () => {
    expect([...ACTION_IDS].sort()).toEqual([FEEDBACK_ACTIONS.down, FEEDBACK_ACTIONS.up, SHARE_ACTION].sort());
    expect(LEGACY_ACTION_IDS).toEqual({
      feedback_up: "feedback.up",
      feedback_down: "feedback.down",
      share_answer: "answer.share",
    });
    for (const id of [...ACTION_IDS, ...Object.keys(LEGACY_ACTION_IDS), "next_step_3", "link_0"]) {
      expect(ACTION_ID_PATTERN.test(id), id).toBe(true);
      expect(unhandledPayload(click(id)), id).toBeUndefined();
    }
    expect(routeAction("next_step_3")).toBe("link");
    for (const id of ["reminder_snooze", "feedback.upx", "feedbackXup", "next_step_x", ""]) {
      expect(ACTION_ID_PATTERN.test(id), id).toBe(false);
      expect(routeAction(id), id).toBeUndefined();
      expect(unhandledPayload(click(id)), id).toEqual({ payloadType: "block_actions", actionId: id });
    }
  });

  it("accepts every action id of the reminder and deadline namespaces, and nothing that only looks like one", () => {
    const reminderIds = [
      "reminder.open",
      "reminder.confirm",
      "reminder.edit",
      "reminder.discard",
      "reminder.pause",
      "reminder.resume",
      "reminder.delete",
      "reminder.send-now",
      "deadlines.subscribe",
      "deadlines.unsubscribe",
    ];
    for (const id of reminderIds) {
      expect(ACTION_ID_PATTERN.test(id), id).toBe(true);
      expect(routeAction(id), id).toBe(id);
      expect(unhandledPayload(click(id)), id).toBeUndefined();
    }
    for (const id of [
      "reminder.",
      "reminder.Pause",
      "reminder.pause.now",
      "reminder.-x",
      "reminders.list",
      "deadline.subscribe",
      "xreminder.pause",
      "reminder.pause ",
    ]) {
      expect(ACTION_ID_PATTERN.test(id), id).toBe(false);
      expect(routeAction(id), id).toBeUndefined();
      expect(unhandledPayload(click(id)), id).toEqual({ payloadType: "block_actions", actionId: id });
    }
  });

  it("takes a repeated button's id made unique in its block back to the core's id", () => {
    for (const [slack, core] of [
      ["reminder.pause~3", "reminder.pause"],
      ["feedback.up~1", "feedback.up"],
      ["deadlines.subscribe~24", "deadlines.subscribe"],
    ] as const) {
      expect(ACTION_ID_PATTERN.test(slack), slack).toBe(true);
      expect(routeAction(slack), slack).toBe(core);
    }
    for (const id of ["reminder.pause~", "reminder.pause~x", "reminder.pause~1~2", "reminder~3"])
      expect([ACTION_ID_PATTERN.test(id), routeAction(id)], id).toEqual([false, undefined]);
  });

  it("accepts /lotse and the reminder feature's forms, nothing else", () => {
    expect(unhandledPayload({ command: LOTSE_COMMAND })).toBeUndefined();
    expect(unhandledPayload({ command: "/nachhaltigkeit" })).toEqual({
      payloadType: "command",
      command: "/nachhaltigkeit",
    });
    expect(FORM_IDS).toEqual(["feedback.comment"]);
    for (const id of ["reminder.create", "reminder.edit", "reminder.confirm-text", "feedback.comment"]) {
      expect(FORM_ID_PATTERN.test(id), id).toBe(true);
      expect(isFormId(id), id).toBe(true);
      expect(unhandledPayload({ type: "view_submission", view: { callback_id: id } }), id).toBeUndefined();
    }
    for (const id of [
      "reminder_create",
      "reminder.",
      "reminder.Create",
      "deadlines.subscribe",
      "feedback.commentx",
    ]) {
      expect(isFormId(id), id).toBe(false);
      expect(unhandledPayload({ type: "view_submission", view: { callback_id: id } }), id).toEqual({
        payloadType: "view_submission",
        callbackId: id,
      });
    }
    // A modal closed without submitting is no business of Lotse's.
    expect(unhandledPayload({ type: "view_closed", view: { callback_id: "reminder.create" } })).toEqual({
      payloadType: "view_closed",
      callbackId: "reminder.create",
    });
  });

  it("agrees with the manifest: the one command, the suggested prompts", async () => {
    const m = parse(
      await readFile(path.join(import.meta.dirname, "../../../adapters/slack/manifest.yaml"), "utf8"),
    );
    expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([LOTSE_COMMAND]);
    expect(m.features.agent_view.suggested_prompts).toEqual(SUGGESTED_PROMPTS);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    // Personal reminders are posted into the app's DM; coordinators may be a user group.
    expect(m.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(["chat:write", "im:write", "usergroups:read"]),
    );
    expect(m.features.slash_commands[0].description).toContain("Erinnerungen");
  });
});

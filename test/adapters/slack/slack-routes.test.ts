import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SUGGESTED_PROMPTS } from "../../../adapters/slack/slack-listeners.ts";
import {
  ACTION_ID_PATTERN,
  ACTION_IDS,
  FORM_IDS,
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

  it("accepts /lotse and the forms it lists, nothing else", () => {
    expect(unhandledPayload({ command: LOTSE_COMMAND })).toBeUndefined();
    expect(unhandledPayload({ command: "/nachhaltigkeit" })).toEqual({
      payloadType: "command",
      command: "/nachhaltigkeit",
    });
    expect(FORM_IDS).toEqual([]);
    expect(unhandledPayload({ type: "view_submission", view: { callback_id: "reminder.create" } })).toEqual({
      payloadType: "view_submission",
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
  });
});

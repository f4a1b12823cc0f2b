import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { fixture, interactive, send } from "../../fakes/slack-events.ts";
import { startLotse } from "../../fakes/slack-harness.ts";
import { waitForLog } from "../../fakes/wait.ts";

// Signed payloads Lotse has no listener for: Bolt would wait 3 s for an ack, answer 404 and log an error, and Slack
// would show the user an error for a stale button or a command that was routed here by mistake.
const UNHANDLED: { what: string; file: string; form: "payload" | "command"; type: string }[] = [
  { what: "a global shortcut", file: "shortcut-global.json", form: "payload", type: "shortcut" },
  { what: "a message shortcut", file: "message-shortcut.json", form: "payload", type: "message_action" },
  { what: "a modal submission", file: "view-submission.json", form: "payload", type: "view_submission" },
  {
    what: "a button Lotse no longer knows (a stale message)",
    file: "block-actions-unknown.json",
    form: "payload",
    type: "block_actions",
  },
  {
    what: "a slash command other than /lotse",
    file: "slash-command-foreign.form",
    form: "command",
    type: "command",
  },
];

describe("Slack payloads without a listener", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;

  beforeAll(async () => {
    await api.start();
    lotse = await startLotse(api);
    api.reset(); // start() called auth.test
  });
  afterEach(() => {
    api.reset();
    lotse.logs.length = 0;
  });
  afterAll(async () => {
    await lotse.close();
    await api.stop();
  });

  for (const { what, file, form, type } of UNHANDLED)
    it(`acknowledges ${what} at once with an empty 200, logs it with a code and answers nothing`, async () => {
      const responseUrl = `${api.url}respond/stale1`;
      // The command form carries the URL form-encoded; interactivity carries it inside the JSON.
      const raw = await fixture(file, {
        "{{responseUrl}}": form === "command" ? encodeURIComponent(responseUrl) : responseUrl,
      });
      const body = form === "payload" ? interactive(raw) : raw;
      const { res } = await send(lotse.base, body, { form: true });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("");
      const line = await waitForLog(lotse.logs, (l) => l.reason === "no_listener");
      expect(line).toMatchObject({ level: 40, code: "REQUEST_INVALID", payloadType: type });
      expect(lotse.logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
      expect(api.calls).toEqual([]);
      expect(api.responses).toEqual([]);
    });

  it("still routes /lotse and known buttons to their listeners", async () => {
    const form = await fixture("slash-command.form", {
      "{{responseUrl}}": encodeURIComponent(`${api.url}respond/cmd1`),
    });
    expect((await send(lotse.base, form, { form: true })).res.status).toBe(200);
    await api.waitForResponses(1);
    expect(api.responses[0]?.body.response_type).toBe("ephemeral");
    const feedback = await fixture("block-actions-feedback.json", {
      "{{responseUrl}}": `${api.url}respond/fb1`,
    });
    expect((await send(lotse.base, interactive(feedback), { form: true })).res.status).toBe(200);
    await api.waitForResponses(2);
    expect(lotse.logs.filter((l) => l.reason === "no_listener")).toEqual([]);
  });
});

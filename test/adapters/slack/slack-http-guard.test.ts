import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, slackPayload } from "../../../adapters/slack/http-guard.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { fixture, interactive, send, sign } from "../../fakes/slack-events.ts";
import { startLotse } from "../../fakes/slack-harness.ts";
import { waitForLog } from "../../fakes/wait.ts";

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request through a given agent, so that tests can see what a kept-alive connection does next. */
function post(
  agent: http.Agent,
  base: string,
  body: Buffer,
  options: { chunked?: boolean; contentType?: string } = {},
): Promise<Reply> {
  const ts = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/slack/events`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": options.contentType ?? "application/json",
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": sign(body, ts),
          ...(options.chunked ? {} : { "content-length": String(body.length) }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    if (options.chunked) {
      // Written in pieces without a length, as a streaming client would.
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

describe("Slack route: what reaches Bolt", () => {
  const api = new FakeSlackApi();
  let lotse: Awaited<ReturnType<typeof startLotse>>;

  beforeAll(async () => {
    await api.start();
    lotse = await startLotse(api);
  });
  afterEach(() => {
    api.reset();
    lotse.logs.length = 0;
  });
  afterAll(async () => {
    await lotse.close();
    await api.stop();
  });

  const odd: [string, string, boolean][] = [
    ["null", "null", false],
    ["an array", "[]", false],
    ["a number", "42", false],
    ["a string", '"x"', false],
    ["an empty object", "{}", false],
    ["a type that is no string", '{"type":42}', false],
    ["a type Slack does not send", '{"type":"nonsense","event_id":"Ev0ODD00001"}', false],
    ["an event_callback without event", '{"type":"event_callback","event_id":"Ev0ODD00002"}', false],
    ["an event_callback whose event is null", '{"type":"event_callback","event":null}', false],
    ["url_verification without challenge", '{"type":"url_verification"}', false],
    ["a block action whose actions are no list", interactive('{"type":"block_actions","actions":5}'), true],
    ["an interactivity payload that is not JSON", "payload=%7Bkaputt", true],
  ];

  for (const [what, body, form] of odd)
    it(`answers a correctly signed body that is ${what} with 400 REQUEST_INVALID, logged without a stack`, async () => {
      const { res } = await send(lotse.base, body, { form });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "REQUEST_INVALID" } });
      expect(lotse.logs.find((l) => l.code === "REQUEST_INVALID")).toMatchObject({ level: 40 });
      expect(lotse.logs.filter((l) => Number(l.level) >= 50)).toEqual([]);
      expect(JSON.stringify(lotse.logs)).not.toContain("stack");
    });

  it("answers a signed form body without command or payload with 400", async () => {
    const { res } = await send(lotse.base, await fixture("form-without-command.form"), { form: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "REQUEST_INVALID" } });
  });

  it("checks the signature first: an odd body with a bad or missing signature gets 401", async () => {
    expect((await send(lotse.base, "null", { secret: "0123456789abcdef0123456789abcdef" })).res.status).toBe(
      401,
    );
    const res = await fetch(`${lotse.base}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[]",
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "AUTH_REJECTED" } });
  });

  it("acknowledges Slack's app_rate_limited notice with 200 and a warning", async () => {
    const { res } = await send(lotse.base, await fixture("app-rate-limited.json"));
    expect(res.status).toBe(200);
    expect(await waitForLog(lotse.logs, (l) => l.event === "app_rate_limited")).toMatchObject({
      level: 40,
      minuteRateLimited: 1764066120,
    });
  });

  it("refuses a 5 MB body with 413 and closes the connection, so the next request on the agent succeeds", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = Buffer.from(JSON.stringify({ type: "event_callback", pad: "x".repeat(5 * 1024 * 1024) }));
      const verification = Buffer.from(await fixture("url-verification.json"));
      for (const chunked of [false, true]) {
        const refused = await post(agent, lotse.base, big, { chunked });
        expect(refused.status).toBe(413);
        // Before the fix this one failed with ECONNRESET: the unread rest of the big body was still on the socket.
        const next = await post(agent, lotse.base, verification);
        expect(next.status).toBe(200);
        expect(JSON.parse(next.body)).toHaveProperty("challenge");
        expect(refused.headers.connection).toBe("close");
        expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
      }
    } finally {
      agent.destroy();
    }
  });

  it("takes a body just under the limit", async () => {
    const body = await fixture("url-verification.json");
    const padded = `${body.slice(0, -1)},"pad":"${"x".repeat(MAX_BODY_BYTES - body.length - 20)}"}`;
    expect(Buffer.byteLength(padded)).toBeLessThan(MAX_BODY_BYTES);
    const { res } = await send(lotse.base, padded);
    expect(res.status).toBe(200);
  });
});

describe("slackPayload: the bodies Slack sends, parsed as Bolt parses them", () => {
  const FORM = "application/x-www-form-urlencoded";

  it("knows events, URL verification, commands, interactivity and SSL checks", async () => {
    expect(slackPayload(await fixture("app-mention.json"), "application/json")?.type).toBe("event_callback");
    expect(slackPayload(await fixture("url-verification.json"), "application/json")?.type).toBe(
      "url_verification",
    );
    const command = await fixture("slash-command.form", {
      "{{responseUrl}}": "https%3A%2F%2Fhooks.slack.com%2Fx",
    });
    expect(slackPayload(command, FORM)).toEqual({ type: "command" });
    const action = interactive(
      await fixture("block-actions-feedback.json", { "{{responseUrl}}": "https://hooks.slack.com/x" }),
    );
    expect(slackPayload(action, FORM)?.type).toBe("block_actions");
    expect(slackPayload("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO", FORM)).toEqual({ type: "ssl_check" });
  });

  it("refuses what Bolt would choke on or never acknowledge", () => {
    expect(slackPayload("command=lotse", FORM)).toBeUndefined(); // not a slash command
    expect(slackPayload(interactive('{"type":"event_callback","event":{"type":"x"}}'), FORM)).toBeUndefined();
    // Bolt reads only this exact content type as a form; anything else it parses as JSON.
    expect(slackPayload("command=%2Flotse", `${FORM}; charset=utf-8`)).toBeUndefined();
    expect(slackPayload('{"type":"block_actions","event":{"type":"x"}}', "application/json")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { loggedChannel, rateLimitOf, SlackPoster } from "../../../adapters/slack/slack-poster.ts";
import { createLogger } from "../../../src/log.ts";
import { captureLogs } from "../../helpers.ts";

/** A WebClient stand-in whose chat.postMessage fails as scripted, then succeeds. */
function client(failures: unknown[]) {
  const calls: unknown[] = [];
  return {
    calls,
    client: () =>
      ({
        chat: {
          postMessage: async (args: unknown) => {
            calls.push(args);
            const f = failures.shift();
            if (f) throw f;
            return { ok: true, ts: "1764070001.000100" };
          },
        },
      }) as never,
  };
}

const rateLimited = (retryAfter: number) =>
  Object.assign(new Error("rate limited"), { code: "slack_webapi_rate_limited_error", retryAfter });

describe("SlackPoster", () => {
  it("waits out a short Retry-After and posts once more", async () => {
    const c = client([rateLimited(2)]);
    const slept: number[] = [];
    const poster = new SlackPoster(c.client, createLogger("silent"), async (ms) => {
      slept.push(ms);
    });
    expect(await poster.post({ channel: "C0NACHHALT", text: "Antwort" })).toBe("1764070001.000100");
    expect(slept).toEqual([2000]);
    expect(c.calls).toHaveLength(2);
  });

  it("leaves a 429 to a caller that paces itself: thrown at once with the wait, logged at info", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger("debug", {
      write: (s: string) => {
        lines.push(JSON.parse(s));
      },
    } as never);
    const c = client([rateLimited(3)]);
    const slept: number[] = [];
    const poster = new SlackPoster(c.client, log, async (ms) => {
      slept.push(ms);
    });
    const err = await poster
      .post({ channel: "C0NACHHALT", text: "Erinnerung" }, { waitOutRateLimits: false })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "SLACK_POST_FAILED", details: { retryAfterMs: 3000 } });
    expect(rateLimitOf(err)).toBe(3000);
    expect(slept).toEqual([]);
    expect(c.calls).toHaveLength(1);
    expect(lines.map((l) => [l.level, l.code, l.slackError])).toEqual([
      [30, "SLACK_POST_FAILED", "slack_webapi_rate_limited_error"],
    ]);
  });

  it("answers with the channel Slack posted into: a user's DM when posted to the user", async () => {
    const poster = new SlackPoster(
      () => ({ chat: { postMessage: async () => ({ ok: true, channel: "D0ERIKA01", ts: "1.2" }) } }) as never,
      createLogger("silent"),
    );
    expect(await poster.postMessage({ channel: "U0ERIKA01", text: "x" })).toEqual({
      ts: "1.2",
      channel: "D0ERIKA01",
    });
  });

  it("gives up on a long Retry-After or a platform error and logs it with a code", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger("warn", {
      write: (s: string) => {
        lines.push(JSON.parse(s));
      },
    } as never);
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
    };
    await expect(
      new SlackPoster(client([rateLimited(1800)]).client, log, sleep).post({
        channel: "C0NACHHALT",
        text: "x",
      }),
    ).rejects.toMatchObject({ code: "SLACK_POST_FAILED" });
    expect(slept).toEqual([]);
    const platform = Object.assign(new Error("not_in_channel"), {
      code: "slack_webapi_platform_error",
      data: { error: "not_in_channel" },
    });
    await expect(
      new SlackPoster(client([platform]).client, log, sleep).post({ channel: "C0ANDERS1", text: "x" }),
    ).rejects.toMatchObject({
      code: "SLACK_POST_FAILED",
    });
    // A conversation Lotse was removed from is an outcome (the notifier's "gone"), logged as a warning, not an error.
    expect(lines.map((l) => [l.level, l.code, l.slackError, l.channel])).toEqual([
      [50, "SLACK_POST_FAILED", "slack_webapi_rate_limited_error", "C0NACHHALT"],
      [40, "SLACK_POST_FAILED", "not_in_channel", "C0ANDERS1"],
    ]);
  });

  it('never logs a user id: a failed personal delivery names the channel as "user"', async () => {
    const { logs, log } = captureLogs();
    const gone = Object.assign(new Error("user_not_found"), {
      code: "slack_webapi_platform_error",
      data: { error: "user_not_found" },
    });
    for (const channel of ["U0ERIKA01", "W0ENTERP01"]) {
      const err = await new SlackPoster(client([gone]).client, log)
        .post({ channel, text: "Ihre Erinnerung" })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "SLACK_POST_FAILED" });
      // The message travels into the scheduler's logs too.
      expect(String((err as Error).message)).not.toContain(channel);
    }
    for (const channel of ["C0NACHHALT", "G0PRIVAT01", "D0ERIKALOT"])
      await new SlackPoster(client([gone]).client, log).post({ channel, text: "x" }).catch(() => undefined);
    expect(logs.map((l) => l.channel)).toEqual(["user", "user", "C0NACHHALT", "G0PRIVAT01", "D0ERIKALOT"]);
    expect(JSON.stringify(logs)).not.toMatch(/U0ERIKA01|W0ENTERP01/);
    expect(loggedChannel("")).toBe("user");
  });
});

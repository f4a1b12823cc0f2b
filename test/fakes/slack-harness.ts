import type { AddressInfo } from "node:net";
import { createSlackAdapter } from "../../adapters/slack/slack-app.ts";
import { loadConfig } from "../../src/config.ts";
import { createRuntime } from "../../src/runtime.ts";
import { createApp } from "../../src/server/app.ts";
import { listen } from "../../src/server/serve.ts";
import { captureLogs, ROOT } from "../helpers.ts";
import type { FakeSlackApi } from "./slack-api.ts";
import { BOT_TOKEN, SECRET } from "./slack-events.ts";

/** Lotse with the Slack adapter over HTTP on an ephemeral loopback port, talking to the fake Web API. */
export async function startLotse(api: FakeSlackApi, env: Record<string, string> = {}) {
  const { logs, log } = captureLogs();
  const config = loadConfig(
    {
      LOTSE_DATA_DIR: ":memory:",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: api.apiUrl,
      ...env,
    },
    ROOT,
  );
  const rt = await createRuntime(config, log, { autoIngest: true });
  const slack = createSlackAdapter({ config, runtime: rt, log });
  const server = await listen(
    createApp({ log, ready: () => rt.ready(), mount: (a) => slack.mount(a) }),
    0,
    "127.0.0.1",
  );
  await slack.start();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rt.close();
  };
  return { rt, slack, server, base, logs, close };
}

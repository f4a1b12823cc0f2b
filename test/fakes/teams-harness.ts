import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTeamsAdapter, type TeamsDeps } from "../../adapters/teams/teams-app.ts";
import { loadConfig } from "../../src/config.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { createApp } from "../../src/server/app.ts";
import { listen } from "../../src/server/serve.ts";
import { captureLogs, ROOT } from "../helpers.ts";

export type Lotse = Awaited<ReturnType<typeof startLotse>>;

/**
 * One Lotse server with the Teams adapter on the bundled knowledge, wired as `lotse serve` does (Teams health in
 * /readyz); logs captured.
 */
export async function startLotse(
  env: Record<string, string>,
  extra: Pick<TeamsDeps, "signingKeys" | "accessToken"> = {},
  runtime?: Runtime,
) {
  const { logs, log } = captureLogs();
  const config = loadConfig({ LOTSE_DATA_DIR: ":memory:", LOG_LEVEL: "debug", ...env }, ROOT);
  const rt = runtime ?? (await createRuntime(config, log, { autoIngest: true }));
  const teams = createTeamsAdapter({ config, runtime: rt, log, ...extra });
  const server: Server = await listen(
    createApp({
      log,
      ready: () => rt.ready(),
      readiness: [async () => ({ ok: true, details: teams.health() })],
      mount: (a) => teams.mount(a),
    }),
    0,
    "127.0.0.1",
  );
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rt.close();
  };
  return { rt, teams, server, base, port, logs, stop };
}

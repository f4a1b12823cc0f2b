import { type CliDeps, runCli } from "../../../adapters/cli/cli.ts";
import { ProgressBar } from "../../../adapters/cli/progress-bar.ts";
import type { Config } from "../../../src/config.ts";
import { type Logger, silentLogger } from "../../../src/log.ts";

/** What a CLI run printed and its exit code. */
export type Run = { code: number; stdout: string; stderr: string };

/**
 * `lotse <argv>` as bin/lotse runs it (runCli: the real program, its exit codes), in-process: output collected, no
 * progress bar drawn, the clock at `now`, and no server (serving is not what these tests are about).
 */
export async function runLotse(
  argv: string[],
  opts: { config: Config; now: Date; log?: Logger; startNotifiers?: CliDeps["startNotifiers"] },
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    config: opts.config,
    log: opts.log ?? silentLogger,
    io: {
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
      progress: new ProgressBar(process.stderr, false),
      now: () => opts.now,
    },
    serve: async () => {
      throw new Error("serve is not part of these tests");
    },
    ...(opts.startNotifiers ? { startNotifiers: opts.startNotifiers } : {}),
  });
  return { code, stdout, stderr };
}

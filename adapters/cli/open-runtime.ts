import { LotseError } from "../../src/errors.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import type { CliDeps } from "./cli.ts";

/** Opens the runtime; a read-only command falls back to an in-memory copy when another process holds the data directory. */
export async function open(
  deps: Pick<CliDeps, "config" | "log" | "io">,
  readOnly: boolean,
  autoIngest?: boolean,
): Promise<Runtime> {
  const opts = autoIngest === undefined ? {} : { autoIngest };
  try {
    return await createRuntime(deps.config, deps.log, opts);
  } catch (err) {
    if (readOnly && err instanceof LotseError && err.code === "DB_LOCKED") {
      deps.io.stderr(
        `Hinweis: ${err.message}\nLotse liest die Wissensbasis deshalb für diesen Aufruf in den Arbeitsspeicher.\n`,
      );
      return createRuntime({ ...deps.config, dataDir: ":memory:" }, deps.log, { autoIngest: true });
    }
    throw err;
  }
}

import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { LotseError } from "../errors.ts";
import type { Database, Queryable } from "./database.ts";

/**
 * Embedded PostgreSQL (WebAssembly) with pgvector, in a worker thread so that its synchronous queries never block the
 * event loop; dataDir ":memory:" keeps nothing on disk. Statements run one at a time, as PGlite has one session.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  const lockFile = dataDir === ":memory:" ? undefined : path.join(dataDir, "lotse.pid");
  if (lockFile) {
    try {
      await mkdir(dataDir, { recursive: true });
    } catch (cause) {
      throw unreachable(dataDir, cause);
    }
    await acquireLock(lockFile, dataDir);
  }
  // The worker runs little JavaScript (messages in, rows out): a small young generation keeps its resident memory low.
  const worker = new Worker(new URL("./pglite-worker.ts", import.meta.url), {
    workerData: { dataDir },
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let failed: Error | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on(
      "message",
      (m: { ready?: boolean; id?: number; rows?: unknown[]; error?: Record<string, unknown> }) => {
        if (m.ready === true) resolve();
        else if (m.ready === false) reject(Object.assign(new Error(String(m.error?.message)), m.error));
        else if (m.id !== undefined) {
          const p = pending.get(m.id);
          pending.delete(m.id);
          if (m.error) p?.reject(Object.assign(new Error(String(m.error.message)), m.error));
          else p?.resolve(m.rows ?? []);
        }
      },
    );
    // A crashed worker fails every open and future query instead of leaving callers waiting.
    const fail = (err: Error) => {
      failed = err;
      reject(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`PGlite worker exited (code ${code})`)));
  });
  try {
    await ready;
  } catch (cause) {
    await worker.terminate();
    if (lockFile) await rm(lockFile, { force: true });
    throw unreachable(dataDir, cause);
  }
  const call = <T>(kind: "query" | "close", sql = "", params: unknown[] = []): Promise<T[]> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T[]>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      worker.postMessage(kind === "close" ? { id, kind } : { id, kind, sql, params });
    });
  };
  // A transaction must not interleave with other callers' statements: everything goes through one queue.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const direct: Queryable = {
    query: async <T>(sql: string, params: unknown[] = []) => ({ rows: await call<T>("query", sql, params) }),
  };
  return {
    kind: "pglite",
    query: <T>(sql: string, params: unknown[] = []) => serial(() => direct.query<T>(sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      serial(async () => {
        await direct.query("BEGIN");
        try {
          const result = await fn(direct);
          await direct.query("COMMIT");
          return result;
        } catch (err) {
          await direct.query("ROLLBACK").catch(() => undefined);
          throw err;
        }
      }),
    close: () =>
      serial(async () => {
        if (!failed) await call("close").catch(() => undefined);
        failed = new Error("the embedded database is closed");
        worker.removeAllListeners("exit");
        await worker.terminate();
        if (lockFile) await rm(lockFile, { force: true });
      }),
  };
}

function unreachable(dataDir: string, cause: unknown): LotseError {
  if (cause instanceof LotseError) return cause;
  return new LotseError(
    "DB_UNREACHABLE",
    `Die eingebettete Datenbank in LOTSE_DATA_DIR (${dataDir}) konnte nicht geöffnet werden. Prüfen Sie Pfad und Schreibrechte.`,
    { cause },
  );
}

/** PGlite allows one process per data directory; a second one would corrupt it. */
async function acquireLock(lockFile: string, dataDir: string): Promise<void> {
  try {
    const pid = Number.parseInt(await readFile(lockFile, "utf8"), 10);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid))
      throw new LotseError(
        "DB_LOCKED",
        `Die eingebettete Datenbank in LOTSE_DATA_DIR (${dataDir}) wird von einem anderen Lotse-Prozess (PID ${pid}) benutzt. ` +
          "Beenden Sie ihn, oder nutzen Sie einen PostgreSQL-Server über DATABASE_URL, wenn mehrere Prozesse gleichzeitig arbeiten sollen.",
        { details: { pid } },
      );
  } catch (err) {
    if (err instanceof LotseError) throw err;
  }
  await writeFile(lockFile, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

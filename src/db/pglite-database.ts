import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { LotseError } from "../errors.ts";
import type { Database, Queryable } from "./database.ts";

/** Embedded PostgreSQL (WebAssembly) with pgvector; dataDir ":memory:" keeps nothing on disk. */
export async function openPglite(dataDir: string): Promise<Database> {
  let pg: PGlite;
  const lockFile = dataDir === ":memory:" ? undefined : path.join(dataDir, "lotse.pid");
  try {
    if (lockFile) {
      await mkdir(dataDir, { recursive: true });
      await acquireLock(lockFile, dataDir);
    }
    pg = await PGlite.create({
      ...(dataDir === ":memory:" ? {} : { dataDir }),
      extensions: { vector },
      // Shared buffers live in the WebAssembly heap and count as resident only once used: 64 MB hold the hot part of a
      // 20,000-chunk index (with 16 MB, retrieval read most pages through the file system and p95 doubled), while
      // the bundled knowledge touches a few MB.
      // hnsw.ef_search: the HNSW index keeps more candidates than the 40 retrieval asks for, so that a tenant filter
      // applied after the index scan still leaves enough (recall measured in `npm run bench`).
      startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=64MB", "-c", "hnsw.ef_search=100"],
    });
  } catch (cause) {
    if (cause instanceof LotseError) throw cause;
    if (lockFile) await rm(lockFile, { force: true });
    throw new LotseError(
      "DB_UNREACHABLE",
      `Die eingebettete Datenbank in LOTSE_DATA_DIR (${dataDir}) konnte nicht geöffnet werden. Prüfen Sie Pfad und Schreibrechte.`,
      { cause },
    );
  }
  // PGlite runs one statement at a time; a transaction must not interleave with other callers' queries.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const wrap = (q: Pick<PGlite, "query">): Queryable => ({
    query: async <T>(sql: string, params: unknown[] = []) => {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows };
    },
  });
  return {
    kind: "pglite",
    query: <T>(sql: string, params: unknown[] = []) => serial(() => wrap(pg).query<T>(sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => serial(() => pg.transaction((tx) => fn(wrap(tx)))),
    close: () =>
      serial(async () => {
        await pg.close();
        if (lockFile) await rm(lockFile, { force: true });
      }),
  };
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

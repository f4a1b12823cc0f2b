/**
 * Worker thread that owns the embedded PostgreSQL (PGlite). A query in PGlite is synchronous WebAssembly: on the main
 * thread it would hold up every HTTP request (a Slack ack, a health check) for as long as it runs. Here it does not.
 * Protocol: { id, sql, params } in, { id, rows } or { id, error } out; "close" shuts PGlite down.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";

type Request = { id: number; kind: "query"; sql: string; params: unknown[] } | { id: number; kind: "close" };

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread");
const { dataDir } = workerData as { dataDir: string };

/** Error fields that survive the thread boundary (PostgreSQL's SQLSTATE and position help diagnose a query). */
function serializeError(err: unknown): Record<string, unknown> {
  const e = err as { message?: string; code?: string; detail?: string; position?: string; severity?: string };
  return {
    message: e?.message ?? String(err),
    code: e?.code,
    detail: e?.detail,
    position: e?.position,
    severity: e?.severity,
  };
}

try {
  const pg = await PGlite.create({
    ...(dataDir === ":memory:" ? {} : { dataDir }),
    extensions: { vector },
    // Shared buffers live in the WebAssembly heap and count as resident only once used: 64 MB hold the hot part of a
    // 20,000-chunk index (with 16 MB, retrieval read most pages through the file system and p95 doubled), while the
    // bundled knowledge touches a few MB.
    // hnsw.ef_search: the HNSW index keeps more candidates than the 40 retrieval asks for, so that a tenant filter
    // applied after the index scan still leaves enough (recall measured in `npm run bench`).
    startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=64MB", "-c", "hnsw.ef_search=100"],
  });
  port.on("message", async (req: Request) => {
    if (req.kind === "close") {
      await pg.close().catch(() => undefined);
      port.postMessage({ id: req.id, rows: [] });
      port.close();
      return;
    }
    try {
      const r = await pg.query(req.sql, req.params);
      port.postMessage({ id: req.id, rows: r.rows });
    } catch (err) {
      port.postMessage({ id: req.id, error: serializeError(err) });
    }
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: serializeError(err) });
}

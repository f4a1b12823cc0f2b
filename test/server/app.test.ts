import { once } from "node:events";
import type { AddressInfo } from "node:net";
import net from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LotseError } from "../../src/errors.ts";
import { silentLogger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { createApp } from "../../src/server/app.ts";
import { listen } from "../../src/server/serve.ts";
import { captureLogs, fixtureRuntime } from "../helpers.ts";

/** Resolves with what arrived on the socket once `done` holds, or after waitMs (then the test fails on its value). */
function readUntil(socket: net.Socket, done: (received: string) => boolean, waitMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    const finish = () => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", finish);
      resolve(received);
    };
    const onData = (d: Buffer) => {
      received += d.toString();
      if (done(received)) finish();
    };
    const timer = setTimeout(finish, waitMs);
    socket.on("data", onData);
    socket.once("end", finish);
  });
}

let rt: Runtime;
beforeAll(async () => {
  rt = await fixtureRuntime();
});
afterAll(() => rt.close());

describe("HTTP app", () => {
  it("reports alive on /healthz", async () => {
    const app = createApp({ log: silentLogger, ready: () => rt.ready() });
    const res = await request(app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("reports ready on /readyz once knowledge is ingested", async () => {
    const app = createApp({ log: silentLogger, ready: () => rt.ready() });
    const res = await request(app).get("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ready", database: true });
    expect(res.body.documents).toBeGreaterThan(0);
  });

  it("reports not ready with 503 when nothing is ingested or the database is gone", async () => {
    const empty = createApp({
      log: silentLogger,
      ready: async () => ({ ok: false, database: true, documents: 0 }),
    });
    const emptyRes = await request(empty).get("/readyz");
    expect(emptyRes.status).toBe(503);
    expect(emptyRes.body.hint).toContain("lotse ingest");
    const stopping = createApp({
      log: silentLogger,
      ready: async () => ({ ok: false, database: true, documents: 0, stopping: true }),
    });
    const stoppingRes = await request(stopping).get("/readyz");
    expect(stoppingRes.body).toMatchObject({ status: "stopping" });
    expect(stoppingRes.body.hint).toBeUndefined();
    const other = await fixtureRuntime();
    await other.close();
    const closed = createApp({ log: silentLogger, ready: () => other.ready() });
    const res = await request(closed).get("/readyz");
    expect(res.status).toBe(503);
    expect(res.body.database).toBe(false);
  });

  it("answers unknown paths with a JSON 404 and turns thrown errors into a status", async () => {
    const app = createApp({
      log: silentLogger,
      ready: () => rt.ready(),
      mount: (a) =>
        a.get("/boom", () => {
          throw new Error("kaputt");
        }),
    });
    expect((await request(app).get("/nope")).status).toBe(404);
    const res = await request(app).get("/boom");
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe("INTERNAL");
    expect(JSON.stringify(res.body)).not.toContain("kaputt");
  });

  it("adds further readiness checks to /readyz: their details always, their failure as 503", async () => {
    const healthy = createApp({
      log: silentLogger,
      ready: () => rt.ready(),
      readiness: [async () => ({ ok: true, details: { teams: "auth_failed" } })],
    });
    const res = await request(healthy).get("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ready", database: true, teams: "auth_failed" });
    const failing = createApp({
      log: silentLogger,
      ready: () => rt.ready(),
      readiness: [
        async () => ({ ok: false, details: { teams: "auth_failed" } }),
        async () => Promise.reject(new Error("x")),
      ],
    });
    const down = await request(failing).get("/readyz");
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "not_ready", teams: "auth_failed", check: "failed" });
  });

  it("answers 401 and 413 with a short German message and logs the reason category", async () => {
    const { logs, log } = captureLogs();
    const app = createApp({
      log,
      ready: () => rt.ready(),
      mount: (a) => {
        a.post("/auth", (_req, _res, next) =>
          next(new LotseError("AUTH_REJECTED", "token expired at 12:00", { details: { reason: "expired" } })),
        );
        a.post("/big", (_req, _res, next) => next(new LotseError("PAYLOAD_TOO_LARGE", "too large")));
      },
    });
    const auth = await request(app).post("/auth").send({ a: 1 });
    expect(auth.status).toBe(401);
    expect(auth.body).toEqual({
      error: { code: "AUTH_REJECTED", message: "Die Anmeldung wurde abgelehnt." },
    });
    expect(logs.find((l) => l.code === "AUTH_REJECTED")).toMatchObject({ level: 40, reason: "expired" });
    expect(JSON.stringify(logs)).not.toContain("12:00");
    const big = await request(app).post("/big").send({ a: 1 });
    expect(big.status).toBe(413);
    expect(big.body.error).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "Die Anfrage ist zu groß." });
  });

  it("closes the connection after a 413 so the unread body is not taken for the next request", async () => {
    // The route refuses by Content-Length without reading, as a size limit must; the client stops uploading there.
    const app = createApp({
      log: silentLogger,
      ready: () => rt.ready(),
      mount: (a) => a.post("/upload", (_req, _res, next) => next(new LotseError("PAYLOAD_TOO_LARGE", "big"))),
    });
    const server = await listen(app, 0, "127.0.0.1");
    const port = (server.address() as AddressInfo).port;
    try {
      const socket = net.connect(port, "127.0.0.1");
      await once(socket, "connect");
      const head =
        "POST /upload HTTP/1.1\r\nHost: lotse\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n";
      socket.write(head + "x".repeat(65_536));
      const first = await readUntil(socket, (r) => r.includes("\r\n\r\n") && r.includes("PAYLOAD_TOO_LARGE"));
      expect(first).toMatch(/^HTTP\/1\.1 413/);
      let next = socket;
      if (/^connection: close/im.test(first)) {
        // The server ends the connection; the client goes on with a fresh one.
        if (!socket.readableEnded) await once(socket, "end");
        next = net.connect(port, "127.0.0.1");
        await once(next, "connect");
      }
      next.write("GET /healthz HTTP/1.1\r\nHost: lotse\r\n\r\n");
      const second = await readUntil(next, (r) => r.includes('{"status":"ok"}'));
      expect(second).toMatch(/^HTTP\/1\.1 200/);
      socket.destroy();
      next.destroy();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

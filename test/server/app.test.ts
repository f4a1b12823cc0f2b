import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.ts";
import type { Runtime } from "../../src/runtime.ts";
import { createApp } from "../../src/server/app.ts";
import { fixtureRuntime } from "../helpers.ts";

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
    expect((await request(empty).get("/readyz")).status).toBe(503);
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
});

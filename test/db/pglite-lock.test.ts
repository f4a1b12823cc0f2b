import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("PGlite data directory lock", () => {
  it("refuses a directory that a live process holds, naming LOTSE_DATA_DIR", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-lock-"));
    dirs.push(dir);
    const holder = spawn("sleep", ["30"]);
    try {
      await writeFile(path.join(dir, "lotse.pid"), String(holder.pid));
      const err = await openPglite(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LotseError);
      expect((err as LotseError).code).toBe("DB_LOCKED");
      expect((err as LotseError).message).toContain("LOTSE_DATA_DIR");
    } finally {
      holder.kill();
    }
  });

  it("takes over a lock left by a process that is gone, and releases it on close", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-lock-"));
    dirs.push(dir);
    await writeFile(path.join(dir, "lotse.pid"), "999999");
    const db = await openPglite(dir);
    expect((await db.query<{ one: number }>("SELECT 1 AS one")).rows[0]?.one).toBe(1);
    await db.close();
    const again = await openPglite(dir);
    await again.close();
  });
});

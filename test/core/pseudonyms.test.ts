import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PSEUDONYM_PREFIX, Pseudonyms, pseudonymiseStoredFeedback } from "../../src/core/pseudonyms.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { FeedbackStore } from "../../src/feedback/feedback-store.ts";

const FORMAT = /^p1_[0-9a-f]{32}$/;

describe("Pseudonyms", () => {
  it("gives a stable pseudonym of the form p1_ and 32 hex characters", () => {
    const p = new Pseudonyms("geheim");
    const a = p.of("slack", "U0ABC");
    expect(a).toMatch(FORMAT);
    expect(a.startsWith(PSEUDONYM_PREFIX)).toBe(true);
    expect(p.of("slack", "U0ABC")).toBe(a);
    expect(new Pseudonyms("geheim").of("slack", "U0ABC")).toBe(a);
    expect(new Pseudonyms(Buffer.from("geheim", "utf8")).of("slack", "U0ABC")).toBe(a);
  });

  it("depends on the key, the platform and the user", () => {
    const a = new Pseudonyms("geheim").of("slack", "U0ABC");
    expect(new Pseudonyms("anders").of("slack", "U0ABC")).not.toBe(a);
    expect(new Pseudonyms("geheim").of("teams", "U0ABC")).not.toBe(a);
    expect(new Pseudonyms("geheim").of("slack", "U0ABD")).not.toBe(a);
  });

  it("never contains the platform id", () => {
    expect(new Pseudonyms("geheim").of("teams", "29:1abcdef")).not.toContain("abcdef");
  });
});

describe("Pseudonyms.open and pseudonymiseStoredFeedback (PGlite)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(() => db.close());

  const keys = async () =>
    (await db.query<{ value: string }>("SELECT value FROM settings WHERE name = 'pseudonym_key'")).rows;

  it("uses a configured key without storing it", async () => {
    const p = await Pseudonyms.open(db, "konfiguriert");
    expect(p.of("slack", "U1")).toBe(new Pseudonyms("konfiguriert").of("slack", "U1"));
    expect(await keys()).toEqual([]);
  });

  it("creates one random key in settings, shared by every replica that opens the database", async () => {
    const [a, b] = await Promise.all([Pseudonyms.open(db, undefined), Pseudonyms.open(db, undefined)]);
    const c = await Pseudonyms.open(db, undefined);
    const stored = await keys();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(b.of("teams", "29:1abc")).toBe(a.of("teams", "29:1abc"));
    expect(c.of("teams", "29:1abc")).toBe(a.of("teams", "29:1abc"));
    expect(a.of("teams", "29:1abc")).toBe(
      new Pseudonyms(Buffer.from(stored[0]?.value ?? "", "hex")).of("teams", "29:1abc"),
    );
    expect(a.of("teams", "29:1abc")).not.toBe(new Pseudonyms("konfiguriert").of("teams", "29:1abc"));
  });

  it("rewrites platform ids stored before pseudonymisation, once", async () => {
    const p = await Pseudonyms.open(db, undefined);
    const store = new FeedbackStore(db);
    const rating = { tenant: "musterstadt", rating: "up" as const, question: "Frage?", docIds: [] };
    await store.record({ ...rating, platform: "slack", userId: "U0OLD" });
    await store.record({ ...rating, platform: "slack", userId: "U0OLD" });
    await store.record({ ...rating, platform: "teams", userId: "U0OLD" });
    await store.record({ ...rating, platform: "slack", userId: p.of("slack", "U0NEW") });
    expect(await pseudonymiseStoredFeedback(db, p)).toBe(3);
    const rows = (
      await db.query<{ platform: string; user_id: string }>(
        "SELECT platform, user_id FROM feedback ORDER BY feedback_id",
      )
    ).rows;
    expect(rows).toEqual([
      { platform: "slack", user_id: p.of("slack", "U0OLD") },
      { platform: "slack", user_id: p.of("slack", "U0OLD") },
      { platform: "teams", user_id: p.of("teams", "U0OLD") },
      { platform: "slack", user_id: p.of("slack", "U0NEW") },
    ]);
    expect(rows.every((r) => FORMAT.test(r.user_id))).toBe(true);
    expect(await pseudonymiseStoredFeedback(db, p)).toBe(0);
    const again = (await db.query<{ user_id: string }>("SELECT user_id FROM feedback ORDER BY feedback_id"))
      .rows;
    expect(again.map((r) => r.user_id)).toEqual(rows.map((r) => r.user_id));
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { LotseError } from "../../src/errors.ts";
import {
  type NewReminder,
  REMINDER_LIMITS,
  ReminderStore,
  timezoneOf,
} from "../../src/reminders/reminder-store.ts";

const indicators: NewReminder = {
  tenant: "musterstadt",
  audience: "channel",
  platform: "slack",
  target: "C0NACHHALT",
  originConversation: "C0NACHHALT",
  text: "Bitte die Indikatoren für den Nachhaltigkeitsbericht bis Freitag in die Tabelle eintragen.",
  linkUrl: "https://intranet.musterstadt.de/nachhaltigkeit/indikatoren",
  rrule: "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO",
  reading: "jeden ersten Montag im Monat um 9:00 Uhr",
  creatorPseudonym: "p-4f2a9c",
  creatorName: "Erika Mustermann",
  creatorUserId: "U0ERIKA01",
  source: "chat",
};

const personal: NewReminder = {
  ...indicators,
  audience: "personal",
  target: "U0MAX0002",
  originConversation: "C0NACHHALT",
  text: "Produktblatt Klimaschutz gegenlesen",
  linkUrl: undefined,
  creatorPseudonym: "p-77b1e0",
  creatorName: "Max Muster",
  creatorUserId: "U0MAX0002",
};

describe("ReminderStore", () => {
  let db: Database;
  const store = new ReminderStore();

  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query("DELETE FROM reminders");
  });

  it("stores a reminder and reads it back unchanged, its time zone taken from the rule", async () => {
    const saved = await store.insert(db, indicators);
    expect(saved).toMatchObject({ ...indicators, status: "draft", timezone: "Europe/Berlin" });
    expect(saved.id).toMatch(/^\d+$/);
    expect(saved.pausedReason).toBeUndefined();
    expect(await store.get(db, saved.id, "musterstadt")).toEqual(saved);
  });

  it("keeps optional fields absent rather than null", async () => {
    const { linkUrl: _l, creatorName: _n, ...bare } = indicators;
    const saved = await store.insert(db, bare, "active");
    const read = await store.get(db, saved.id, "musterstadt");
    expect(read).toBeDefined();
    expect(read && "linkUrl" in read).toBe(false);
    expect(read && "creatorName" in read).toBe(false);
    expect(read?.status).toBe("active");
  });

  it("does not show one tenant's reminder to another, nor answer a forged id", async () => {
    const saved = await store.insert(db, indicators);
    expect(await store.get(db, saved.id, "beispielhausen")).toBeUndefined();
    expect(await store.get(db, "1; DROP TABLE reminders", "musterstadt")).toBeUndefined();
    expect(await store.delete(db, saved.id, "beispielhausen")).toBe(false);
    expect(await store.delete(db, saved.id, "musterstadt")).toBe(true);
    expect(await store.get(db, saved.id, "musterstadt")).toBeUndefined();
  });

  it("changes status only from the states named, with the reason of a pause", async () => {
    const saved = await store.insert(db, indicators);
    expect(await store.transition(db, saved.id, "musterstadt", ["paused"], "active")).toBeUndefined();
    const active = await store.transition(db, saved.id, "musterstadt", ["draft"], "active");
    expect(active?.status).toBe("active");
    const paused = await store.transition(
      db,
      saved.id,
      "musterstadt",
      ["active"],
      "paused",
      "conversation_gone",
    );
    expect(paused).toMatchObject({ status: "paused", pausedReason: "conversation_gone" });
    const resumed = await store.transition(db, saved.id, "musterstadt", ["paused"], "active");
    expect(resumed?.pausedReason).toBeUndefined();
  });

  it("refuses an empty text, an oversized one and a link that is no web address", async () => {
    const reasons = async (r: NewReminder) =>
      ((await store.insert(db, r).catch((e: unknown) => e)) as LotseError).details?.reason;
    expect(await reasons({ ...indicators, text: "   " })).toBe("reminder_text_empty");
    expect(await reasons({ ...indicators, text: "x".repeat(REMINDER_LIMITS.textChars + 1) })).toBe(
      "reminder_field_too_long",
    );
    expect(await reasons({ ...indicators, linkUrl: "javascript:alert(1)" })).toBe("reminder_link_invalid");
    const err = await store.insert(db, { ...indicators, text: "" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LotseError);
    expect((err as LotseError).code).toBe("REQUEST_INVALID");
    expect((await db.query("SELECT 1 FROM reminders")).rows).toHaveLength(0);
  });

  it("lists a conversation's channel reminders and one's own personal ones, never drafts or others' personal ones", async () => {
    const channel = await store.insert(db, indicators, "active");
    const postedHere = await store.insert(
      db,
      { ...indicators, originConversation: "D0ERIKA", target: "C0NACHHALT" },
      "paused",
    );
    await store.insert(db, indicators, "draft");
    const mine = await store.insert(db, personal, "active");
    await store.insert(db, { ...indicators, target: "C0ANDERS", originConversation: "C0ANDERS" }, "active");
    await store.insert(db, { ...indicators, tenant: "beispielhausen" }, "active");
    const ended = await store.insert(db, indicators, "ended");

    const ids = async (q: Parameters<ReminderStore["list"]>[1]) => (await store.list(db, q)).map((r) => r.id);
    expect(await ids({ tenant: "musterstadt", conversation: "C0NACHHALT" })).toEqual([
      channel.id,
      postedHere.id,
    ]);
    expect(
      await ids({ tenant: "musterstadt", conversation: "C0NACHHALT", creatorPseudonym: "p-77b1e0" }),
    ).toEqual([channel.id, postedHere.id, mine.id]);
    expect(await ids({ tenant: "musterstadt", conversation: "C0NACHHALT", includeEnded: true })).toEqual([
      channel.id,
      postedHere.id,
      ended.id,
    ]);
    expect(await ids({ tenant: "musterstadt", conversation: "C0NACHHALT", platform: "teams" })).toEqual([]);
    expect(await ids({ tenant: "musterstadt" })).toHaveLength(4);
  });

  it("purges drafts older than the cut-off and nothing else", async () => {
    const old = await store.insert(db, indicators, "draft");
    const fresh = await store.insert(db, indicators, "draft");
    const oldActive = await store.insert(db, indicators, "active");
    await db.query(
      "UPDATE reminders SET created_at = '2027-01-01T08:00:00Z' WHERE reminder_id = ANY($1::bigint[])",
      [[old.id, oldActive.id]],
    );
    await db.query("UPDATE reminders SET created_at = '2027-01-02T08:00:00Z' WHERE reminder_id = $1", [
      fresh.id,
    ]);
    expect(await store.purgeDrafts(db, new Date("2027-01-01T20:00:00Z"))).toBe(1);
    expect(await store.get(db, old.id, "musterstadt")).toBeUndefined();
    expect(await store.get(db, fresh.id, "musterstadt")).toBeDefined();
    expect(await store.get(db, oldActive.id, "musterstadt")).toBeDefined();
  });

  it("reads the time zone of a rule", () => {
    expect(timezoneOf("DTSTART;TZID=Europe/Vienna:20270104T090000\nRRULE:FREQ=DAILY")).toBe("Europe/Vienna");
    expect(timezoneOf("DTSTART:20270104T090000Z\nRRULE:FREQ=DAILY")).toBe("Europe/Berlin");
  });
});

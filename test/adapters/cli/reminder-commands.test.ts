import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import type { Notifier, NotifyTarget } from "../../../src/core/notifier.ts";
import type { Reply } from "../../../src/core/replies.ts";
import type { Runtime } from "../../../src/runtime.ts";
import { freshSchemaUrl, ROOT, testConfig } from "../../helpers.ts";
import { type Run, runLotse } from "./run-lotse.ts";

/** What a platform would have received: the CLI's run-due delivers through it. */
const sent: { target: NotifyTarget; reply: Reply }[] = [];
const fakeSlack: Notifier = {
  platform: "slack",
  async send(target, reply) {
    sent.push({ target, reply });
    return {
      ok: true,
      conversationId: target.kind === "new-thread" ? `${target.channelConversationId}:1.2` : "D1",
    };
  },
};

let db: Awaited<ReturnType<typeof freshSchemaUrl>>;
let config: Config;
beforeAll(async () => {
  db = await freshSchemaUrl();
  // The bundled knowledge: its deadline documents carry `due`.
  config = testConfig({ DATABASE_URL: db.url, LOTSE_KNOWLEDGE_DIR: path.join(ROOT, "knowledge") });
  expect((await lotse(["ingest"])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await db.drop();
});

async function lotse(argv: string[]): Promise<Run> {
  return runLotse(argv, {
    config,
    now: new Date("2026-12-02T09:00:00Z"),
    startNotifiers: async (rt: Runtime) => {
      rt.notifiers.set("slack", fakeSlack);
    },
  });
}

describe("lotse reminders parse", () => {
  it("prints the rule, the reading and the next three dates with offset", async () => {
    const r = await lotse([
      "reminders",
      "parse",
      "jeden ersten Montag im Monat um 9 Uhr",
      "--now",
      "2026-12-02T10:00:00+01:00",
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      rrule: "DTSTART;TZID=Europe/Berlin:20261207T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO",
      timezone: "Europe/Berlin",
      text: "jeden ersten Montag im Monat um 9:00 Uhr",
      next: ["2026-12-07T09:00:00+01:00", "2027-01-04T09:00:00+01:00", "2027-02-01T09:00:00+01:00"],
    });
  });

  it("keeps 9:00 local across the spring change", async () => {
    const r = await lotse([
      "reminders",
      "parse",
      "jeden Montag",
      "--now",
      "2027-03-20T10:00:00+01:00",
      "--json",
    ]);
    expect(JSON.parse(r.stdout).next).toEqual([
      "2027-03-22T09:00:00+01:00",
      "2027-03-29T09:00:00+02:00",
      "2027-04-05T09:00:00+02:00",
    ]);
  });

  it("refuses what it cannot read with examples and exit code 2", async () => {
    const r = await lotse(["reminders", "parse", "irgendwann mal", "--json"]);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(false);
    expect(json.message).toMatch(/jeden Freitag/);
  });

  it("refuses a --now without a time zone in German", async () => {
    const r = await lotse(["reminders", "parse", "morgen", "--now", "2027-01-01T09:00"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ISO 8601 mit Zeitzone/);
  });
});

describe("lotse reminders add, list, pause, resume, delete, run-due", () => {
  it("adds, delivers once at its time, pauses, resumes and deletes", async () => {
    const added = await lotse([
      "reminders",
      "add",
      "--target",
      "slack:C0NACHHALT",
      "--when",
      "jährlich am 31.3. um 10 Uhr",
      "--text",
      "Indikatoren für den Nachhaltigkeitsbericht melden",
      "--link",
      "https://intranet.musterstadt.example/indikatoren",
      "--json",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const { id, next } = JSON.parse(added.stdout);
    expect(next[0]).toBe("2027-03-31T10:00:00+02:00");

    const listed = JSON.parse((await lotse(["reminders", "list", "--json"])).stdout);
    expect(listed).toEqual([
      expect.objectContaining({
        id,
        status: "active",
        target: "slack:C0NACHHALT",
        next: "2027-03-31T10:00:00+02:00",
      }),
    ]);

    const early = JSON.parse(
      (await lotse(["reminders", "run-due", "--now", "2027-03-31T09:59:00+02:00", "--json"])).stdout,
    );
    // Only the daily clean-up (planned for today at start, long due at this instant) ran: the reminder is not due yet.
    expect(early.done).toBe(1);
    expect(sent).toHaveLength(0);
    const due = await lotse(["reminders", "run-due", "--now", "2027-03-31T10:00:30+02:00", "--json"]);
    expect(JSON.parse(due.stdout).done).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.target).toEqual({ kind: "new-thread", channelConversationId: "C0NACHHALT" });
    expect(JSON.stringify(sent[0]?.reply)).toContain("Indikatoren für den Nachhaltigkeitsbericht melden");
    // The same instant again: nothing more (the occurrence is done; the next is a year later).
    expect(
      JSON.parse(
        (await lotse(["reminders", "run-due", "--now", "2027-03-31T10:01:00+02:00", "--json"])).stdout,
      ).done,
    ).toBe(0);
    expect(sent).toHaveLength(1);

    expect((await lotse(["reminders", "pause", id])).stdout).toMatch(/pausiert/);
    // A year later, paused: nothing is posted (the clean-up of the day still runs).
    await lotse(["reminders", "run-due", "--now", "2028-03-31T10:00:30+02:00", "--json"]);
    expect(sent).toHaveLength(1);
    expect((await lotse(["reminders", "resume", id])).stdout).toMatch(/fortgesetzt/);
    expect((await lotse(["reminders", "delete", id])).stdout).toMatch(/gelöscht/);
    expect(JSON.parse((await lotse(["reminders", "list", "--json"])).stdout)).toEqual([]);
    const missing = await lotse(["reminders", "pause", id]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/REMINDER_NOT_FOUND/);
  });

  it("says in German what is wrong with a target or an unreadable time", async () => {
    const badTarget = await lotse([
      "reminders",
      "add",
      "--target",
      "C0NACHHALT",
      "--when",
      "morgen",
      "--text",
      "x",
    ]);
    expect(badTarget.code).toBe(2);
    expect(badTarget.stderr).toMatch(/slack:C0123ABCD/);
    const badWhen = await lotse([
      "reminders",
      "add",
      "--target",
      "slack:C1",
      "--when",
      "bald",
      "--text",
      "x",
      "--json",
    ]);
    expect(badWhen.code).toBe(2);
    expect(JSON.parse(badWhen.stdout).ok).toBe(false);
  });
});

describe("lotse deadlines", () => {
  it("lists the tenant's deadlines and writes them as iCalendar", async () => {
    const listed = await lotse(["deadlines"]);
    expect(listed.stdout).toMatch(/2027-03-31 .*Indikatoren/);
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-ics-"));
    const file = path.join(dir, "fristen.ics");
    const r = await lotse(["deadlines", "--ics", file]);
    expect(r.code, r.stderr).toBe(0);
    const ics = await readFile(file, "utf8");
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)?.length).toBe(3);
    expect(r.stdout).toMatch(/3 Fristen/);
  });
});

import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import type { CardReply } from "../../src/core/replies.ts";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { GAP_DIGEST_JOB, GapDigestJob } from "../../src/gaps/gap-digest-job.ts";
import { GapReport } from "../../src/gaps/gap-report.ts";
import { planJobs } from "../../src/jobs/job-store.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.ts";
import { ROOT } from "../helpers.ts";
import { FakeNotifier } from "../onboarding/onboarding-fixture.ts";
import { insertContacts, insertTurn, insertWeek } from "./gap-fixtures.ts";

const SLACK_CHANNEL = "C0KOORDIN1";
const TEAMS_CHANNEL = "19:koordination@thread.tacv2";
/** Musterstadt posts to Slack, Beispielkreis to Teams; Otherstadt has gaps but no digest channel. */
const SETTINGS = JSON.stringify({
  musterstadt: { digest: { slack_channel: SLACK_CHANNEL } },
  beispielkreis: { digest: { teams_channel: TEAMS_CHANNEL } },
  otherstadt: { retention_days: 14 },
});
/** The comment left with a 👎 in insertWeek: it names a colleague and must never reach a channel. */
const COMMENT = "Frau Beispiel";

let db: Database;
let templates: Templates;
beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  await insertContacts(db);
  // 23–29 November in Musterstadt (and one unanswered question of Otherstadt's).
  await insertWeek(db);
  await insertTurn(db, {
    question: "Gibt es im Kreishaus Ladesäulen für E-Autos?",
    at: "2026-11-26T09:30:00Z",
    tenant: "beispielkreis",
  });
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
});
afterEach(async () => {
  await db.query("DELETE FROM jobs WHERE kind = $1", [GAP_DIGEST_JOB]);
});
afterAll(async () => {
  await db.close();
});

/** The digest job as src/runtime.ts builds it, with fake notifiers; settings as LOTSE_TENANT_SETTINGS. */
function digestJob(settings = SETTINGS) {
  const tenantSettings = TenantSettings.parse(settings, [14, 2]);
  const slack = new FakeNotifier("slack");
  const teams = new FakeNotifier("teams");
  const job = new GapDigestJob({
    report: new GapReport({
      db,
      embedder: new HashedNgramEmbedder(),
      defaultContactRole: "nachhaltigkeit",
      retentionDays: (t) => tenantSettings.of(t).retentionDays ?? 30,
    }),
    tenantSettings,
    notifiers: new Map([
      ["slack", slack],
      ["teams", teams],
    ]),
    templates,
    log: silentLogger,
  });
  const scheduler = new Scheduler({ db, log: silentLogger, handlers: [job] });
  return { job, scheduler, slack, teams };
}

async function digestJobs(): Promise<{ key: string; status: string; dueAt: string; lane: string | null }[]> {
  const r = await db.query<{ job_key: string; status: string; due_at: Date | string; lane: string | null }>(
    "SELECT job_key, status, due_at, lane FROM jobs WHERE kind = $1 ORDER BY due_at, job_key",
    [GAP_DIGEST_JOB],
  );
  return r.rows.map((row) => ({
    key: row.job_key,
    status: row.status,
    dueAt: new Date(row.due_at).toISOString(),
    lane: row.lane,
  }));
}

const card = (sent: { reply: unknown }) => (sent.reply as CardReply).card;

describe("the weekly gap digest", () => {
  it("is planned once per tenant with a digest channel and ISO week, for Monday 08:00 Berlin", async () => {
    const { job } = digestJob();
    // Monday 30 November 2026, 07:00 in Berlin: this week's digest is due in an hour.
    const start = new Date("2026-11-30T06:00:00Z");
    expect(job.planned(start)).toEqual([
      {
        kind: GAP_DIGEST_JOB,
        key: "beispielkreis:2026-W49",
        tenant: "beispielkreis",
        lane: `teams:${TEAMS_CHANNEL}`,
        dueAt: new Date("2026-11-30T07:00:00Z"),
      },
      {
        kind: GAP_DIGEST_JOB,
        key: "musterstadt:2026-W49",
        tenant: "musterstadt",
        lane: `slack:${SLACK_CHANNEL}`,
        dueAt: new Date("2026-11-30T07:00:00Z"),
      },
    ]);
    // Summer time: planned on a Friday, past the grace window, it is next Monday's 08:00 CEST.
    expect(job.planned(new Date("2027-03-26T12:00:00Z")).map((j) => [j.key, j.dueAt.toISOString()])).toEqual([
      ["beispielkreis:2027-W13", "2027-03-29T06:00:00.000Z"],
      ["musterstadt:2027-W13", "2027-03-29T06:00:00.000Z"],
    ]);
  });

  it("posts the week's gaps once into the tenant's channel, without comments, and plans next Monday's", async () => {
    const { job, scheduler, slack, teams } = digestJob();
    const start = new Date("2026-11-30T06:00:00Z");
    expect(await planJobs(db, job.planned(start))).toBe(2);
    // A second start (another replica, a restart): still one job per tenant and week.
    expect(await planJobs(db, job.planned(start))).toBe(0);
    expect((await digestJobs()).map((j) => j.key)).toEqual([
      "beispielkreis:2026-W49",
      "musterstadt:2026-W49",
    ]);

    expect((await scheduler.runDue(new Date("2026-11-30T06:59:00Z"))).claimed).toBe(0);
    expect(slack.sent).toEqual([]);

    const due = await scheduler.runDue(new Date("2026-11-30T07:00:30Z"));
    expect(due.done).toBe(2);
    expect(slack.sent).toHaveLength(1);
    expect(slack.sent[0]?.target).toEqual({ kind: "new-thread", channelConversationId: SLACK_CHANNEL });
    const digest = card(slack.sent[0] as { reply: unknown });
    expect(digest.title).toBe("Wissenslücken der Woche");
    expect(digest.sections[0]?.facts).toEqual([
      { label: "Zeitraum", value: "23.11.2026 bis 30.11.2026" },
      { label: "Ohne Antwort", value: "6" },
      { label: "Mit 👎 bewertet", value: "2" },
      { label: "Themen", value: "3" },
      { label: "👎 ohne Fragetext (schon gelöscht)", value: "1" },
    ]);
    const headings = digest.sections.flatMap((s) => (s.heading ? [s.heading] : []));
    expect(headings).toHaveLength(3);
    expect(headings.filter((h) => h.includes("Jobticket"))).toEqual([expect.stringMatching(/ \(3×\)$/)]);
    expect(headings.some((h) => h.includes("Kantine"))).toBe(true);
    const kantine = digest.sections.find((s) => s.heading?.includes("Kantine"));
    expect(kantine?.facts).toContainEqual({
      label: "Zitierte Dokumente",
      value: "Speiseplan der Rathauskantine (2×)",
    });
    expect(kantine?.items).toContain("„Gibt es in der Kantine auch vegetarisches Essen?“");
    // The comment left with a 👎 is for the CLI report only; nor does another tenant's question appear.
    const text = JSON.stringify(slack.sent);
    expect(text).not.toContain(COMMENT);
    expect(text).not.toContain("Kommentare");
    expect(text).not.toContain("Otherstadt");

    // Beispielkreis's digest went to its Teams channel, with its own question only.
    expect(teams.sent).toHaveLength(1);
    expect(teams.sent[0]?.target).toEqual({ kind: "new-thread", channelConversationId: TEAMS_CHANNEL });
    expect(JSON.stringify(teams.sent)).toContain("Ladesäulen");
    expect(JSON.stringify(teams.sent)).not.toContain("Jobticket");

    // Run again at the same instant: nothing is posted twice.
    expect((await scheduler.runDue(new Date("2026-11-30T07:05:00Z"))).claimed).toBe(0);
    expect(slack.sent).toHaveLength(1);
    expect(await digestJobs()).toEqual([
      {
        key: "beispielkreis:2026-W49",
        status: "done",
        dueAt: "2026-11-30T07:00:00.000Z",
        lane: `teams:${TEAMS_CHANNEL}`,
      },
      {
        key: "musterstadt:2026-W49",
        status: "done",
        dueAt: "2026-11-30T07:00:00.000Z",
        lane: `slack:${SLACK_CHANNEL}`,
      },
      {
        key: "beispielkreis:2026-W50",
        status: "pending",
        dueAt: "2026-12-07T07:00:00.000Z",
        lane: `teams:${TEAMS_CHANNEL}`,
      },
      {
        key: "musterstadt:2026-W50",
        status: "pending",
        dueAt: "2026-12-07T07:00:00.000Z",
        lane: `slack:${SLACK_CHANNEL}`,
      },
    ]);

    // A week without gaps: a short "keine neuen Lücken" card (silence would look like a digest that stopped).
    const quiet = await scheduler.runDue(new Date("2026-12-07T07:00:30Z"));
    expect(quiet.done).toBe(2);
    expect(slack.sent).toHaveLength(2);
    const empty = card(slack.sent[1] as { reply: unknown });
    expect(empty.title).toBe("Wissenslücken der Woche");
    expect(empty.sections[0]?.facts?.slice(0, 4)).toEqual([
      { label: "Zeitraum", value: "30.11.2026 bis 7.12.2026" },
      { label: "Ohne Antwort", value: "0" },
      { label: "Mit 👎 bewertet", value: "0" },
      { label: "Themen", value: "0" },
    ]);
    expect(empty.sections.slice(1)).toEqual([
      {
        text: "Keine neuen Lücken in dieser Woche: Lotse konnte alle Fragen beantworten, und keine Antwort wurde mit 👎 bewertet.",
      },
    ]);
    expect((await digestJobs()).filter((j) => j.status === "pending").map((j) => j.key)).toEqual([
      "beispielkreis:2026-W51",
      "musterstadt:2026-W51",
    ]);
  });

  it("does nothing for a tenant without a digest channel, also when its channel was removed after planning", async () => {
    const { job } = digestJob();
    const start = new Date("2026-11-30T06:00:00Z");
    // Otherstadt has an unanswered question that week, but no channel: nothing is planned for it.
    expect(job.planned(start).map((j) => j.tenant)).not.toContain("otherstadt");
    // Musterstadt's digest was planned, then its channel taken out of the settings before Monday.
    await planJobs(db, job.planned(start));
    const removed = digestJob(
      JSON.stringify({ beispielkreis: { digest: { teams_channel: TEAMS_CHANNEL } }, musterstadt: {} }),
    );
    expect(removed.job.planned(start).map((j) => j.tenant)).toEqual(["beispielkreis"]);
    const r = await removed.scheduler.runDue(new Date("2026-11-30T07:00:30Z"));
    expect(r.done).toBe(2);
    expect(removed.slack.sent).toEqual([]);
    expect(removed.teams.sent).toHaveLength(1);
    const rows = await db.query<{ job_key: string; status: string; outcome: string | null }>(
      "SELECT job_key, status, outcome FROM jobs WHERE kind = $1 ORDER BY job_key",
      [GAP_DIGEST_JOB],
    );
    expect(rows.rows).toEqual([
      { job_key: "beispielkreis:2026-W49", status: "done", outcome: "delivered" },
      { job_key: "beispielkreis:2026-W50", status: "pending", outcome: null },
      // Not posted, and no next week's planned for it.
      { job_key: "musterstadt:2026-W49", status: "done", outcome: "no_digest" },
    ]);
  });

  it("covers from the previous Monday 08:00 Berlin, also across the change from summer time", async () => {
    const { job, scheduler, slack } = digestJob();
    // Monday 19 October, 08:30 summer time: after the last digest (08:00), before the clocks went back on the 25th.
    await insertTurn(db, {
      question: "Kann ich mein Dienstfahrrad über den Winter im Rathauskeller abstellen?",
      at: "2026-10-19T06:30:00Z",
    });
    // Monday 26 October, 06:00 winter time: the digest of the week is due at 08:00 (07:00 UTC).
    const planned = job.planned(new Date("2026-10-26T05:00:00Z")).filter((j) => j.tenant === "musterstadt");
    expect(planned.map((j) => [j.key, j.dueAt.toISOString()])).toEqual([
      ["musterstadt:2026-W44", "2026-10-26T07:00:00.000Z"],
    ]);
    await planJobs(db, planned);
    expect((await scheduler.runDue(new Date("2026-10-26T07:00:30Z"))).done).toBe(1);
    const digest = card(slack.sent[0] as { reply: unknown });
    expect(digest.sections[0]?.facts?.slice(0, 2)).toEqual([
      { label: "Zeitraum", value: "19.10.2026 bis 26.10.2026" },
      { label: "Ohne Antwort", value: "2" },
    ]);
    const text = JSON.stringify(digest);
    expect(text).toContain("Dienstfahrrad");
    expect(text).toContain("Gibt es ein Jobticket für Praktikanten?");
  });
});

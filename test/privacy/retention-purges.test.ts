import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { planJobs } from "../../src/jobs/job-store.ts";
import { Scheduler } from "../../src/jobs/scheduler.ts";
import { silentLogger } from "../../src/log.ts";
import { RetentionJob } from "../../src/privacy/retention-job.ts";
import { INACTIVE_DAYS, retentionPurges } from "../../src/privacy/retention-purges.ts";

let db: Database;
beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

const P_ANNA = "p1_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const P_BERND = "p1_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

async function turn(tenant: string, question: string, at: string): Promise<void> {
  await db.query(
    `INSERT INTO conversation_turns (platform, conversation_id, tenant, user_pseudonym, question, resolved_question,
       answer_kind, doc_ids, created_at) VALUES ('slack', 'D0AB12CD34', $1, $2, $3, $3, 'answer', '{}', $4)`,
    [tenant, tenant === "musterstadt" ? P_ANNA : P_BERND, question, at],
  );
}

async function feedback(tenant: string, question: string, comment: string | null, at: string): Promise<void> {
  await db.query(
    `INSERT INTO feedback (tenant, platform, user_id, conversation_id, rating, question, doc_ids, reason, comment,
       commented_at, created_at) VALUES ($1, 'teams', $2, '19:abc@thread.tacv2', 'down', $3, $4, 'veraltet', $5, $6, $6)`,
    [tenant, P_ANNA, question, ["musterstadt/beschaffung-it"], comment, at],
  );
}

describe("retention per tenant", () => {
  it("deletes texts past each tenant's own period through the scheduler and keeps ratings and onboarding aggregates", async () => {
    // Musterstadt keeps question texts 7 days; Otherstadt has no entry of its own: the default, 30 days.
    const settings = TenantSettings.parse(JSON.stringify({ musterstadt: { retention_days: 7 } }), [14, 2]);
    // Run on 2 December 2026, 03:00 Berlin: cut-offs 25 November (Musterstadt) and 2 November (Otherstadt).
    await turn("musterstadt", "Welche Kriterien gelten für Laptops?", "2026-11-20T09:00:00Z");
    await turn("musterstadt", "Und für Monitore?", "2026-11-30T09:00:00Z");
    await turn("otherstadt", "Wie melde ich den Energieverbrauch der Kita?", "2026-11-20T09:00:00Z");
    await turn("otherstadt", "Gilt das Tariftreuegesetz auch für Catering?", "2026-10-15T09:00:00Z");
    await feedback(
      "musterstadt",
      "Wer prüft die Ökobilanz?",
      "Die Ansprechperson ist nicht mehr zuständig.",
      "2026-11-20T09:00:00Z",
    );
    await feedback("musterstadt", "Was kostet ein Lastenrad?", "Preis fehlt", "2026-11-29T09:00:00Z");
    await feedback("otherstadt", "Welche Förderung gibt es für PV?", null, "2026-11-20T09:00:00Z");
    await db.query(
      `INSERT INTO onboarding_stats (tenant, item, metric, choice, correct, count) VALUES
       ('musterstadt', 'pfad:alle', 'started', '', NULL, 12), ('musterstadt', 'musterstadt/modul-1', 'answer', 'B', false, 4)`,
    );
    await db.query(
      `INSERT INTO reminders (tenant, status, audience, platform, target, origin_conversation, text, rrule, reading,
         creator_pseudonym, creator_user_id, created_at) VALUES
       ('musterstadt', 'draft', 'channel', 'slack', 'C0KLIMA01', 'C0KLIMA01', 'Indikatoren melden', 'RRULE:FREQ=YEARLY', 'jährlich', $1, 'U0ANNA001', '2026-11-30T10:00:00Z'),
       ('musterstadt', 'draft', 'channel', 'slack', 'C0KLIMA01', 'C0KLIMA01', 'Fahrradtag', 'RRULE:FREQ=YEARLY', 'jährlich', $1, 'U0ANNA001', '2026-12-02T01:30:00Z')`,
      [P_ANNA],
    );

    const job = new RetentionJob({
      log: silentLogger,
      purges: retentionPurges({ db, tenantSettings: settings, defaultDays: 30 }),
    });
    const scheduler = new Scheduler({ db, log: silentLogger, handlers: [job] });
    const start = new Date("2026-12-01T23:30:00Z");
    await planJobs(db, [job.today(start)]);
    expect((await scheduler.runDue(start)).done).toBe(0);
    expect((await scheduler.runDue(new Date("2026-12-02T02:00:30Z"))).done).toBe(1);

    const turns = await db.query<{ tenant: string; question: string }>(
      "SELECT tenant, question FROM conversation_turns ORDER BY tenant, created_at",
    );
    expect(turns.rows).toEqual([
      { tenant: "musterstadt", question: "Und für Monitore?" },
      // 12 days old: past Musterstadt's 7 days, within Otherstadt's 30.
      { tenant: "otherstadt", question: "Wie melde ich den Energieverbrauch der Kita?" },
    ]);
    const fb = await db.query<Record<string, unknown>>(
      "SELECT tenant, rating, reason, doc_ids, question, comment, user_id <> '' AS named FROM feedback ORDER BY feedback_id",
    );
    expect(fb.rows).toEqual([
      // Musterstadt's 12-day-old vote keeps rating, reason and cited documents, without its texts.
      {
        tenant: "musterstadt",
        rating: "down",
        reason: "veraltet",
        doc_ids: ["musterstadt/beschaffung-it"],
        question: "",
        comment: null,
        // Nobody in it any more: no pseudonym, no conversation.
        named: false,
      },
      {
        tenant: "musterstadt",
        rating: "down",
        reason: "veraltet",
        doc_ids: ["musterstadt/beschaffung-it"],
        question: "Was kostet ein Lastenrad?",
        comment: "Preis fehlt",
        named: true,
      },
      {
        tenant: "otherstadt",
        rating: "down",
        reason: "veraltet",
        doc_ids: ["musterstadt/beschaffung-it"],
        question: "Welche Förderung gibt es für PV?",
        comment: null,
        named: true,
      },
    ]);
    const stats = await db.query<{ n: number }>("SELECT sum(count)::int AS n FROM onboarding_stats");
    expect(stats.rows[0]?.n).toBe(16);
    const drafts = await db.query<{ text: string }>("SELECT text FROM reminders");
    expect(drafts.rows.map((r) => r.text)).toEqual(["Fahrradtag"]);
  });
});

describe("a person's own state after a year without a step", () => {
  it("deletes onboarding progress, unused person links and shown notices older than INACTIVE_DAYS, and keeps the rest", async () => {
    const now = new Date("2026-12-02T02:00:30Z");
    const old = "2025-11-20T09:00:00Z";
    const recent = "2026-06-01T09:00:00Z";
    await db.query(
      `INSERT INTO onboarding_progress (tenant, person, platform, current_module, status, started_at, updated_at)
       VALUES ('musterstadt', 'p1_alt', 'slack', 'musterstadt/onboarding-modul-2', 'paused', $1, $1),
              ('musterstadt', 'p1_aktiv', 'teams', 'musterstadt/onboarding-modul-1', 'active', $1, $2)`,
      [old, recent],
    );
    await db.query(
      `INSERT INTO person_links (tenant, platform, user_pseudonym, person, linked_at) VALUES
       ('musterstadt', 'slack', 'p1_slack_alt', 'p1_alt', $1),
       ('musterstadt', 'teams', 'p1_teams_aktiv', 'p1_aktiv', $1),
       ('musterstadt', 'slack', 'p1_slack_neu', 'p1_neu', $2)`,
      [old, recent],
    );
    await db.query(
      `INSERT INTO user_notices (platform, user_pseudonym, notice, shown_at) VALUES
       ('slack', 'p1_slack_alt', 'ai-disclosure', $1), ('teams', 'p1_teams_aktiv', 'ai-disclosure', $2)`,
      [old, recent],
    );
    const settings = TenantSettings.parse(undefined, [14, 2]);
    const purges = retentionPurges({ db, tenantSettings: settings, defaultDays: 30 });
    // In the job's order: the progress goes before the links are looked at.
    const counts: Record<string, number> = {};
    for (const p of purges) counts[p.name] = await p.purgeAt(now);
    expect(counts).toMatchObject({ inactiveOnboarding: 1, staleLinks: 1, oldNotices: 1 });
    expect(INACTIVE_DAYS).toBe(365);

    const progress = await db.query<{ person: string }>("SELECT person FROM onboarding_progress");
    expect(progress.rows.map((r) => r.person)).toEqual(["p1_aktiv"]);
    // The old link of someone with progress stays (it carries the progress across platforms); the old link of
    // someone whose progress went, goes; a recent link stays.
    const links = await db.query<{ user_pseudonym: string }>(
      "SELECT user_pseudonym FROM person_links ORDER BY user_pseudonym",
    );
    expect(links.rows.map((r) => r.user_pseudonym)).toEqual(["p1_slack_neu", "p1_teams_aktiv"]);
    const notices = await db.query<{ user_pseudonym: string }>("SELECT user_pseudonym FROM user_notices");
    expect(notices.rows.map((r) => r.user_pseudonym)).toEqual(["p1_teams_aktiv"]);
  });
});

describe("onboarding data past its use", () => {
  it("deletes finished nudges past the retention period and names the per-person report no longer shows", async () => {
    const now = new Date("2026-12-02T02:00:30Z");
    await db.query(
      `INSERT INTO jobs (kind, job_key, tenant, subject, due_at, run_at, payload, status, outcome, finished_at) VALUES
       ('onboarding-nudge', 'musterstadt:p1_alt:2026-W40', 'musterstadt', 'onboarding:musterstadt:p1_alt',
        '2026-10-01T07:00:00Z', '2026-10-01T07:00:00Z', '{"person":"p1_alt"}', 'done', 'delivered', '2026-10-01T07:00:01Z'),
       ('onboarding-nudge', 'musterstadt:p1_neu:2026-W48', 'musterstadt', 'onboarding:musterstadt:p1_neu',
        '2026-11-25T08:00:00Z', '2026-11-25T08:00:00Z', '{"person":"p1_neu"}', 'done', 'delivered', '2026-11-25T08:00:01Z'),
       ('onboarding-nudge', 'musterstadt:p1_wartet:2026-W40', 'musterstadt', 'onboarding:musterstadt:p1_wartet',
        '2026-10-01T07:00:00Z', '2026-10-01T07:00:00Z', '{"person":"p1_wartet"}', 'pending', NULL, NULL),
       ('gap-digest', 'musterstadt:2026-W40', 'musterstadt', 'gap-digest:musterstadt',
        '2026-09-28T06:00:00Z', '2026-09-28T06:00:00Z', '{}', 'done', 'delivered', '2026-09-28T06:00:01Z')`,
    );
    await db.query(
      `INSERT INTO onboarding_progress (tenant, person, platform, display_name, updated_at) VALUES
       ('musterstadt', 'p1_name_m', 'slack', 'Lea Koch', $1), ('bergheim', 'p1_name_b', 'teams', 'Jan Berg', $1)`,
      [now.toISOString()],
    );
    // Bergheim has per-person reporting on; Musterstadt does not (any more).
    const settings = TenantSettings.parse(
      JSON.stringify({ bergheim: { onboarding: { per_person_report: true } } }),
      [14, 2],
    );
    const counts: Record<string, number> = {};
    for (const p of retentionPurges({ db, tenantSettings: settings, defaultDays: 30 }))
      counts[p.name] = await p.purgeAt(now);
    expect(counts).toMatchObject({ finishedNudges: 1, displayNames: 1 });
    const jobs = await db.query<{ job_key: string }>(
      "SELECT job_key FROM jobs WHERE kind <> 'retention' ORDER BY job_key",
    );
    expect(jobs.rows.map((r) => r.job_key)).toEqual([
      "musterstadt:2026-W40",
      "musterstadt:p1_neu:2026-W48",
      "musterstadt:p1_wartet:2026-W40",
    ]);
    const names = await db.query<{ person: string; display_name: string | null }>(
      "SELECT person, display_name FROM onboarding_progress WHERE person LIKE 'p1_name_%' ORDER BY person",
    );
    expect(names.rows).toEqual([
      { person: "p1_name_b", display_name: "Jan Berg" },
      { person: "p1_name_m", display_name: null },
    ]);
  });
});

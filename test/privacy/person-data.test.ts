import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSubject } from "../../src/privacy/data-subject.ts";
import { deletePerson, planDeletion } from "../../src/privacy/person-delete.ts";
import { countsOf, exportPerson } from "../../src/privacy/person-export.ts";
import { ERASED_CREATOR, PERSONAL_DATA } from "../../src/privacy/personal-data.ts";
import type { Runtime } from "../../src/runtime.ts";
import { fixtureRuntime } from "../helpers.ts";
import { ANNA, BERND, type Seeded, seedTwoPeople, tableCounts } from "./two-people.ts";

let rt: Runtime;
let seeded: Seeded;
beforeAll(async () => {
  rt = await fixtureRuntime();
  seeded = await seedTwoPeople(rt);
}, 300_000);
afterAll(async () => {
  await rt?.close();
});

const NOW = new Date("2026-12-02T09:00:00Z");
const TABLES = PERSONAL_DATA.map((e) => e.table);

describe("export of one person's data (Art. 15 DSGVO)", () => {
  it("finds the person from either platform's id, across platforms linked by email, and nobody else", async () => {
    const fromSlack = await resolveSubject(rt, { userId: ANNA.slack });
    expect(fromSlack.subject.platform).toBe("slack");
    expect(new Set(fromSlack.subject.pseudonyms)).toEqual(
      new Set([seeded.annaSlack, seeded.annaTeams, seeded.annaPerson]),
    );
    // The Bot Framework id is read as the Entra object id from the stored reference.
    const fromBotId = await resolveSubject(rt, { userId: ANNA.teamsBot });
    expect(fromBotId.resolved).toBe(true);
    expect(fromBotId.subject.userId).toBe(ANNA.teams);
    expect(new Set(fromBotId.subject.pseudonyms)).toEqual(new Set(fromSlack.subject.pseudonyms));

    const x = await exportPerson(rt.db, fromSlack.subject, NOW);
    expect(countsOf(x)).toEqual({
      // Slack DM and Teams personal chat; the Teams channel whose reference names her as its last writer.
      conversation_refs: 3,
      // Her personal reminder's occurrence and her onboarding nudge (not the channel reminder's, not Bernd's).
      jobs: 2,
      reminders: 2,
      deadline_subscriptions: 1,
      onboarding_progress: 1,
      feedback: 1,
      conversation_turns: 3,
      user_notices: 2,
      person_links: 2,
      contacts: 0,
    });
    const text = JSON.stringify(x);
    expect(text).not.toContain(seeded.bernd);
    expect(text).not.toContain(BERND.slack);
    expect(text).not.toContain("Kita");
    expect(text).toContain("Die Energieklasse fehlt.");
    // Timestamps as ISO 8601.
    const turn = x.tables.conversation_turns?.rows[0] as Record<string, unknown>;
    expect(turn.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Object.keys(turn)).toEqual(expect.arrayContaining(["question", "user_pseudonym", "answer_kind"]));
  });

  it("gives an empty export for an id Lotse has never seen", async () => {
    const { subject } = await resolveSubject(rt, { userId: "U0NIEMAND9" });
    const x = await exportPerson(rt.db, subject, NOW);
    expect(Object.values(countsOf(x)).every((n) => n === 0)).toBe(true);
    expect(Object.keys(x.tables)).toEqual(TABLES);
  });

  it("refuses an id whose platform it cannot tell without --platform, in German", async () => {
    await expect(resolveSubject(rt, { userId: "anna.schulz" })).rejects.toThrow(
      /--platform slack oder --platform teams/,
    );
    const given = await resolveSubject(rt, { userId: "anna.schulz", platform: "teams" });
    expect(given.subject.platform).toBe("teams");
  });
});

describe("deletion of one person's data (Art. 17 DSGVO)", () => {
  it("deletes exactly her rows, keeps Bernd's, the aggregates and the channel's reminder without her", async () => {
    const { subject } = await resolveSubject(rt, { userId: ANNA.teams });
    const before = await tableCounts(rt, [...TABLES, "onboarding_stats"]);
    const plan = await planDeletion(rt.db, subject);
    // The dry run changes nothing.
    expect(await tableCounts(rt, [...TABLES, "onboarding_stats"])).toEqual(before);
    const done = await deletePerson(rt.db, subject);
    expect(done).toEqual(plan);
    const byTable = Object.fromEntries(done.tables.map((t) => [t.table, [t.deleted, t.anonymised]]));
    expect(byTable).toMatchObject({
      conversation_refs: [2, 1],
      jobs: [2, 0],
      reminders: [1, 1],
      deadline_subscriptions: [0, 1],
      onboarding_progress: [1, 0],
      feedback: [1, 0],
      conversation_turns: [3, 0],
      user_notices: [2, 0],
      person_links: [2, 0],
    });

    // Nothing of hers is left anywhere.
    const again = await exportPerson(rt.db, (await resolveSubject(rt, { userId: ANNA.slack })).subject, NOW);
    expect(Object.values(countsOf(again)).every((n) => n === 0)).toBe(true);
    for (const t of TABLES) {
      const dump = JSON.stringify((await rt.db.query(`SELECT * FROM ${t}`)).rows);
      for (const id of [
        seeded.annaSlack,
        seeded.annaTeams,
        seeded.annaPerson,
        ANNA.slack,
        ANNA.teams,
        ANNA.teamsBot,
      ])
        expect(dump, t).not.toContain(id);
    }
    // Bernd's rows and the aggregates are as they were.
    const bernd = await exportPerson(rt.db, (await resolveSubject(rt, { userId: BERND.slack })).subject, NOW);
    expect(countsOf(bernd)).toMatchObject({
      conversation_turns: 1,
      feedback: 1,
      user_notices: 1,
      onboarding_progress: 1,
      reminders: 1,
      jobs: 2,
      conversation_refs: 1,
    });
    const stats = await rt.db.query<{ n: number }>("SELECT sum(count)::int AS n FROM onboarding_stats");
    expect(stats.rows[0]?.n).toBe(3);
    // The channel's reminder goes on, its creator gone ("Eingerichtet über Lotse"), with its planned occurrence.
    const channel = await rt.db.query<Record<string, unknown>>(
      "SELECT status, creator_pseudonym, creator_name, creator_user_id FROM reminders WHERE reminder_id = $1",
      [seeded.annaChannel],
    );
    expect(channel.rows).toEqual([
      { status: "active", creator_pseudonym: ERASED_CREATOR, creator_name: null, creator_user_id: "" },
    ]);
    const channelJobs = await rt.db.query("SELECT 1 FROM jobs WHERE subject = $1 AND status = 'pending'", [
      `reminder:${seeded.annaChannel}`,
    ]);
    expect(channelJobs.rows).toHaveLength(1);
    const teamsChannel = await rt.db.query<{ reference: Record<string, unknown> }>(
      "SELECT reference FROM conversation_refs WHERE conversation_id = '19:klimaschutz@thread.tacv2'",
    );
    expect(teamsChannel.rows[0]?.reference.serviceUrl).toBe("https://smba.trafficmanager.net/emea/");
    expect(teamsChannel.rows[0]?.reference.user).toBeUndefined();
  });
});

import { planJobs } from "../../src/jobs/job-store.ts";
import type { Runtime } from "../../src/runtime.ts";

/**
 * Two people of Musterstadt with rows in every table of the registry. Anna Schulz uses Slack and Teams (linked by
 * her work email), Bernd Keller Slack only. Ids in the platforms' real forms.
 */
export const ANNA = {
  slack: "U0ANNA0001",
  teams: "3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c",
  teamsBot: "29:1AnnaBotFrameworkId-xYz",
  email: "anna.schulz@musterstadt.de",
};
export const BERND = { slack: "U0BERND002" };

export interface Seeded {
  annaSlack: string;
  annaTeams: string;
  annaPerson: string;
  bernd: string;
  /** Reminder ids. */
  annaPersonal: string;
  annaChannel: string;
  berndPersonal: string;
}

async function turn(rt: Runtime, platform: string, conversation: string, user: string, question: string) {
  await rt.db.query(
    `INSERT INTO conversation_turns (platform, conversation_id, tenant, user_pseudonym, question, resolved_question,
       answer_kind, doc_ids) VALUES ($1, $2, 'musterstadt', $3, $4, $4, 'answer', '{musterstadt/leitfaden-beschaffung}')`,
    [platform, conversation, user, question],
  );
}

async function reminder(
  rt: Runtime,
  r: {
    audience: string;
    platform: string;
    target: string;
    text: string;
    creator: string;
    userId: string;
    name: string;
  },
): Promise<string> {
  const row = await rt.db.query<{ id: string | number }>(
    `INSERT INTO reminders (tenant, status, audience, platform, target, origin_conversation, text, rrule, reading,
       creator_pseudonym, creator_name, creator_user_id)
     VALUES ('musterstadt', 'active', $1, $2, $3, $3, $4, 'DTSTART;TZID=Europe/Berlin:20270104T090000
RRULE:FREQ=MONTHLY;BYDAY=1MO', 'jeden ersten Montag im Monat um 9:00 Uhr', $5, $6, $7) RETURNING reminder_id AS id`,
    [r.audience, r.platform, r.target, r.text, r.creator, r.name, r.userId],
  );
  return String(row.rows[0]?.id);
}

/** Rows for both people in every registry table, and aggregates with nobody in them. */
export async function seedTwoPeople(rt: Runtime): Promise<Seeded> {
  const annaSlack = rt.pseudonyms.of("slack", ANNA.slack);
  const annaTeams = rt.pseudonyms.of("teams", ANNA.teams);
  const bernd = rt.pseudonyms.of("slack", BERND.slack);
  const annaPerson = await rt.people.link("musterstadt", "slack", annaSlack, ANNA.email);
  await rt.people.link("musterstadt", "teams", annaTeams, ANNA.email);

  await turn(
    rt,
    "slack",
    "D0ANNA0001",
    annaSlack,
    "Welche Kriterien gelten für die Beschaffung von Laptops?",
  );
  await turn(rt, "teams", "a:1AnnaPersonalChat", annaTeams, "Und für Monitore?");
  await turn(rt, "slack", "C0KLIMA001:1733130000.000100", annaSlack, "Wer prüft den Nachhaltigkeitscheck?");
  await turn(rt, "slack", "D0BERND002", bernd, "Wie melde ich den Energieverbrauch der Kita?");

  const ref = `INSERT INTO conversation_refs (platform, conversation_id, tenant, kind, reference)
               VALUES ($1, $2, 'musterstadt', $3, $4)`;
  await rt.db.query(ref, ["slack", "D0ANNA0001", "personal", JSON.stringify({ channel: "D0ANNA0001" })]);
  await rt.db.query(ref, ["slack", "D0BERND002", "personal", JSON.stringify({ channel: "D0BERND002" })]);
  await rt.db.query(ref, ["slack", "C0KLIMA001", "channel", JSON.stringify({ channel: "C0KLIMA001" })]);
  const teamsRef = (conversation: string, type: string) => ({
    serviceUrl: "https://smba.trafficmanager.net/emea/",
    channelId: "msteams",
    conversation: {
      id: conversation,
      conversationType: type,
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    },
    agent: { id: "28:lotse-bot" },
    user: { id: ANNA.teamsBot, aadObjectId: ANNA.teams },
  });
  await rt.db.query(ref, [
    "teams",
    "a:1AnnaPersonalChat",
    "personal",
    JSON.stringify(teamsRef("a:1AnnaPersonalChat", "personal")),
  ]);
  await rt.db.query(ref, [
    "teams",
    "19:klimaschutz@thread.tacv2",
    "channel",
    JSON.stringify(teamsRef("19:klimaschutz@thread.tacv2", "channel")),
  ]);

  const fb = `INSERT INTO feedback (tenant, platform, user_id, conversation_id, rating, question, doc_ids, reason, comment)
              VALUES ('musterstadt', $1, $2, $3, $4, $5, '{musterstadt/leitfaden-beschaffung}', $6, $7)`;
  await rt.db.query(fb, [
    "teams",
    annaTeams,
    "a:1AnnaPersonalChat",
    "down",
    "Und für Monitore?",
    "unvollstaendig",
    "Die Energieklasse fehlt.",
  ]);
  await rt.db.query(fb, [
    "slack",
    bernd,
    "D0BERND002",
    "up",
    "Wie melde ich den Energieverbrauch der Kita?",
    null,
    null,
  ]);

  const notice =
    "INSERT INTO user_notices (platform, user_pseudonym, notice) VALUES ($1, $2, 'ai-assistant')";
  await rt.db.query(notice, ["slack", annaSlack]);
  await rt.db.query(notice, ["teams", annaTeams]);
  await rt.db.query(notice, ["slack", bernd]);

  const progress = `INSERT INTO onboarding_progress (tenant, person, role, current_module, completed, status, platform,
                      notify_user_id) VALUES ('musterstadt', $1, $2, $3, $4, 'paused', $5, $6)`;
  await rt.db.query(progress, [
    annaPerson,
    "rolle-beschaffende",
    "musterstadt/modul-2",
    ["musterstadt/modul-1"],
    "teams",
    ANNA.teams,
  ]);
  await rt.db.query(progress, [bernd, null, "musterstadt/modul-1", [], "slack", BERND.slack]);
  await rt.db.query(
    `INSERT INTO onboarding_stats (tenant, item, metric, choice, correct, count) VALUES
     ('musterstadt', 'pfad:alle', 'started', '', NULL, 2), ('musterstadt', 'musterstadt/modul-1', 'answer', 'B', false, 1)`,
  );

  const annaPersonal = await reminder(rt, {
    audience: "personal",
    platform: "slack",
    target: ANNA.slack,
    text: "Reisekostenabrechnung mit CO₂-Angabe einreichen",
    creator: annaSlack,
    userId: ANNA.slack,
    name: "Anna Schulz",
  });
  const annaChannel = await reminder(rt, {
    audience: "channel",
    platform: "slack",
    target: "C0KLIMA001",
    text: "Klimaschutz-Indikatoren an die Stabsstelle melden",
    creator: annaSlack,
    userId: ANNA.slack,
    name: "Anna Schulz",
  });
  const berndPersonal = await reminder(rt, {
    audience: "personal",
    platform: "slack",
    target: BERND.slack,
    text: "Zählerstände der Kita ablesen",
    creator: bernd,
    userId: BERND.slack,
    name: "Bernd Keller",
  });
  await rt.db.query(
    `INSERT INTO deadline_subscriptions (tenant, platform, conversation_id, lead_days, creator_pseudonym)
     VALUES ('musterstadt', 'slack', 'C0KLIMA001', '{14,2}', $1)`,
    [annaSlack],
  );

  const due = new Date("2027-01-04T08:00:00Z");
  await planJobs(rt.db, [
    {
      kind: "reminder",
      key: `${annaPersonal}@${due.toISOString()}`,
      tenant: "musterstadt",
      subject: `reminder:${annaPersonal}`,
      lane: `slack:user:${annaSlack}`,
      dueAt: due,
    },
    {
      kind: "reminder",
      key: `${annaChannel}@${due.toISOString()}`,
      tenant: "musterstadt",
      subject: `reminder:${annaChannel}`,
      lane: "slack:C0KLIMA001",
      dueAt: due,
    },
    {
      kind: "reminder",
      key: `${berndPersonal}@${due.toISOString()}`,
      tenant: "musterstadt",
      subject: `reminder:${berndPersonal}`,
      lane: `slack:user:${bernd}`,
      dueAt: due,
    },
    {
      kind: "onboarding-nudge",
      key: `${annaPerson}@2026-12-09`,
      tenant: "musterstadt",
      subject: `onboarding:${annaPerson}`,
      lane: `teams:user:${annaTeams}`,
      dueAt: new Date("2026-12-09T08:00:00Z"),
      payload: { platform: "teams", userId: ANNA.teams },
    },
    {
      kind: "onboarding-nudge",
      key: `${bernd}@2026-12-09`,
      tenant: "musterstadt",
      subject: `onboarding:${bernd}`,
      lane: `slack:user:${bernd}`,
      dueAt: new Date("2026-12-09T08:00:00Z"),
      payload: { platform: "slack", userId: BERND.slack },
    },
  ]);
  return { annaSlack, annaTeams, annaPerson, bernd, annaPersonal, annaChannel, berndPersonal };
}

/** Rows per table, for "the other person's rows are untouched". */
export async function tableCounts(rt: Runtime, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await rt.db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${t}`);
    out[t] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

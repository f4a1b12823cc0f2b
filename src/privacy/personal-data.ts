/**
 * Whose data a request is about: the platform user as given (`userId` on `platform`), every pseudonym the person is
 * stored under (the platform pseudonym, the email pseudonym of a linked person, the linked pseudonyms of the other
 * platform), and optionally one tenant. Built by data-subject.ts.
 */
export interface DataSubject {
  platform: "slack" | "teams";
  userId: string;
  /** The person's platform ids Lotse has stored somewhere (the one asked for among them), each checked by its pseudonym. */
  ids: { slack: string[]; teams: string[] };
  pseudonyms: string[];
  tenant?: string;
}

/**
 * One table that holds data about a person. The texts are German (they fill the README's "Datenschutz" table and
 * the export). `match` is an SQL condition on the table (alias `t`) and the subject (alias `s`: `s.ps` text[] the
 * pseudonyms, `s.slack` and `s.teams` text[] the platform ids, `s.tenant` or NULL).
 */
export interface PersonalDataTable {
  table: string;
  /** Inhalt. */
  content: string;
  /** Zweck. */
  purpose: string;
  /** Speicherdauer. */
  retention: string;
  /** Wer sieht es. */
  visibleTo: string;
  /** The columns that name a person (pseudonyms; platform ids where a feature must keep them). */
  personColumns: string[];
  /** The tenant column, for --tenant; undefined: the table has none (it is per platform). */
  tenantColumn?: string;
  match: string;
  /** Export order. */
  orderBy: string;
  /** What `lotse privacy delete` does with the matched rows (in one transaction, in registry order). */
  erase: Erase;
}

/**
 * "delete": the rows go. "split": rows matching `deleteWhere` go; the others are updated with `anonymise` (an SQL SET
 * list) where given — they belong to a channel, not the person — and otherwise left (a job running right now).
 * "kept": nothing changes, for the reason given (the data comes from another source).
 */
export type Erase =
  | { kind: "delete" }
  | { kind: "split"; deleteWhere: string; anonymise?: string; why: string }
  | { kind: "kept"; reason: string };

/** The creator of a channel reminder or subscription after their data was deleted: nobody's pseudonym. */
export const ERASED_CREATOR = "geloescht";

/** The subject as an SQL `WITH s AS (…)` clause over $1 pseudonyms, $2 platform, $3 user id, $4 tenant. */
export const SUBJECT_CTE =
  "WITH s AS (SELECT $1::text[] AS ps, $2::text[] AS slack, $3::text[] AS teams, $4::text AS tenant)";

/** The parameters SUBJECT_CTE reads. */
export function subjectParams(d: DataSubject): unknown[] {
  return [d.pseudonyms, d.ids.slack, d.ids.teams, d.tenant ?? null];
}

/** A platform id column (with its platform column) holding one of the person's ids. */
function idOn(platform: string, id: string): string {
  return `((${platform} = 'slack' AND ${id} = ANY(s.slack)) OR (${platform} = 'teams' AND ${id} = ANY(s.teams)))`;
}

/** The full condition of a table: its match and, where it has a tenant column, the --tenant filter. */
export function conditionOf(e: PersonalDataTable): string {
  const tenant = e.tenantColumn ? ` AND (s.tenant IS NULL OR t.${e.tenantColumn} = s.tenant)` : "";
  return `(${e.match})${tenant}`;
}

/** A reminder (alias `alias`) of the person: created by them, or delivered to them personally. */
function reminderOfPerson(alias: string): string {
  return `(${alias}.creator_pseudonym = ANY(s.ps)
    OR ${idOn(`${alias}.platform`, `${alias}.creator_user_id`)}
    OR (${alias}.audience = 'personal' AND ${idOn(`${alias}.platform`, `${alias}.target`)}))`;
}

/**
 * Personal chats: named by the user's id (Slack actions), stored with the person's pseudonym, or — references stored
 * before that — the chats the person asked questions in.
 */
const PERSONAL_CHAT = `t.kind = 'personal' AND (${idOn("t.platform", "t.conversation_id")}
  OR t.user_pseudonym = ANY(s.ps)
  OR t.conversation_id IN (SELECT c.conversation_id FROM conversation_turns c
                           WHERE c.platform = t.platform AND c.user_pseudonym = ANY(s.ps)))`;
/** A Teams reference carries the ids of the user of the last activity (Bot Framework id and Entra object id). */
const REFERENCE_USER = `t.platform = 'teams'
  AND (t.reference->'user'->>'id' = ANY(s.teams) OR t.reference->'user'->>'aadObjectId' = ANY(s.teams))`;

/**
 * Every table with personal data, in the order `lotse privacy delete` works through them (conversation references
 * and jobs are found through turns and reminders, so they go first; the links last). A test checks that every table
 * of the migrations with a user, pseudonym, person or creator column is here, and that the README lists them all.
 */
export const PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: "conversation_refs",
    content:
      "Adresse einer Unterhaltung, in die Lotse später schreiben darf (Plattform-Referenz); bei Teams mit den Kennungen der Person der letzten Nachricht, bei Slack-Direktnachrichten die Kanal- oder Nutzerkennung; bei persönlichen Chats das Pseudonym der Person (bei vor dieser Version gespeicherten erst ab ihrer nächsten Nachricht: bis dahin findet Auskunft und Löschung einen solchen Chat nur über gestellte Fragen)",
    purpose: "Erinnerungen, Fristhinweise und Onboarding-Nachrichten zustellen",
    retention:
      "solange Lotse die Unterhaltung bedient; bei jeder Nachricht erneuert; persönliche Chats mit der Löschung der Person",
    visibleTo: "niemand in Lotse; nur der Betrieb (Datenbank)",
    personColumns: [
      "conversation_id (persönlicher Chat)",
      "user_pseudonym (persönlicher Chat)",
      "reference (user.id, user.aadObjectId)",
    ],
    tenantColumn: "tenant",
    match: `(${PERSONAL_CHAT}) OR (${REFERENCE_USER})`,
    orderBy: "t.updated_at",
    erase: {
      kind: "split",
      deleteWhere: "t.kind = 'personal'",
      anonymise: "reference = t.reference - 'user'",
      why: "Der persönliche Chat geht; bei Kanälen bleibt die Adresse für deren Erinnerungen, ohne die Kennungen der Person",
    },
  },
  {
    table: "jobs",
    content:
      "Geplante Zustellungen an die Person (persönliche Erinnerungen, Onboarding-Hinweise): Zeitpunkt, Status, Ergebniscode; die Person nur als Pseudonym in der Taktung (lane) oder, wo ein Dienst sie braucht, im Auftrag (payload)",
    purpose: "Zustellung zur richtigen Zeit, genau einmal über alle Instanzen",
    retention:
      "bis zur Zustellung; erledigte Erinnerungen als Verlauf der Erinnerung, bis sie gelöscht wird; erledigte Onboarding-Hinweise bis zur Aufbewahrungsfrist",
    visibleTo: "niemand in Lotse; der Betrieb (Datenbank, `lotse reminders list`)",
    personColumns: ["lane", "subject", "job_key", "payload"],
    tenantColumn: "tenant",
    match: `t.kind <> 'retention' AND (
      t.subject IN (SELECT 'reminder:' || r.reminder_id FROM reminders r
                    WHERE r.audience = 'personal' AND ${reminderOfPerson("r")})
      OR EXISTS (SELECT 1 FROM unnest(s.ps) p
                 WHERE t.lane IN ('slack:user:' || p, 'teams:user:' || p)
                    OR strpos(t.job_key, p) > 0 OR strpos(coalesce(t.subject, ''), p) > 0
                    OR strpos(t.payload::text, p) > 0)
      OR EXISTS (SELECT 1 FROM unnest(s.slack || s.teams) u WHERE strpos(t.payload::text, '"' || u || '"') > 0))`,
    orderBy: "t.due_at",
    erase: {
      kind: "split",
      deleteWhere: "t.status <> 'running'",
      why: "Geplante Zustellungen werden damit abgesagt; eine gerade laufende findet die Daten nicht mehr",
    },
  },
  {
    table: "reminders",
    content:
      "Erinnerungen: Text, Zeitplan, Zielunterhaltung; Pseudonym, Anzeigename und Plattform-Kennung der Person, die sie eingerichtet hat (bei persönlichen Erinnerungen zugleich das Ziel)",
    purpose:
      "Zustellung (persönlich an die Kennung), „Eingerichtet von …“ bei jeder Zustellung, Nachricht an die einrichtende Person, wenn der Kanal nicht mehr erreichbar ist",
    retention: "bis die Erinnerung gelöscht wird; unbestätigte Entwürfe einen Tag",
    visibleTo:
      "persönliche: nur die Person selbst; Kanal-Erinnerungen: die Mitglieder des Kanals (Text, Name der einrichtenden Person)",
    personColumns: ["creator_pseudonym", "creator_user_id", "creator_name", "target (persönlich)"],
    tenantColumn: "tenant",
    match: reminderOfPerson("t"),
    orderBy: "t.created_at, t.reminder_id",
    erase: {
      kind: "split",
      deleteWhere: "t.audience = 'personal' OR t.status = 'draft'",
      anonymise: `creator_pseudonym = '${ERASED_CREATOR}', creator_user_id = '', creator_name = NULL, updated_at = now()`,
      why: "Persönliche Erinnerungen und Entwürfe gehen; Kanal-Erinnerungen gehören dem Kanal und bleiben, ohne die Person („Eingerichtet über Lotse“)",
    },
  },
  {
    table: "deadline_subscriptions",
    content:
      "Kanäle, die alle Fristen der Kommune angekündigt bekommen; Pseudonym der Person, die das eingerichtet hat",
    purpose: "Fristhinweise in den Kanal; wer es eingerichtet hat, für Rückfragen des Betriebs",
    retention: "bis das Abonnement beendet wird",
    visibleTo: "die Mitglieder des Kanals (das Abonnement, nicht wer es eingerichtet hat)",
    personColumns: ["creator_pseudonym"],
    tenantColumn: "tenant",
    match: "t.creator_pseudonym = ANY(s.ps)",
    orderBy: "t.created_at",
    erase: {
      kind: "split",
      deleteWhere: "false",
      anonymise: `creator_pseudonym = '${ERASED_CREATOR}'`,
      why: "Das Abonnement gehört dem Kanal und bleibt, ohne die Person",
    },
  },
  {
    table: "onboarding_progress",
    content:
      "Stand im Onboarding: gewählte Rolle, aktuelles und abgeschlossene Module, Status, Erinnerungswunsch; die Plattform-Kennung nur, solange ein Hinweis geschickt werden darf; der Name nur, solange die Kommune die Auswertung je Person eingeschaltet hat (sonst löscht ihn der tägliche Auftrag)",
    purpose:
      "dort weitermachen, wo die Person aufgehört hat (auch auf der anderen Plattform); „Später fortsetzen“",
    retention:
      "ein Jahr nach dem letzten Schritt (täglicher Aufräumauftrag) oder bis zur Löschung auf Antrag; die Kennung wird mit „Keine Erinnerungen mehr“ und beim Abschluss geleert",
    visibleTo:
      "die Person selbst; Koordination nur zusammengefasst (`onboarding_stats`), je Person nur wenn die Kommune es mit Zustimmung des Personalrats einschaltet",
    personColumns: ["person", "notify_user_id", "display_name"],
    tenantColumn: "tenant",
    match: `t.person = ANY(s.ps) OR ${idOn("t.platform", "t.notify_user_id")}`,
    orderBy: "t.started_at",
    erase: { kind: "delete" },
  },
  {
    table: "feedback",
    content:
      "👍/👎 zu einer Antwort: Bewertung, Grund, zitierte Dokumente, Frage und Kommentar (Freitext), Pseudonym",
    purpose: "Qualität der Antworten und Wissenslücken erkennen (Lückenbericht)",
    retention:
      "Aufbewahrungsfrist (Standard 30 Tage, je Kommune einstellbar); danach bleiben nur Bewertung, Grund und Dokumente, ohne Frage, Kommentar, Pseudonym und Unterhaltung",
    visibleTo:
      "Koordination und Betrieb im Lückenbericht (`lotse report gaps`: Wortlaute und Kommentare, keine Namen); der wöchentliche Digest im Kanal der Koordination zeigt Wortlaute von Fragen, nie Kommentare",
    personColumns: ["user_id (Pseudonym)"],
    tenantColumn: "tenant",
    match: "t.user_id = ANY(s.ps)",
    orderBy: "t.created_at, t.feedback_id",
    erase: { kind: "delete" },
  },
  {
    table: "conversation_turns",
    content:
      "Gestellte Fragen (Wortlaut und wie sie verstanden wurden), Antwortart, zitierte Dokumente, Pseudonym",
    purpose: "Nachfragen im Zusammenhang verstehen („und für Busse?“); Lückenbericht",
    retention: "Aufbewahrungsfrist (Standard 30 Tage, je Kommune einstellbar), dann gelöscht",
    visibleTo:
      "niemand in Lotse; unbeantwortete Fragen als Wortlaute ohne Namen im Lückenbericht und im wöchentlichen Digest (Mitglieder des Kanals der Koordination)",
    personColumns: ["user_pseudonym"],
    tenantColumn: "tenant",
    match: "t.user_pseudonym = ANY(s.ps)",
    orderBy: "t.created_at, t.turn_id",
    erase: { kind: "delete" },
  },
  {
    table: "user_notices",
    content:
      "Dass die Person den Hinweis „automatisierter Assistent“ gesehen und (Slack) die persönliche Begrüßung bekommen hat (Pseudonym, Zeitpunkt)",
    purpose:
      "den Hinweis nach EU-KI-Verordnung Art. 50 Abs. 1 einmal zeigen, nicht bei jeder Antwort; eine Begrüßung, auch wenn Slack den Beitritt zum Arbeitsbereich und zu einem Kanal zugleich meldet",
    retention: "ein Jahr oder bis zur Löschung auf Antrag (danach erscheint der Hinweis einmal wieder)",
    visibleTo: "niemand",
    personColumns: ["user_pseudonym"],
    match: "t.user_pseudonym = ANY(s.ps)",
    orderBy: "t.shown_at",
    erase: { kind: "delete" },
  },
  {
    table: "person_links",
    content:
      "Verknüpfung des Pseudonyms einer Plattform mit dem Pseudonym der dienstlichen E-Mail-Adresse (nie die Adresse selbst)",
    purpose: "Onboarding-Fortschritt folgt der Person von Slack zu Teams derselben Kommune",
    retention:
      "ein Jahr nach dem letzten Beitritt oder der letzten Verknüpfung, solange kein Onboarding-Stand der Person besteht, oder bis zur Löschung auf Antrag",
    visibleTo: "niemand",
    personColumns: ["user_pseudonym", "person"],
    tenantColumn: "tenant",
    match: "t.user_pseudonym = ANY(s.ps) OR t.person = ANY(s.ps)",
    orderBy: "t.linked_at",
    erase: { kind: "delete" },
  },
  {
    table: "contacts",
    content:
      "Ansprechpersonen der Kommune je Rolle: Name, Stelle, E-Mail, Telefon, Teams-Anmeldename, Slack-Kennung",
    purpose: "Antworten nennen, an wen man sich wendet",
    retention:
      "solange sie in der Wissensbasis stehen (`knowledge/<kommune>/contacts.yaml`, bei jedem Einlesen neu)",
    visibleTo: "alle Beschäftigten der Kommune, die Lotse fragen",
    personColumns: ["name", "email", "phone", "teams_upn", "slack_user_id"],
    tenantColumn: "tenant",
    match: "t.slack_user_id = ANY(s.slack)",
    orderBy: "t.role",
    erase: {
      kind: "kept",
      reason:
        "Ansprechpersonen stammen aus der Wissensbasis: in knowledge/<kommune>/contacts.yaml ändern und `lotse ingest` ausführen",
    },
  },
];

/** Aggregates with nobody in them: kept by delete and by retention (named in the output so nobody wonders). */
export const AGGREGATES: readonly string[] = ["onboarding_stats"];

import type { Queryable } from "../../src/db/database.ts";

/** Contacts of Musterstadt as roles.yaml and contacts.yaml would give them, with the topics the report matches. */
export async function insertContacts(db: Queryable): Promise<void> {
  const rows: [string, string, string, string[]][] = [
    ["nachhaltigkeit", "Nachhaltigkeitskoordination", "Dr. Anna Grün", []],
    ["personalabteilung", "Personalabteilung", "Team Personal", ["Homeoffice", "Jobticket", "Reisekosten"]],
    ["fuhrpark", "Fuhrparkmanagement", "Jonas Rad", ["Dienstfahrrad", "Ladesäule", "Poolfahrzeug"]],
  ];
  for (const [role, label, name, topics] of rows)
    await db.query(
      "INSERT INTO contacts (tenant, role, label, name, topics) VALUES ('musterstadt', $1, $2, $3, $4)",
      [role, label, name, topics],
    );
}

let conv = 0;
/** A turn as the core records it (pseudonymised user), backdated. */
export async function insertTurn(
  db: Queryable,
  t: { question: string; at: string; kind?: string; tenant?: string; resolved?: string },
): Promise<void> {
  conv++;
  await db.query(
    `INSERT INTO conversation_turns (platform, conversation_id, tenant, user_pseudonym, question, resolved_question,
       answer_kind, doc_ids, created_at) VALUES ('slack', $1, $2, 'p-3f9a1c', $3, $4, $5, '{}', $6)`,
    [
      `D0GAP${conv}`,
      t.tenant ?? "musterstadt",
      t.question,
      t.resolved ?? t.question,
      t.kind ?? "no_answer",
      t.at,
    ],
  );
}

/** A rating as the feedback feature stores it. */
export async function insertFeedback(
  db: Queryable,
  f: {
    question: string;
    at: string;
    rating?: "up" | "down";
    docIds?: string[];
    reason?: string;
    comment?: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO feedback (tenant, platform, user_id, conversation_id, rating, question, doc_ids, reason, comment, created_at)
     VALUES ('musterstadt', 'teams', 'p-7c21de', '19:abc@thread.tacv2', $1, $2, $3, $4, $5, $6)`,
    [f.rating ?? "down", f.question, f.docIds ?? [], f.reason ?? null, f.comment ?? null, f.at],
  );
}

/** A document row (what the report reads of it: the title of a cited document). */
export async function insertDocument(db: Queryable, docId: string, title: string): Promise<void> {
  await db.query(
    `INSERT INTO documents (doc_id, tenant, type, title, source_path, content_hash)
     VALUES ($1, 'musterstadt', 'guidance', $2, $3, 'h')`,
    [docId, title, `musterstadt/${docId}.md`],
  );
}

/** A week of gaps in Musterstadt (23–29 November 2026), plus rows the report must leave out. */
export async function insertWeek(db: Queryable): Promise<void> {
  await insertTurn(db, { question: "Wie hoch ist der Zuschuss zum Jobticket?", at: "2026-11-24T09:12:00Z" });
  await insertTurn(db, {
    question: "Jobticket beantragen – wo finde ich das Formular?",
    at: "2026-11-25T13:40:00Z",
  });
  await insertTurn(db, { question: "Job-Ticket Zuschuß auch für Azubis?", at: "2026-11-27T07:05:00Z" });
  await insertTurn(db, {
    question: "Bekomme ich die Stromkosten im Homeoffice erstattet?",
    at: "2026-11-26T10:00:00Z",
  });
  await insertTurn(db, { question: "Wer zahlt meinen Strom im Homeoffice?", at: "2026-11-28T10:00:00Z" });
  // A follow-up: grouped as answered, completed with the turn before.
  await insertTurn(db, {
    question: "und die Heizkosten?",
    resolved: "Bekomme ich die Heizkosten im Homeoffice erstattet?",
    at: "2026-11-28T10:02:00Z",
  });
  await insertDocument(db, "kantine-speiseplan", "Speiseplan der Rathauskantine");
  await insertFeedback(db, {
    question: "Gibt es in der Kantine auch vegetarisches Essen?",
    at: "2026-11-24T11:30:00Z",
    docIds: ["kantine-speiseplan"],
    reason: "veraltet",
    comment: "Der Speiseplan ist von 2023, Frau Beispiel weiß mehr.",
  });
  await insertFeedback(db, {
    question: "Warum gibts in der Kantine so wenig vegetarische Gerichte?",
    at: "2026-11-26T11:45:00Z",
    docIds: ["kantine-speiseplan"],
    reason: "unvollstaendig",
  });
  // Left out: an answered turn, a 👍, another tenant's gap, a gap before the week.
  await insertTurn(db, {
    question: "Welche Kriterien gelten für Laptops?",
    at: "2026-11-25T08:00:00Z",
    kind: "answer",
  });
  await insertFeedback(db, { question: "Was gilt für Monitore?", at: "2026-11-25T08:10:00Z", rating: "up" });
  await insertTurn(db, {
    question: "Jobticket für Otherstadt?",
    at: "2026-11-25T08:00:00Z",
    tenant: "otherstadt",
  });
  await insertTurn(db, { question: "Gibt es ein Jobticket für Praktikanten?", at: "2026-10-20T08:00:00Z" });
  // A 👎 whose question text the retention job has already deleted.
  await insertFeedback(db, { question: "", at: "2026-11-23T09:00:00Z", reason: "falsch" });
}

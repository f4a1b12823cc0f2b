import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { gapCard } from "../../src/gaps/gap-card.ts";
import { GapReport } from "../../src/gaps/gap-report.ts";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.ts";
import { ROOT } from "../helpers.ts";
import { insertContacts, insertFeedback, insertWeek } from "./gap-fixtures.ts";

let db: Database;
let templates: Templates;
let report: GapReport;
beforeAll(async () => {
  db = await openPglite(":memory:");
  await migrate(db);
  await insertContacts(db);
  await insertWeek(db);
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
  report = new GapReport({
    db,
    embedder: new HashedNgramEmbedder(),
    defaultContactRole: "nachhaltigkeit",
    retentionDays: () => 30,
  });
});
afterAll(async () => {
  await db.close();
});

const WEEK = { since: new Date("2026-11-23T00:00:00+01:00"), until: new Date("2026-11-30T00:00:00+01:00") };

describe("the gap report", () => {
  it("groups the period's unanswered and voted-down questions, largest first, with the role whose topics match", async () => {
    const r = await report.build("musterstadt", WEEK);
    expect(r).toMatchObject({ questions: 8, noAnswer: 6, downvoted: 2, withoutText: 1, retentionDays: 30 });
    expect(r.groups.map((g) => g.count)).toEqual([3, 3, 2]);
    const ticket = r.groups.find((g) => g.terms.includes("Jobticket"));
    expect(ticket).toMatchObject({ count: 3, noAnswer: 3, downvoted: 0, documents: [], reasons: {} });
    expect(ticket?.suggested).toEqual({
      role: "personalabteilung",
      label: "Personalabteilung",
      matched: true,
    });
    expect(ticket?.firstSeen.toISOString()).toBe("2026-11-24T09:12:00.000Z");
    expect(ticket?.lastSeen.toISOString()).toBe("2026-11-27T07:05:00.000Z");
    expect(ticket?.examples).toHaveLength(3);
    // The follow-up is grouped as it was answered: with the other Homeoffice questions.
    const home = r.groups.find((g) => g.terms.includes("Homeoffice"));
    expect(home?.examples).toContain("Bekomme ich die Heizkosten im Homeoffice erstattet?");
    const kantine = r.groups.find((g) => g.terms.includes("Kantine"));
    expect(kantine).toMatchObject({
      count: 2,
      noAnswer: 0,
      downvoted: 2,
      reasons: { veraltet: 1, unvollstaendig: 1 },
      documents: [{ docId: "kantine-speiseplan", title: "Speiseplan der Rathauskantine", count: 2 }],
      comments: ["Der Speiseplan ist von 2023, Frau Beispiel weiß mehr."],
    });
    // No role answers for the canteen: the default contact role, said so.
    expect(kantine?.suggested).toEqual({
      role: "nachhaltigkeit",
      label: "Nachhaltigkeitskoordination",
      matched: false,
    });
  });

  it("covers only the period asked for and the tenant asked for", async () => {
    const october = await report.build("musterstadt", {
      since: new Date("2026-10-01T00:00:00Z"),
      until: new Date("2026-11-01T00:00:00Z"),
    });
    expect(october.questions).toBe(1);
    expect(october.groups[0]?.examples).toEqual(["Gibt es ein Jobticket für Praktikanten?"]);
    const other = await report.build("otherstadt", WEEK);
    expect(other.groups.map((g) => g.examples)).toEqual([["Jobticket für Otherstadt?"]]);
    const empty = await report.build("musterstadt", {
      since: new Date("2026-12-01T00:00:00Z"),
      until: new Date("2026-12-02T00:00:00Z"),
    });
    expect(empty).toMatchObject({ questions: 0, groups: [] });
  });

  it("counts a 👎 on the no-answer reply to an unanswered question once", async () => {
    const one = await openPglite(":memory:");
    try {
      await migrate(one);
      const { insertTurn } = await import("./gap-fixtures.ts");
      await insertTurn(one, { question: "Gibt es Wasserspender im Rathaus?", at: "2026-11-24T09:00:00Z" });
      await insertFeedback(one, {
        question: "Gibt es Wasserspender im Rathaus?",
        at: "2026-11-24T09:01:00Z",
        reason: "nicht-meine-frage",
      });
      const r = await new GapReport({
        db: one,
        embedder: new HashedNgramEmbedder(),
        defaultContactRole: "nachhaltigkeit",
        retentionDays: () => 30,
      }).build("musterstadt", WEEK);
      expect(r).toMatchObject({ questions: 1, noAnswer: 1, downvoted: 1 });
      expect(r.groups[0]?.reasons).toEqual({ "nicht-meine-frage": 1 });
    } finally {
      await one.close();
    }
  });

  it("renders a card for coordinators: totals, groups with examples and suggested author, comments only in the CLI report", async () => {
    const r = await report.build("musterstadt", WEEK);
    const digest = gapCard(r, templates, { digest: true });
    const text = JSON.stringify(digest);
    expect(digest.title).toBe("Wissenslücken der Woche");
    expect(digest.sections[0]?.facts).toEqual([
      { label: "Zeitraum", value: "23.11.2026 bis 29.11.2026" },
      { label: "Ohne Antwort", value: "6" },
      { label: "Mit 👎 bewertet", value: "2" },
      { label: "Themen", value: "3" },
      { label: "👎 ohne Fragetext (schon gelöscht)", value: "1" },
    ]);
    expect(digest.sections[0]?.text).toContain("nach 30 Tagen gelöscht");
    expect(text).toContain("„Wie hoch ist der Zuschuss zum Jobticket?“");
    expect(text).toContain('"label":"Ergänzen könnte","value":"Personalabteilung"');
    expect(text).toContain("veraltet 1, unvollständig 1");
    expect(text).toContain("Speiseplan der Rathauskantine (2×)");
    // Free text might name people: never in the channel.
    expect(text).not.toContain("Frau Beispiel");
    expect(JSON.stringify(gapCard(r, templates, { digest: true, comments: true }))).not.toContain(
      "Frau Beispiel",
    );
    const cli = gapCard(r, templates, { digest: false, comments: true });
    expect(cli.title).toBe("Wissenslücken: Fragen ohne gute Antwort");
    expect(JSON.stringify(cli)).toContain("Frau Beispiel");
  });
});

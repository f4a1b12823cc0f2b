import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import { silentLogger } from "../../../src/log.ts";
import { createRuntime } from "../../../src/runtime.ts";
import { insertFeedback, insertTurn } from "../../gaps/gap-fixtures.ts";
import { ROOT, testConfig } from "../../helpers.ts";
import { type Run, runLotse } from "./run-lotse.ts";

const RICHTLINIE = "musterstadt-dienstreiserichtlinie";
const COMMENT = "Seit Oktober gilt die neue Reiserichtlinie, fragen Sie Frau Beispiel im Personalamt.";

let dir: string;
let config: Config;
beforeAll(async () => {
  // A data directory the commands open after the seed closed it (each command opens its own runtime).
  dir = await mkdtemp(path.join(tmpdir(), "lotse-gaps-"));
  const env = {
    LOTSE_DATA_DIR: path.join(dir, "data"),
    // The bundled knowledge: Musterstadt's roles with their topics and the travel policy a 👎 cites.
    LOTSE_KNOWLEDGE_DIR: path.join(ROOT, "knowledge"),
    // A second tenant, known through the tenant map, that has no gaps of its own.
    LOTSE_TENANT_MAP: "slack:T0BEISPIEL=beispielkreis",
  };
  const rt = await createRuntime(testConfig(env), silentLogger, { autoIngest: true });
  try {
    // How staff ask when Lotse has no answer: Homeoffice costs, the job ticket.
    await insertTurn(rt.db, {
      question: "Bekomme ich die Stromkosten im Homeoffice erstattet?",
      at: "2026-11-24T08:15:00Z",
    });
    await insertTurn(rt.db, {
      question: "Wer zahlt eigentlich meinen Strom im Homeoffice?",
      at: "2026-11-25T12:30:00Z",
    });
    await insertTurn(rt.db, {
      question: "Gibts fürs Homeoffice nen Zuschuss für Strom und Internet?",
      at: "2026-11-27T07:50:00Z",
    });
    await insertTurn(rt.db, {
      question: "Wie hoch ist der Zuschuss zum Jobticket?",
      at: "2026-11-20T09:00:00Z",
    });
    await insertTurn(rt.db, {
      question: "Jobticket beantragen – wo finde ich das Formular?",
      at: "2026-11-26T13:40:00Z",
    });
    // Before the default 30 days: only with an earlier --since.
    await insertTurn(rt.db, { question: "Gibt es ein Jobticket für Azubis?", at: "2026-10-05T10:00:00Z" });
    // Two answers from the travel policy voted down, one with a comment naming a colleague.
    await insertFeedback(rt.db, {
      question: "Darf ich für die Dienstreise nach München fliegen?",
      at: "2026-11-23T10:00:00Z",
      docIds: [RICHTLINIE],
      reason: "veraltet",
      comment: COMMENT,
    });
    await insertFeedback(rt.db, {
      question: "Muss ich für Dienstreisen immer mit der Bahn fahren?",
      at: "2026-11-30T14:00:00Z",
      docIds: [RICHTLINIE],
      reason: "unvollstaendig",
    });
    // Left out: an answered question and a 👍.
    await insertTurn(rt.db, {
      question: "Welche Kriterien gelten für Laptops?",
      at: "2026-11-25T08:00:00Z",
      kind: "answer",
    });
    await insertFeedback(rt.db, {
      question: "Was gilt für Monitore?",
      at: "2026-11-25T08:10:00Z",
      rating: "up",
    });
  } finally {
    await rt.close();
  }
  config = testConfig({ ...env, LOTSE_AUTO_INGEST: "false" });
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `lotse report gaps …` as bin/lotse runs it (runCli: the real program, its exit codes). */
async function lotse(argv: string[]): Promise<Run> {
  return runLotse(argv, { config, now: new Date("2026-12-02T09:00:00Z") });
}

const WORDINGS = [
  "Wer zahlt eigentlich meinen Strom im Homeoffice?",
  "Jobticket beantragen – wo finde ich das Formular?",
  "Darf ich für die Dienstreise nach München fliegen?",
];

type GroupJson = {
  terms: string[];
  count: number;
  noAnswer: number;
  downvoted: number;
  examples: string[];
  documents: { docId: string; title: string | null; count: number }[];
  reasons: Record<string, number>;
  suggested: { role: string; label: string; matched: boolean };
  comments: string[];
};
const json = (r: Run) => JSON.parse(r.stdout) as Record<string, unknown> & { groups: GroupJson[] };
const byTerm = (groups: GroupJson[], term: string) => groups.find((g) => g.terms.includes(term));

// Each command opens its own runtime on the data directory (several seconds each on a busy machine).
describe("lotse report gaps", { timeout: 180_000 }, () => {
  it("prints the last 30 days' gaps for a terminal: grouped, counted, with wordings, documents, reasons, author and comments", async () => {
    const r = await lotse(["report", "gaps", "--tenant", "musterstadt"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Wissenslücken: Fragen ohne gute Antwort – musterstadt");
    expect(lines).toContain("  Zeitraum:        2.11.2026 bis 2.12.2026");
    expect(lines).toContain("  Ohne Antwort:    5");
    // The emoji takes two columns: the values stay aligned in a terminal.
    expect(lines).toContain("  Mit 👎 bewertet: 2");
    expect(lines).toContain("  Themen:          3");
    // Largest group first; a heading per group with its count.
    const headings = lines.filter((l) => /^\S.* \(\d+×\)$/.test(l));
    expect(headings).toHaveLength(3);
    expect(headings[0]).toMatch(/^Homeoffice · Strom\b.* \(3×\)$/);
    expect(headings.slice(1).sort()).toEqual([
      expect.stringMatching(/^Dienstreise · Bahn\b.* \(2×\)$/),
      expect.stringMatching(/^Jobticket\b.* \(2×\)$/),
    ]);
    const block = (heading: string | undefined) => {
      const from = lines.indexOf(heading ?? "");
      const to = lines.indexOf("", from);
      return lines.slice(from, to);
    };
    const home = block(headings[0]);
    expect(home).toContain("  „Bekomme ich die Stromkosten im Homeoffice erstattet?“");
    expect(home).toContain("  Art:             3 ohne Antwort, 0 mit 👎");
    expect(home).toContain("  Gefragt:         24.11.2026 bis 27.11.2026");
    // Homeoffice is a topic of the Personalabteilung in roles.yaml.
    expect(home).toContain("  Ergänzen könnte: Personalabteilung");
    const travel = block(headings.find((h) => h.startsWith("Dienstreise")));
    expect(travel).toEqual(
      expect.arrayContaining([
        "  „Darf ich für die Dienstreise nach München fliegen?“",
        "  „Muss ich für Dienstreisen immer mit der Bahn fahren?“",
        "  Art:                0 ohne Antwort, 2 mit 👎",
        "  Gründe für 👎:      veraltet 1, unvollständig 1",
        "  Zitierte Dokumente: Regel Musterstadt: Dienstreiserichtlinie – Bahn vor Flug (2×)",
        "  Ergänzen könnte:    Nachhaltigkeitskoordination (kein Thema einer Stelle erkannt)",
      ]),
    );
    // The comment is shown to the coordinator here, under its group (never in the channel digest).
    const comments = lines.indexOf("Kommentare zu 👎");
    expect(comments).toBe(
      lines.indexOf("", lines.indexOf(headings.find((h) => h.startsWith("Dienstreise")) ?? "")) + 1,
    );
    expect(lines[comments + 1]).toBe(`  „${COMMENT}“`);
    // Not gaps: the answered question, the 👍; outside the 30 days: October's question.
    expect(r.stdout).not.toContain("Laptops");
    expect(r.stdout).not.toContain("Monitore");
    expect(r.stdout).not.toContain("Azubis");
  });

  it("prints the report structure as JSON (--json)", async () => {
    const r = await lotse(["report", "gaps", "--tenant", "musterstadt", "--json"]);
    expect(r.code).toBe(0);
    const j = json(r);
    expect(Object.keys(j)).toEqual([
      "tenant",
      "since",
      "until",
      "retentionDays",
      "questions",
      "noAnswer",
      "downvoted",
      "withoutText",
      "truncated",
      "groups",
    ]);
    expect(j).toMatchObject({
      tenant: "musterstadt",
      since: "2026-11-02T10:00:00+01:00",
      until: "2026-12-02T10:00:00+01:00",
      retentionDays: 30,
      questions: 7,
      noAnswer: 5,
      downvoted: 2,
      withoutText: 0,
      truncated: false,
    });
    expect(j.groups.map((g) => g.count)).toEqual([3, 2, 2]);
    expect(Object.keys(j.groups[0] ?? {})).toEqual([
      "terms",
      "count",
      "noAnswer",
      "downvoted",
      "examples",
      "documents",
      "reasons",
      "firstSeen",
      "lastSeen",
      "suggested",
      "comments",
    ]);
    expect(byTerm(j.groups, "Homeoffice")).toMatchObject({
      count: 3,
      noAnswer: 3,
      downvoted: 0,
      documents: [],
      reasons: {},
      firstSeen: "2026-11-24T09:15:00+01:00",
      lastSeen: "2026-11-27T08:50:00+01:00",
      suggested: { role: "personalabteilung", label: "Personalabteilung", matched: true },
      comments: [],
    });
    expect(byTerm(j.groups, "Homeoffice")?.examples).toHaveLength(3);
    expect(byTerm(j.groups, "Dienstreise")).toMatchObject({
      count: 2,
      noAnswer: 0,
      downvoted: 2,
      documents: [
        { docId: RICHTLINIE, title: "Regel Musterstadt: Dienstreiserichtlinie – Bahn vor Flug", count: 2 },
      ],
      reasons: { veraltet: 1, unvollstaendig: 1 },
      suggested: { role: "nachhaltigkeit", label: "Nachhaltigkeitskoordination", matched: false },
      comments: [COMMENT],
    });
    expect(byTerm(j.groups, "Jobticket")?.examples.sort()).toEqual([
      "Jobticket beantragen – wo finde ich das Formular?",
      "Wie hoch ist der Zuschuss zum Jobticket?",
    ]);
  });

  it("covers what was asked from the day --since names (Berlin time)", async () => {
    const late = json(await lotse(["report", "gaps", "--since", "2026-11-25", "--json"]));
    expect(late).toMatchObject({
      tenant: "musterstadt",
      since: "2026-11-25T00:00:00+01:00",
      questions: 4,
      noAnswer: 3,
      downvoted: 1,
    });
    expect(byTerm(late.groups, "Homeoffice")?.count).toBe(2);
    expect(late.groups.flatMap((g) => g.examples)).not.toContain(
      "Bekomme ich die Stromkosten im Homeoffice erstattet?",
    );
    expect(late.groups.flatMap((g) => g.comments)).toEqual([]);
    const early = json(await lotse(["report", "gaps", "--since", "2026-10-01", "--json"]));
    expect(early).toMatchObject({ questions: 8, noAnswer: 6, downvoted: 2 });
    expect(early.groups.flatMap((g) => g.examples)).toContain("Gibt es ein Jobticket für Azubis?");
    const text = await lotse(["report", "gaps", "--since", "2026-11-25"]);
    expect(text.stdout).toContain("  Zeitraum:        25.11.2026 bis 2.12.2026");
  });

  it("shows nothing of Musterstadt for another tenant", async () => {
    const r = await lotse(["report", "gaps", "--tenant", "beispielkreis"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("Wissenslücken: Fragen ohne gute Antwort – beispielkreis");
    expect(r.stdout).toContain("Keine Fragen ohne Antwort und kein 👎 in diesem Zeitraum.");
    for (const w of [...WORDINGS, COMMENT]) expect(r.stdout).not.toContain(w);
    const j = json(await lotse(["report", "gaps", "--tenant", "beispielkreis", "--json"]));
    expect(j).toMatchObject({ tenant: "beispielkreis", questions: 0, noAnswer: 0, downvoted: 0, groups: [] });
  });

  it("refuses an unreadable or future date and an unknown tenant as wrong input (exit 2), in German", async () => {
    const d = await lotse(["report", "gaps", "--since", "2026-02-30"]);
    expect(d.code).toBe(2);
    expect(d.stdout).toBe("");
    expect(d.stderr).toContain(
      "Fehler: ungültiger Wert „2026-02-30“ für --since <datum>. Erwartet wird ein Datum JJJJ-MM-TT, z. B. 2026-11-01.",
    );
    const us = await lotse(["report", "gaps", "--since", "11/25/2026", "--json"]);
    expect(us.code).toBe(2);
    expect(us.stderr).toContain("JJJJ-MM-TT");
    const future = await lotse(["report", "gaps", "--since", "2026-12-05"]);
    expect(future.code).toBe(2);
    expect(future.stdout).toBe("");
    expect(future.stderr).toBe(
      "Fehler [REQUEST_INVALID]: Der Tag nach --since liegt in der Zukunft (heute ist der 2.12.2026). Erwartet wird ein Datum JJJJ-MM-TT bis heute.\n",
    );
    const t = await lotse(["report", "gaps", "--tenant", "neustadt"]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("Die Kommune „neustadt“ ist nicht bekannt");
  });

  it("explains itself in German with the JSON keys and exit codes, and is listed under lotse report", async () => {
    const r = await lotse(["report", "gaps", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--since <datum>");
    expect(r.stdout).toContain("groups[]");
    expect(r.stdout).toContain("Exit-Code: 0 Bericht ausgegeben");
    expect(r.stdout).toContain("nie im wöchentlichen Überblick im Kanal");
    const list = await lotse(["report", "--help"]);
    expect(list.stdout).toMatch(/^\s+gaps \[optionen\]\s+Wissenslücken: /m);
  });
});

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { COOCCURRENCE_BOUND, Postings } from "../../src/retrieval/postings.ts";
import { Retriever } from "../../src/retrieval/retriever.ts";
import type { Runtime } from "../../src/runtime.ts";
import { fixtureRuntime } from "../helpers.ts";

/** The seven-document corpus of expansion.test.ts (Musterstadt and shared guidance). */
const KNOWLEDGE = path.join(import.meta.dirname, "fixtures/knowledge");
const SYNSETS = [
  ["Bildschirm", "Monitor", "Display"],
  ["Überwachung", "Monitor", "Kontrolle", "Entwicklung"],
  ["Kauf", "Erwerb", "Beschaffung"],
];
const thesaurus = () => ({
  senses: (word: string) => SYNSETS.filter((s) => s.some((t) => t.toLowerCase() === word.toLowerCase())),
});
const english = () => [] as const;

/** The co-occurrence query sense choice ran for every question before counting moved into memory: the reference. */
const SQL_COUNT = `SELECT (SELECT count(*) FROM (
    SELECT 1 FROM chunks c WHERE c.tsv @@ to_tsquery('simple', $1) AND coalesce(c.tenant, $2) = $2 LIMIT ${COOCCURRENCE_BOUND}
  ) hits) AS n`;
const tsquery = (group: string[], context: string[]) => {
  const q = (ls: string[]) => ls.map((l) => `'${l.replace(/'/g, "''")}'`).join(" | ");
  return `(${q(group)}) & (${q(context)})`;
};

let rt: Runtime;
beforeAll(async () => {
  rt = await fixtureRuntime({ LOTSE_KNOWLEDGE_DIR: KNOWLEDGE });
});
afterAll(() => rt.close());

/** The runtime's database, counting the statements sent to it. */
function counting(db: Database): { db: Database; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    db: {
      kind: db.kind,
      query: (sql, params) => {
        sent.push(sql);
        return db.query(sql, params);
      },
      transaction: (fn) => db.transaction(fn),
      close: async () => {},
    },
  };
}

describe("postings for sense choice", () => {
  it("count what the co-occurrence query counted, read whole or fetched lexeme by lexeme, per tenant", async () => {
    const { rows } = await rt.db.query<{ word: string }>(
      "SELECT word FROM ts_stat('SELECT tsv FROM chunks') ORDER BY ndoc DESC, word LIMIT 40",
    );
    const lexemes = rows.map((r) => r.word);
    expect(lexemes.length).toBeGreaterThan(20);
    const { rows: n } = await rt.db.query<{ n: string }>("SELECT count(*) AS n FROM chunks");
    const whole = new Postings();
    await whole.load(rt.db, Number(n[0]?.n));
    expect(whole.complete).toBe(true);
    const lazy = new Postings();
    await lazy.load(rt.db, Number(n[0]?.n), 0);
    expect(lazy.complete).toBe(false);
    const pairs: [string[], string[]][] = [];
    for (let i = 0; i + 3 < lexemes.length; i += 3)
      pairs.push([
        lexemes.slice(i, i + 2),
        [lexemes[i + 2] as string, lexemes[lexemes.length - 1 - i] as string],
      ]);
    pairs.push([["monitor"], ["kauf", "beschaff"]], [["bildschirm"], ["gibtesnicht"]]);
    let nonzero = 0;
    for (const tenant of ["musterstadt", "otherstadt"])
      for (const [group, context] of pairs) {
        const { rows: ref } = await rt.db.query<{ n: string }>(SQL_COUNT, [tsquery(group, context), tenant]);
        const expected = Number(ref[0]?.n);
        if (expected > 0) nonzero++;
        expect(whole.missing([...group, ...context])).toEqual([]);
        expect(whole.count(tenant, group, context), `${tenant} ${group} & ${context}`).toBe(expected);
        await lazy.fetch(rt.db, [...group, ...context]);
        expect(lazy.count(tenant, group, context), `${tenant} ${group} & ${context}`).toBe(expected);
      }
    expect(nonzero).toBeGreaterThan(5);
  });

  for (const [mode, wholeIndexChunks] of [
    ["read whole", undefined],
    ["fetched with the stems", 0],
  ] as const)
    it(`let a search with a homonym ask the database once when its words were seen before (postings ${mode})`, async () => {
      const { db, sent } = counting(rt.db);
      const retriever = new Retriever(db, rt.embedder, {
        thesaurus,
        english,
        ...(wholeIndexChunks === undefined ? {} : { wholeIndexChunks }),
      });
      await retriever.refresh();
      await retriever.warm();
      const question = "Kauf von neuen Monitoren";
      const first = await retriever.search(question, "musterstadt");
      // The sense was chosen by co-occurrence: Bildschirm, not Überwachung/Entwicklung.
      expect(first.passages[0]?.docId).toBe("it-hardware");
      expect(first.concepts.find((c) => c.word === "monitoren")?.rejected.map((x) => x.terms)).toContainEqual(
        ["entwicklung"],
      );
      sent.length = 0;
      const again = await retriever.search(question, "musterstadt");
      expect(again.passages.map((p) => p.chunkId)).toEqual(first.passages.map((p) => p.chunkId));
      expect(sent).toHaveLength(1); // the search itself; stems and postings are at hand
      expect(sent[0]).toMatch(/^WITH\s+ql AS/);
    });

  it("let a first question made of corpus words ask the database once, once the corpus words are stemmed", async () => {
    const { db, sent } = counting(rt.db);
    const retriever = new Retriever(db, rt.embedder, { thesaurus, english });
    await retriever.refresh();
    await retriever.warm();
    sent.length = 0;
    const r = await retriever.search("Beschaffung neuer Bildschirme", "musterstadt");
    expect(r.passages[0]?.docId).toBe("it-hardware");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^WITH\s+ql AS/);
  });
});

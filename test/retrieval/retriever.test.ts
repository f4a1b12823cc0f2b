import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { Retriever } from "../../src/retrieval/retriever.ts";
import type { Runtime } from "../../src/runtime.ts";
import { fixtureRuntime } from "../helpers.ts";

let rt: Runtime;
beforeAll(async () => {
  rt = await fixtureRuntime();
});
afterAll(() => rt.close());

const top = async (q: string, tenant = "musterstadt") =>
  (await rt.retriever.search(q, tenant)).passages.map((p) => p.docId);

describe("hybrid retrieval on the fixture corpus", () => {
  it("runs hybrid on PGlite", () => {
    expect(rt.retriever.mode).toBe("hybrid");
  });

  it("matches a split phrase against a compound in the text (Kriterien der Beschaffung ↔ Beschaffungskriterien)", async () => {
    const r = await rt.retriever.search("Kriterien der Beschaffung", "musterstadt");
    const hit = r.passages.find((p) => p.docId === "beschaffungskriterien");
    expect(hit?.lexRank).not.toBeNull();
  });

  it("matches a compound in the question against split words in the text", async () => {
    expect(await rt.retriever.queryText("Welche Energieeffizienzkriterien?")).toContain("energieeffizienz");
    const r = await rt.retriever.search("Gütezeichenpflicht", "musterstadt");
    expect(r.passages[0]?.docId).toBe("vergabe-energieeffizienz");
  });

  it("treats umlaut and ß spellings alike", async () => {
    expect((await top("Waermeplanung Frist"))[0]).toBe("waermeplanung");
    expect((await top("Wärmeplanung Frist"))[0]).toBe("waermeplanung");
    const lexemes = async (q: string) => (await rt.retriever.search(q, "musterstadt")).queryLexemes;
    expect(await lexemes("Maß Wärme Straße")).toEqual(await lexemes("Mass Waerme Strasse"));
  });

  it("ORs the question's words: one unknown word does not empty the result (websearch_to_tsquery would)", async () => {
    const r = await rt.retriever.search("Fristen Wärmeplanung Raumschiff", "musterstadt");
    expect(r.passages[0]?.docId).toBe("waermeplanung");
    expect(r.passages[0]?.lexRank).toBe(1);
  });

  it("finds PDF pages with their page number and DOCX sections", async () => {
    const pdf = (await rt.retriever.search("Streusalz Winterdienst", "musterstadt")).passages[0];
    expect(pdf?.docId).toBe("musterstadt-leitfaden-beschaffung");
    expect(pdf?.page).toBe(2);
    const docx = (await rt.retriever.search("Mehrweggeschirr Veranstaltungen", "musterstadt")).passages[0];
    expect(docx?.section).toBe("Mehrweggeschirr");
  });

  it("never returns another tenant's documents", async () => {
    expect(await top("Solardächer Schuldächer Photovoltaik")).not.toContain("otherstadt-ziel-solar");
    expect((await top("Solardächer Schuldächer Photovoltaik", "otherstadt"))[0]).toBe(
      "otherstadt-ziel-solar",
    );
  });

  it("survives SQL metacharacters and quotes", async () => {
    const r = await rt.retriever.search("'); DROP TABLE chunks; -- \" \\ % _ :* & | !", "musterstadt");
    expect(Array.isArray(r.passages)).toBe(true);
    expect((await top("Wärmeplanung"))[0]).toBe("waermeplanung");
  });
});

describe("refresh loads in the background", () => {
  it("resolves with the mode known, and a question asked before the load is done waits for it", async () => {
    const question = "Welche Kriterien gelten für die Beschaffung von Laptops?";
    const settled = await rt.retriever.search(question, "musterstadt");
    const fresh = new Retriever(rt.db, rt.embedder);
    await fresh.refresh();
    expect(fresh.mode).toBe("hybrid");
    const early = await fresh.search(question, "musterstadt");
    expect(early.concepts).toEqual(settled.concepts);
    expect(early.passages.map((p) => p.chunkId)).toEqual(settled.passages.map((p) => p.chunkId));
  });

  it("lets questions fail with the load's error instead of answering from an empty vocabulary", async () => {
    const failing: Database = {
      ...rt.db,
      query: (sql, params) =>
        sql.includes("unnest(vocabulary)")
          ? Promise.reject(new Error("index unreadable"))
          : rt.db.query(sql, params),
    };
    const retriever = new Retriever(failing, rt.embedder);
    await retriever.refresh();
    await expect(retriever.search("Wärmeplanung", "musterstadt")).rejects.toThrow("index unreadable");
    await expect(retriever.warm()).rejects.toThrow("index unreadable");
  });
});

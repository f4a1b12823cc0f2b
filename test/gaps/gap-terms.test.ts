import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { batchTerms, sqlStemmer } from "../../src/gaps/gap-terms.ts";

let db: Database;
beforeAll(async () => {
  db = await openPglite(":memory:");
});
afterAll(async () => {
  await db.close();
});

const weights = async (texts: string[], names: string[] = []) =>
  (await batchTerms(texts, sqlStemmer(db), undefined, names)).bags.map((b) => Object.fromEntries(b));

describe("the terms of a gap question", () => {
  it("reads a question-opening verb as a verb, not as a noun", async () => {
    const [parking] = await weights([
      "Stimmt es, dass die Parkplätze für Angestellte kostenpflichtig werden?",
    ]);
    expect(parking?.stimmt).toBe(0.5);
    expect(parking?.parkplatz).toBe(1);
    // A capitalised first word followed by no subject stays a noun.
    const [heating] = await weights(["Heizung im Büro nur noch 19 Grad?"]);
    expect(heating?.heizung).toBe(1);
  });

  it("weighs citizens, the domain's own words and the municipality's name as framing, also inside a compound", async () => {
    const [tree, flood] = await weights(
      [
        "Ein Bürger will einen Baum in Musterstadt spenden, wohin damit?",
        "Gibt es eine Starkregenkarte für Musterstadt?",
      ],
      ["musterstadt"],
    );
    expect(tree?.burg).toBe(0.25);
    expect(tree?.musterstadt).toBe(0.25);
    expect(flood?.musterstadt).toBe(0.25);
    // "Stadt" as the part of "Musterstadt" frames as "Stadt" does, below a topic part.
    expect(flood?.stadt ?? 0).toBeLessThanOrEqual(0.25);
    const [training] = await weights(["Gibt es eine Fortbildung zur Nachhaltigkeit?"]);
    expect(training?.nachhalt).toBe(0.25);
    expect(training?.fortbild).toBe(1);
  });

  it("reads a loanword's plural -s, which the stemmer keeps, as the singular a compound of another question ends in", async () => {
    const [own, plural] = await weights([
      "Wohin mit meinem alten Diensthandy?",
      "Gibt es eine Sammelstelle für alte Handys?",
    ]);
    expect(plural?.handys).toBe(1);
    expect(own?.handys).toBe(0.6);
  });
});

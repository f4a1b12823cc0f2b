import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { ROOT } from "../helpers.ts";

/** A small knowledge base whose roles.yaml gives the HR department its topics (Urlaub, Krankmeldung, …). */
const KNOWLEDGE = path.join(ROOT, "test/assistant/fixtures/knowledge/topics");

describe("no_answer contact by role topics (ingest → contacts.topics → composer)", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await createRuntime(
      loadConfig({ LOTSE_DATA_DIR: ":memory:", LOTSE_KNOWLEDGE_DIR: KNOWLEDGE, LOG_LEVEL: "silent" }, ROOT),
      silentLogger,
      { autoIngest: true },
    );
  });
  afterAll(() => rt.close());

  const ask = (text: string) =>
    rt.router.handle({
      kind: "message",
      platform: "cli",
      tenant: "musterstadt",
      user: { id: "test" },
      conversation: { id: `c-${text.length}`, kind: "personal", channel: `c-${text.length}` },
      text,
      receivedAt: new Date("2026-11-25T10:00:00Z"),
    });

  it("names the HR department for a leave question the knowledge base does not answer", async () => {
    const a = await ask("Wie beantrage ich Elternzeit?");
    expect(a.kind).toBe("no_answer");
    expect(a.contacts.map((c) => c.role)).toEqual(["Personalabteilung"]);
    expect(a.text).toContain(
      "Bitte wenden Sie sich an die Personalabteilung: Andrea Becker (personalservice@musterstadt.example, +49 5555 123-475).",
    );
  });

  it("does not answer a salary question from a tender document that merely mentions the word", async () => {
    // "Gehalt" occurs in the Tariftreue document (contact: Vergabestelle), so retrieval finds it with some confidence;
    // the topic belongs to the HR department, whose documents are not among the best passages.
    const a = await ask("Wann wird mein Gehalt überwiesen?");
    expect(a.confidence).toBeGreaterThanOrEqual(0.4);
    expect(a.kind).toBe("no_answer");
    expect(a.contacts.map((c) => c.role)).toEqual(["Personalabteilung"]);
  });

  it("still answers a tender question on that document when no other office's topic is named", async () => {
    const a = await ask("Was müssen Bieter ihren Beschäftigten mindestens zahlen?");
    expect(a.kind).toBe("answer");
    expect(a.text).toContain("Mindestlohn");
  });

  it("names the sustainability coordination (the default role) otherwise", async () => {
    const a = await ask("Wie hoch ist das Sitzungsgeld für Ratsmitglieder?");
    expect(a.kind).toBe("no_answer");
    expect(a.contacts.map((c) => c.role)).toEqual(["Nachhaltigkeitskoordination"]);
    expect(a.text).toContain("Bitte wenden Sie sich an die Nachhaltigkeitskoordination: Julia Sommer");
  });
});

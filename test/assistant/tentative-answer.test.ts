import path from "node:path";
import { describe, expect, it } from "vitest";
import { ExtractiveComposer } from "../../src/assistant/compose-extractive.ts";
import { confidence, mainOnlyByCompound } from "../../src/assistant/confidence.ts";
import { Templates } from "../../src/assistant/templates.ts";
import { ROOT } from "../helpers.ts";
import { composeInput } from "./compose-fixtures.ts";

/** Composer with floors set around the fixture's own confidence, so each test puts it in one band. */
async function composerAround(
  conf: number,
  band: "sure" | "tentative" | "none",
): Promise<ExtractiveComposer> {
  const templates = await Templates.load(path.join(ROOT, "prompts/de"));
  const [tentativeConfidence, minConfidence] =
    band === "sure"
      ? [conf - 0.1, conf - 0.05]
      : band === "tentative"
        ? [conf - 0.05, conf + 0.05]
        : [conf + 0.05, conf + 0.1];
  return new ExtractiveComposer({
    templates,
    minConfidence,
    tentativeConfidence,
    defaultContactRole: "nachhaltigkeit",
  });
}

describe("answers between the tentative and the sure confidence floor", () => {
  it("says first that Lotse is not sure, names the contact, and still quotes the source", async () => {
    const input = await composeInput("retrieval-heizluefter");
    const conf = confidence(input.retrieval);
    const a = await (await composerAround(conf, "tentative")).compose(input);
    expect(a.kind).toBe("answer");
    expect(a.text).toMatch(
      /^Ich bin nicht sicher, ob das Ihre Frage trifft – so steht es in der Wissensbasis; im Zweifel fragen Sie die Nachhaltigkeitskoordination: Julia Sommer \(/,
    );
    expect(a.text).toContain("Heizlüfter");
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.contacts[0]?.role).toBe("Nachhaltigkeitskoordination");
  });

  it("answers without the note above the sure floor and not at all below the tentative one", async () => {
    const input = await composeInput("retrieval-heizluefter");
    const conf = confidence(input.retrieval);
    const sure = await (await composerAround(conf, "sure")).compose(input);
    expect(sure.kind).toBe("answer");
    expect(sure.text).not.toContain("nicht sicher");
    const none = await (await composerAround(conf, "none")).compose(input);
    expect(none.kind).toBe("no_answer");
  });
});

describe("mainOnlyByCompound", () => {
  const concept = (word: string, alternatives: { term: string; source: string; weight: number }[]) => ({
    word,
    noun: false,
    weight: 4,
    known: true,
    key: false,
    rejected: [],
    alternatives: [{ term: word, source: "own", weight: 1 }, ...alternatives].map((a) => ({
      ...a,
      lexemes: [a.term],
    })),
  });
  const result = (matched: string[][]) =>
    ({
      concepts: [
        concept("fundbuero", [{ term: "buero", source: "compound", weight: 0.4 }]),
        concept("wo", []),
      ],
      passages: matched.map((m) => ({ matched: m })),
    }) as unknown as Parameters<typeof mainOnlyByCompound>[0];

  it("is true when the question's main concept is found only as a compound's head ('Fundbüro' as Büro)", () => {
    expect(mainOnlyByCompound(result([["buero"], ["buero", "energie"]]))).toBe(true);
  });

  it("is false when a passage has the word itself, or the concept is not found at all", () => {
    expect(mainOnlyByCompound(result([["buero"], ["fundbuero"]]))).toBe(false);
    expect(mainOnlyByCompound(result([["energie"]]))).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { renderText } from "../../../adapters/cli/render-text.ts";
import { plainAnswer } from "../../../src/assistant/answer.ts";

describe("CLI text rendering", () => {
  it("shows the document's Stand next to its source, and nothing where a document has none", () => {
    const answer = plainAnswer(
      "answer",
      "Öffentliche Stellen mussten bis 30. Juni 2026 ein Energiemanagement einrichten.",
      {
        citations: [
          {
            docId: "enefg",
            title: "Energieeffizienzgesetz (EnEfG)",
            section: "Energiemanagement",
            url: "https://www.gesetze-im-internet.de/enefg/__6.html",
            excerpt: "Öffentliche Stellen mussten …",
            asOf: "2026-03",
          },
          { docId: "b", title: "Ohne Stand", section: "Ohne Stand", page: 2, excerpt: "y" },
        ],
      },
    );
    expect(renderText(answer).split("\n")).toEqual([
      "Öffentliche Stellen mussten bis 30. Juni 2026 ein Energiemanagement einrichten.",
      "",
      "Quellen:",
      "  [1] Energieeffizienzgesetz (EnEfG) – Energiemanagement (Stand: März 2026)  <https://www.gesetze-im-internet.de/enefg/__6.html>",
      "      „Öffentliche Stellen mussten …“",
      "  [2] Ohne Stand – S. 2",
      "      „y“",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { checkQuestionSection, parseCheckQuestion } from "../../src/onboarding/check-question.ts";

const WELL_FORMED = `Wie warm darf ein Büro in der Heizperiode höchstens sein? Wählen Sie eine Antwort:

- A) 24 °C, wenn es gemütlich sein soll.
- B) 20 °C, so legt es die Dienstanweisung Energie fest.
- C) So warm, wie der Heizkörper es hergibt.

Richtige Antwort: B

Die Dienstanweisung Energie (DA 65/2024) legt für Büros **20 °C** fest; jedes Grad weniger spart rund sechs Prozent Heizenergie.`;

describe("parseCheckQuestion", () => {
  it("reads the question, the options by letter, the right answer and the explanation", () => {
    const r = parseCheckQuestion(WELL_FORMED);
    expect(r).toEqual({
      ok: true,
      check: {
        question: "Wie warm darf ein Büro in der Heizperiode höchstens sein? Wählen Sie eine Antwort:",
        options: [
          { letter: "A", text: "24 °C, wenn es gemütlich sein soll." },
          { letter: "B", text: "20 °C, so legt es die Dienstanweisung Energie fest." },
          { letter: "C", text: "So warm, wie der Heizkörper es hergibt." },
        ],
        correct: "B",
        explanation:
          "Die Dienstanweisung Energie (DA 65/2024) legt für Büros 20 °C fest; jedes Grad weniger spart rund sechs Prozent Heizenergie.",
      },
    });
  });

  it("joins a wrapped option line to its option", () => {
    const r = parseCheckQuestion(
      "Was gilt?\n\n- A) Eine lange Antwort,\n  die umbrochen ist.\n- B) Kurz.\n\nRichtige Antwort: A\n\nWeil.",
    );
    expect(r.ok && r.check.options[0]?.text).toBe("Eine lange Antwort, die umbrochen ist.");
  });

  it.each([
    ["one option only", "Was gilt?\n\n- A) Nur eine.\n\nRichtige Antwort: A\n\nWeil.", /mindestens zwei/],
    ["no right answer line", "Was gilt?\n\n- A) Eins.\n- B) Zwei.\n\nWeil.", /Richtige Antwort: X/],
    [
      "a right answer that is no option",
      "Was gilt?\n\n- A) Eins.\n- B) Zwei.\n\nRichtige Antwort: D\n\nWeil.",
      /keine der Antwortmöglichkeiten \(A, B\)/,
    ],
    ["no explanation", "Was gilt?\n\n- A) Eins.\n- B) Zwei.\n\nRichtige Antwort: B\n", /fehlt die Erklärung/],
    ["no question", "- A) Eins.\n- B) Zwei.\n\nRichtige Antwort: B\n\nWeil.", /keinen Fragetext/],
    ["a letter twice", "Was gilt?\n\n- A) Eins.\n- A) Zwei.\n\nRichtige Antwort: A\n\nWeil.", /mehrfach/],
  ])("refuses %s with a German reason", (_name, text, reason) => {
    const r = parseCheckQuestion(text);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems.join(" ")).toMatch(reason);
  });
});

describe("checkQuestionSection", () => {
  it("finds the section as written, up to the next heading of its level", () => {
    const body = `# Modul\n\n## Was gilt?\n\nText.\n\n## Kontrollfrage\n\n${WELL_FORMED}\n\n## Anhang\n\nMehr.`;
    const s = checkQuestionSection(body);
    expect(s?.line).toBe(6);
    expect(s?.text).toContain("Richtige Antwort: B");
    expect(s?.text).not.toContain("Anhang");
    expect(checkQuestionSection("# Modul\n\n## Was gilt?\n\nText.")).toBeUndefined();
  });
});

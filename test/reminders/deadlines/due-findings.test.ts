import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKnowledge } from "../../../src/knowledge/load-knowledge.ts";
import type { Finding } from "../../../src/knowledge/types.ts";
import { validateKnowledge } from "../../../src/knowledge/validate.ts";
import { FIXTURE_KNOWLEDGE, ROOT } from "../../helpers.ts";
import { BAD_DEADLINES, GOOD_DEADLINES, writeDocs } from "./deadline-fixtures.ts";

const NOW = new Date("2026-12-01T08:00:00Z");

describe("validate: due of deadline documents", () => {
  let dir: string;
  let findings: Finding[];
  const of = (file: string) =>
    findings
      .filter((f) => f.file === file)
      .map(({ severity, line, message }) => ({ severity, line, message }));
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lotse-due-"));
    await cp(FIXTURE_KNOWLEDGE, dir, { recursive: true });
    await writeDocs(dir, { ...GOOD_DEADLINES, ...BAD_DEADLINES });
    findings = validateKnowledge(await loadKnowledge(dir), NOW);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("refuses a due the reminder grammar cannot read, at its line, with the grammar's message", () => {
    expect(of("musterstadt/frist-unlesbar.md")).toEqual([
      {
        severity: "error",
        line: 5,
        message: expect.stringMatching(
          /^due "irgendwann im Frühjahr" ist kein lesbarer Termin: Das ist mir zu ungenau.*„jährlich am|„am 31\.3\./,
        ),
      },
    ]);
  });

  it("warns about a deadline document without due, at its type line", () => {
    expect(of("musterstadt/frist-ohne-due.md")).toEqual([
      {
        severity: "warning",
        line: 4,
        message: expect.stringContaining("ohne due kann Lotse keine Erinnerung anbieten"),
      },
    ]);
  });

  it("warns about a due on a document that is no deadline", () => {
    expect(of("musterstadt/regel-mit-due.md")).toEqual([
      {
        severity: "warning",
        line: 5,
        message: expect.stringContaining("due gilt nur für Frist-Dokumente (type: deadline)"),
      },
    ]);
  });

  it("warns where the first section's deadline and the due's next date differ, at the deadline's line", () => {
    expect(of("musterstadt/frist-abweichend.md")).toEqual([
      {
        severity: "warning",
        line: 19,
        message:
          'Der erste Abschnitt nennt die Frist 30. April 2027, due "jährlich am 31.5." ergibt aber als nächsten Termin den 31. Mai 2027. Bitte Text oder due angleichen.',
      },
    ]);
  });

  it("says nothing about a due that reads and matches its text", () => {
    expect(of("musterstadt/frist-klimaschutzbericht.md")).toEqual([]);
    expect(of("shared/frist-foerderaufruf.md")).toEqual([]);
  });
});

describe("the bundled deadline documents", () => {
  it("each have a due the grammar reads, matching their text", async () => {
    const findings = validateKnowledge(await loadKnowledge(path.join(ROOT, "knowledge")), NOW);
    const deadlines = findings.filter((f) => f.file.includes("/frist-"));
    expect(deadlines).toEqual([]);
  });
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chunkDocument } from "../../src/knowledge/chunk.ts";
import { markerSources, resolveFootnotes, stripMarkers } from "../../src/knowledge/footnotes.ts";
import { parseFrontMatter } from "../../src/knowledge/front-matter.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { markdownSections } from "../../src/knowledge/markdown-sections.ts";
import { formatFindings, hasErrors, validateKnowledge } from "../../src/knowledge/validate.ts";
import { ROOT } from "../helpers.ts";

const NOW = new Date("2026-11-25T10:00:00Z");
const FIXTURES = path.join(ROOT, "test/assistant/fixtures");
/** A real document with three footnotes: one names a source by title, one by title with a page note, one a new URL. */
const FOOTNOTED = path.join(FIXTURES, "knowledge/topics/shared/eu-schwellenwerte.md");

describe("footnotes", () => {
  it("resolves each marker to the source it names and keeps it with its sentence", async () => {
    const fm = parseFrontMatter(await readFile(FOOTNOTED, "utf8"), "shared/eu-schwellenwerte.md");
    expect(fm.findings).toEqual([]);
    // The URL of [^uvgo] was not a front matter source: it becomes the third.
    expect(fm.meta?.sources.map((s) => s.url)).toEqual([
      "https://subreport.de/wiki/glossar/eu-schwellenwert",
      "https://www.ingenieurkammer.de/aktuelles/detail/neue-eu-schwellenwerte-seit-1-januar-2026",
      "https://weka.de/architekten-ingenieure/uvgo-in-den-bundeslaendern",
    ]);
    expect(fm.meta?.sources[2]?.title).toBe("Unterschwellenvergabeordnung (UVgO) bei weka.de");
    // Markers move before the full stop, so the sentence splitter still ends the sentence there.
    expect(fm.body).toContain("ausschreiben[^1]. Dieser EU-Schwellenwert gilt seit 1. Januar 2026 für die Jahre 2026 und 2027[^2].");
    expect(fm.body).toContain("Landes[^3].");
    expect(fm.body).not.toMatch(/\[\^(glossar|bik|uvgo)\]/);
    // Definitions leave the text.
    expect(fm.body).not.toContain("Glossar EU-Schwellenwert");
  });

  it("lets each chunk sentence carry its source, and keeps markers out of the indexed text", async () => {
    const fm = parseFrontMatter(await readFile(FOOTNOTED, "utf8"), "shared/eu-schwellenwerte.md");
    if (!fm.meta) throw new Error("no meta");
    const sections = markdownSections(fm.body, fm.meta.title);
    const [first, list] = chunkDocument({ meta: fm.meta, path: "shared/eu-schwellenwerte.md", hash: "h", sections });
    expect(markerSources(first?.body ?? "")).toEqual([0, 1, 2]);
    expect(list?.body).toContain("(jeweils netto, ohne Umsatzsteuer)[^2]:");
    expect(first?.indexText).not.toContain("[^");
    expect(stripMarkers(first?.body ?? "")).toContain("216.000 Euro netto EU-weit ausschreiben. Dieser");
  });

  it("reports undefined markers, definitions that resolve to nothing and unused ones at their lines, in German", async () => {
    const dir = path.join(FIXTURES, "knowledge/footnote-errors");
    const findings = validateKnowledge(await loadKnowledge(dir), NOW);
    const text = formatFindings(findings);
    expect(text).toContain(
      "shared/landesvergabegesetze.md:18: Fehler: Fußnote [^2] ist nicht definiert: Es fehlt eine Zeile „[^2]: Quelle …“.",
    );
    expect(text).toContain(
      "shared/landesvergabegesetze.md:25: Fehler: Fußnote [^ltmg] verweist auf keine Quelle: Geben Sie eine URL an (https://…) oder den Titel einer Quelle aus sources (bekannt: „Deutsches Ausschreibungsblatt: Glossar TVgG NRW“).",
    );
    expect(text).toContain(
      "shared/landesvergabegesetze.md:26: Warnung: Fußnote [^alt] ist definiert, wird im Text aber nicht verwendet.",
    );
    expect(hasErrors(findings)).toBe(true);
    // The valid footnote resolved by title raises nothing.
    expect(text).not.toContain("[^1]");
  });

  it("adds the URL of an unused definition to no source, reports a repeated label, and ignores code fences", () => {
    const body = [
      "Die UVgO gilt nur, wo das Land sie einführt.[^a]",
      "",
      "```",
      "Beispiel: [^x] im Text",
      "```",
      "",
      "[^a]: https://weka.de/uvgo",
      "[^a]: https://example.org/doppelt",
      "[^b]: https://example.org/unbenutzt",
    ].join("\n");
    const r = resolveFootnotes(body, 10, [], "shared/uvgo.md");
    expect(r.sources.map((s) => s.url)).toEqual(["https://weka.de/uvgo"]);
    expect(r.body).toContain("Die UVgO gilt nur, wo das Land sie einführt[^1].");
    expect(r.body).toContain("Beispiel: [^x] im Text");
    expect(r.findings.map((f) => `${f.line} ${f.severity} ${f.message}`)).toEqual([
      "17 error Fußnote [^a] ist mehrfach definiert (zuerst in Zeile 16).",
      "18 warning Fußnote [^b] ist definiert, wird im Text aber nicht verwendet.",
    ]);
  });

  it("leaves a body without footnotes as it is", () => {
    const body = "Nach § 97 Abs. 3 GWB ist das z. B. optional.\n\n- [Link](https://x.de)";
    expect(resolveFootnotes(body, 12, [], "d.md")).toEqual({ body, sources: [], findings: [] });
  });
});

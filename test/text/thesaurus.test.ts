import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { cleanTerm, importOpenThesaurus } from "../../scripts/import-openthesaurus.ts";
import { LotseError } from "../../src/errors.ts";
import { loadThesaurus, scanSenses, THESAURUS_FILE, thesaurusKey } from "../../src/text/thesaurus.ts";

const FIXTURE = path.resolve("test/fixtures/vocabulary/openthesaurus-sample.txt");
const NODE = path.resolve("node_modules/.bin/node");
const tmp = mkdtempSync(path.join(tmpdir(), "lotse-thesaurus-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the import script as a maintainer would; returns the bytes it wrote. */
function runScript(output: string): Buffer {
  execFileSync(NODE, ["scripts/import-openthesaurus.ts", FIXTURE, output], { stdio: "pipe" });
  return readFileSync(output);
}

describe("import-openthesaurus", () => {
  it("strips annotations and optional parts, drops obsolete, vulgar and figurative terms", () => {
    expect(cleanTerm("Schirm (ugs.)")).toEqual({ term: "Schirm", main: false });
    expect(cleanTerm("(sich) erheben")).toEqual({ term: "erheben", main: false });
    expect(cleanTerm("rennen (Hauptform)")).toEqual({ term: "rennen", main: true });
    expect(cleanTerm("Kauf(manns)laden (veraltend)")?.term).toBe("Kaufladen");
    expect(cleanTerm("auf der Schmalseite (stehen(d))")?.term).toBe("auf der Schmalseite");
    expect(cleanTerm('"grobe Betrachtung"')?.term).toBe("grobe Betrachtung");
    expect(cleanTerm("Aeronautik (veraltet)")).toBeUndefined();
    expect(cleanTerm("Fliegenschiss (derb, fig.)")).toBeUndefined();
    expect(cleanTerm("fliegen (geh., fig., literarisch)")).toBeUndefined();
    expect(cleanTerm("Deputat...")).toBeUndefined();
    expect(cleanTerm("alles klar! (ugs.)")).toBeUndefined();
    expect(cleanTerm("die Beine in die Hand nehmen")).toBeUndefined(); // five words: an idiom
  });

  it("writes sorted, de-duplicated synsets with the main form first and a header naming source and licence", () => {
    const lines = importOpenThesaurus(readFileSync(FIXTURE, "utf8")).split("\n");
    expect(lines[0]).toBe(
      "# OpenThesaurus 2016-04-24 (https://www.openthesaurus.de), Daniel Naber and contributors",
    );
    expect(lines[1]).toContain("LGPL 2.1");
    const synsets = lines.filter((l) => l !== "" && !l.startsWith("#"));
    expect(synsets).toEqual([...synsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(synsets).toContain("Bildschirm;Monitor;Anzeigegerät;Schirm;Display;Anzeige");
    expect(synsets).toContain("Luftfahrt;Fliegen;Fliegerei;Flugwesen"); // "Aeronautik (veraltet)" left out
    // The fixture repeats Geschäftsreise;Dienstreise with an annotation: one synset remains.
    expect(synsets.filter((l) => l === "Geschäftsreise;Dienstreise")).toHaveLength(1);
    const running = synsets.find((l) => l.includes("rennen"))?.split(";") ?? [];
    expect(running.slice(0, 2)).toEqual(["rennen", "laufen"]); // both marked Hauptform
    expect(running).not.toContain("fliegen"); // only figuratively a synonym of rennen
    // Fragments, exclamations and annotations are gone; a line of exclamations leaves no synset.
    expect(synsets.join("\n")).not.toMatch(/[()!]|\.\.\./);
    expect(synsets.some((l) => l.includes("Prost"))).toBe(false);
  });

  it("gives the same bytes when run twice, and its output loads", () => {
    const first = runScript(path.join(tmp, "a.txt.gz"));
    const second = runScript(path.join(tmp, "b.txt.gz"));
    expect(second.equals(first)).toBe(true);
    const thesaurus = loadThesaurus(path.join(tmp, "a.txt.gz"));
    expect(thesaurus.senses("Konferenz")).toEqual([
      ["Kongress", "Tagung", "Konferenz", "Symposium", "Meeting"],
    ]);
  });
});

describe("loadThesaurus", () => {
  const thesaurus = loadThesaurus(); // the committed import

  it("finds the senses of a word, case-insensitively, each with its terms in original spelling", () => {
    const monitor = thesaurus.senses("Monitor");
    expect(monitor).toContainEqual(["Bildschirm", "Monitor", "Anzeigegerät", "Schirm", "Display", "Anzeige"]);
    expect(thesaurus.senses("monitor")).toEqual(monitor);
    expect(thesaurus.senses("  MONITOR ")).toEqual(monitor);
    expect(thesaurus.senses("Bildschirm").length).toBeGreaterThan(1); // also the television set: a homonym
  });

  it("covers the issue's travel and conference words, and multi-word terms", () => {
    expect(thesaurus.senses("Dienstreise")).toContainEqual(["Geschäftsreise", "Dienstreise"]);
    expect(thesaurus.senses("Konferenz").some((s) => s.includes("Tagung"))).toBe(true);
    expect(thesaurus.senses("Flug").some((s) => s.includes("Flugreise"))).toBe(true);
    expect(thesaurus.senses("Kennzahl").some((s) => s.includes("Messgröße"))).toBe(true);
    expect(thesaurus.senses("Sicherheitsschuh").some((s) => s.includes("Arbeitsschuh"))).toBe(true);
    expect(thesaurus.senses("moralische Werte").some((s) => s.includes("Wertvorstellungen"))).toBe(true);
  });

  it("returns [] for unknown words and for words OpenThesaurus lacks", () => {
    expect(thesaurus.senses("Plastikgeschirr")).toEqual([]);
    expect(thesaurus.senses("Xyzzyplugh")).toEqual([]);
    expect(thesaurus.senses("")).toEqual([]);
  });

  it("is the format the script writes: same header, sorted synsets without annotations", () => {
    const text = gunzipSync(readFileSync(THESAURUS_FILE)).toString("utf8");
    const lines = text.split("\n");
    const fixtureHeader = importOpenThesaurus(readFileSync(FIXTURE, "utf8")).split("\n").slice(0, 3);
    expect(lines.slice(0, 3)).toEqual(fixtureHeader); // same version line: both from the 2016-04-24 export
    const synsets = lines.filter((l) => l !== "" && !l.startsWith("#"));
    expect(synsets.length).toBeGreaterThan(30_000);
    expect(synsets).toEqual([...synsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(synsets.filter((l) => /[()]|\.\.\.|!/.test(l) || l.split(";").length < 2)).toEqual([]);
  });

  it("reads a plain (not gzipped) file too, and names a missing file in a LotseError", () => {
    const plain = path.join(tmp, "plain.txt");
    writeFileSync(plain, "# hand-edited\nDienstwagen;Pkw;Fahrzeug\n");
    expect(loadThesaurus(plain).senses("pkw")).toEqual([["Dienstwagen", "Pkw", "Fahrzeug"]]);
    const missing = path.join(tmp, "missing.txt.gz");
    expect(() => loadThesaurus(missing).senses("Pkw")).toThrow(LotseError);
    expect(() => loadThesaurus(missing).senses("Pkw")).toThrow(missing);
  });
});

describe("scanSenses", () => {
  it("finds in one pass what senses() finds for each word (the reduction at ingest asks thousands at once)", () => {
    const words = [
      "Monitor",
      "bildschirm",
      "Dienstreise",
      "moralische Werte",
      "überwachung",
      "Plastikgeschirr",
      "Flug",
    ];
    const steps = scanSenses(
      gunzipSync(readFileSync(THESAURUS_FILE)).toString("utf8"),
      new Set(words.map(thesaurusKey)),
    );
    let r = steps.next();
    while (!r.done) r = steps.next();
    const thesaurus = loadThesaurus();
    for (const w of words) expect(r.value.get(thesaurusKey(w)) ?? []).toEqual(thesaurus.senses(w));
    expect(r.value.get("bildschirm")?.length).toBeGreaterThan(1); // a homonym: every sense
  });
});

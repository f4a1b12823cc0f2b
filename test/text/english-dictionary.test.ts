import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { splitTop } from "../../scripts/ding-entry.ts";
import { englishOf, importDictionary } from "../../scripts/import-dictionary-en.ts";
import { ENGLISH_DICTIONARY_FILE, loadEnglishDictionary } from "../../src/text/english-dictionary.ts";
import { compareKeys, packSortedBlocks, SortedBlocks } from "../../src/text/sorted-blocks.ts";
import { THESAURUS_FILE } from "../../src/text/thesaurus.ts";

const FIXTURE = path.resolve("test/fixtures/vocabulary/ding-sample.txt");
const NODE = path.resolve("node_modules/.bin/node");
const tmp = mkdtempSync(path.join(tmpdir(), "lotse-dictionary-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The fixture's import as a map English → German candidates. */
function imported(): Map<string, string[]> {
  const { lines } = importDictionary(readFileSync(FIXTURE, "utf8"));
  return new Map(lines.map((l) => [englishOf(l), l.slice(l.indexOf("\t") + 1).split(";")]));
}

function runScript(output: string): Buffer {
  execFileSync(NODE, ["scripts/import-dictionary-en.ts", FIXTURE, output], { stdio: "pipe" });
  return readFileSync(output);
}

describe("import-dictionary-en", () => {
  it("splits alternatives outside brackets only", () => {
    expect(splitTop("über {prp; +Dat.}; oberhalb {prp}", ";")).toEqual([
      "über {prp; +Dat.}",
      "oberhalb {prp}",
    ]);
  });

  it("maps English words and their plurals to German nouns without tags and explanations", () => {
    const dict = imported();
    expect(dict.get("threshold")).toEqual(["Schwelle", "Schwellenwert", "Schwellenbetrag"]);
    expect(dict.get("thresholds")).toContain("Schwellenwerte");
    expect(dict.get("services")).toContain("Dienstleistungen");
    expect(dict.get("criteria")).toEqual(["Kriterien"]); // "<criterions>" stripped, not the whole alternative
    expect(dict.get("conference")).toEqual(["Konferenz", "Fachtagung", "Tagung"]);
  });

  it("takes a verb's word class from the last alternative and drops object placeholders", () => {
    const dict = imported();
    // "erlauben; zulassen; gestatten {vt}": only gestatten carries the tag.
    expect(dict.get("permit")).toEqual(["erlauben", "zulassen", "gestatten"]);
    // "etw. kaufen; einkaufen; … {vt} :: to buy sth.; to purchase sth."
    expect(dict.get("buy")?.[0]).toBe("kaufen");
    // "etw. bereitstellen {vt}; für etw. sorgen {vi} :: to supply sth.": no "für sorgen" without its object.
    expect(dict.get("supply")).toEqual(["bereitstellen"]);
    // Verb forms give the form and the infinitive.
    expect(dict.get("flown")).toEqual(["fliegen", "geflogen"]);
    expect(dict.get("allowed")).toEqual(expect.arrayContaining(["erlauben", "erlaubt"]));
  });

  it("keeps two-word phrases that German says in one word, and leaves out obsolete words and species", () => {
    const dict = imported();
    expect(dict.get("business trip")).toEqual(["Geschäftsreise", "Dienstreise"]);
    expect(dict.get("allow")).not.toContain("verstatten"); // [veraltet]
    expect(dict.has("freshwater eels")).toBe(false); // [zool.], tagged on the last alternative only
    expect(dict.get("eel")).toEqual(["Aal"]);
    expect(dict.has("high-visibility vest")).toBe(false); // its line's sides disagree in number of parts
    const keys = [...dict.keys()];
    expect(keys).toEqual([...keys].sort(compareKeys));
    expect(keys.filter((k) => k.split(" ").length > 2 || k !== k.toLowerCase())).toEqual([]);
  });

  it("gives the same bytes when run twice, readable as one gzip text and loadable by block", () => {
    const first = runScript(path.join(tmp, "a.tsv.gz"));
    const second = runScript(path.join(tmp, "b.tsv.gz"));
    expect(second.equals(first)).toBe(true);
    const text = gunzipSync(first).toString("utf8"); // all members, as zcat shows them
    expect(text.split("\n")[0]).toMatch(/^# Ding German-English dictionary devel 2023-01-30/);
    expect(text).toContain("threshold\tSchwelle;Schwellenwert;Schwellenbetrag\n");
    const dict = loadEnglishDictionary(path.join(tmp, "a.tsv.gz"));
    expect(dict.german("Threshold")).toEqual(["Schwelle", "Schwellenwert", "Schwellenbetrag"]);
    expect(dict.german("worship services")).toEqual(["Gottesdienste"]); // the last line, in the second block
    expect(dict.german("zebra")).toEqual([]);
  });
});

describe("SortedBlocks", () => {
  const lines = importDictionary(readFileSync(FIXTURE, "utf8")).lines;

  it("finds every line of a packed file, and nothing before, between or after its keys", () => {
    const blocks = new SortedBlocks(packSortedBlocks(["# test"], lines, englishOf), englishOf);
    for (const line of lines) expect(blocks.find(englishOf(line))).toBe(line);
    expect(blocks.find("aaa")).toBeUndefined(); // before the first key
    expect(blocks.find("flightz")).toBeUndefined(); // between two keys
    expect(blocks.find("zzz")).toBeUndefined(); // after the last key
  });

  it("reads a plain sorted text (a hand-edited fixture) the same way", () => {
    const file = path.join(tmp, "plain.tsv");
    writeFileSync(file, `# hand-edited\n${lines.join("\n")}\n`);
    const dict = loadEnglishDictionary(file);
    expect(dict.german("business trip")).toEqual(["Geschäftsreise", "Dienstreise"]);
  });
});

describe("loadEnglishDictionary", () => {
  const dict = loadEnglishDictionary(); // the committed import

  it("answers the issue's English words with the knowledge base's German ones", () => {
    expect(dict.german("threshold")).toContain("Schwellenwert");
    expect(dict.german("services")).toContain("Dienstleistungen");
    expect(dict.german("supplies")).toEqual(expect.arrayContaining(["Material"]));
    expect(dict.german("conference")[0]).toBe("Konferenz");
    expect(dict.german("flight")).toContain("Flug");
    expect(dict.german("fly")[0]).toBe("fliegen");
    expect(dict.german("business trip")).toContain("Dienstreise");
    expect(dict.german("procurement")).toContain("Beschaffung");
    expect(dict.german("sustainability")[0]).toBe("Nachhaltigkeit");
  });

  it("looks up case-insensitively and returns [] for unknown words", () => {
    expect(dict.german("THRESHOLD")).toEqual(dict.german("threshold"));
    expect(dict.german("qwertzuiop")).toEqual([]);
    expect(dict.german("")).toEqual([]);
  });

  it("is the format the script writes: same header lines, sorted keys, at most 8 candidates", () => {
    const bytes = readFileSync(ENGLISH_DICTIONARY_FILE);
    const text = gunzipSync(bytes).toString("utf8").split("\n");
    const header = importDictionary(readFileSync(FIXTURE, "utf8")).header;
    expect(text.slice(0, header.length)).toEqual(header); // the fixture is an excerpt of the same version
    const data = text.filter((l) => l !== "" && !l.startsWith("#"));
    expect(data.length).toBeGreaterThan(200_000);
    const keys = data.map(englishOf);
    expect(keys).toEqual([...keys].sort(compareKeys));
    expect(data.filter((l) => (l.split("\t")[1]?.split(";").length ?? 9) > 8)).toEqual([]);
    // Re-packing the committed lines gives the committed bytes: the file is what packSortedBlocks writes.
    expect(packSortedBlocks(header, data, englishOf).equals(bytes)).toBe(true);
  });
});

describe("memory of both vocabulary files", () => {
  it("stays under 40 MB of heap once loaded (measured in a fresh process)", () => {
    const probe = path.join(tmp, "probe.ts");
    const src = (f: string) => JSON.stringify(path.resolve("src/text", f));
    writeFileSync(
      probe,
      [
        `import { loadEnglishDictionary } from ${src("english-dictionary.ts")};`,
        `import { loadThesaurus } from ${src("thesaurus.ts")};`,
        "const gc = (globalThis as unknown as { gc: () => void }).gc;",
        "gc();",
        "const before = process.memoryUsage();",
        `loadThesaurus(${JSON.stringify(THESAURUS_FILE)}).senses("Monitor");`,
        `loadEnglishDictionary(${JSON.stringify(ENGLISH_DICTIONARY_FILE)}).german("threshold");`,
        "gc();",
        "const after = process.memoryUsage();",
        "console.log(JSON.stringify({ heap: after.heapUsed - before.heapUsed, buffers: after.arrayBuffers - before.arrayBuffers }));",
      ].join("\n"),
    );
    const out = execFileSync(NODE, ["--expose-gc", probe], { encoding: "utf8" });
    const { heap, buffers } = JSON.parse(out) as { heap: number; buffers: number };
    expect(heap).toBeLessThan(40e6);
    expect(buffers).toBeLessThan(20e6); // both files compressed or indexed in typed arrays, about 6.5 MB
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import { freshSchemaUrl, ROOT, testConfig } from "../../helpers.ts";
import { type Run, runLotse } from "./run-lotse.ts";

// A server database, ingested once: each embedded (PGlite) runtime would take seconds to open.
let indexed: Awaited<ReturnType<typeof freshSchemaUrl>>;
let config: Config;
beforeAll(async () => {
  indexed = await freshSchemaUrl();
  config = testConfig({ DATABASE_URL: indexed.url });
  expect((await lotse(["ingest"])).code).toBe(0);
});
afterAll(async () => {
  await indexed.drop();
});

/** Runs the CLI in this process (the composition root only adds process I/O), on the fixture corpus. */
async function lotse(argv: string[], cfg: Config = config): Promise<Run> {
  return runLotse(argv, { config: cfg, now: new Date("2026-03-02T09:00:00Z") });
}

/** Words of commander's own English output that must not reach a German user. */
const ENGLISH =
  /Usage|Options:|Commands:|Arguments:|display help|output the version|error:|Did you mean|\[options\]/;

describe("lotse help in German", () => {
  it("top level, a command and --version", async () => {
    const top = await lotse(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Aufruf: lotse \[optionen\] \[befehl\]/);
    expect(top.stdout).toMatch(/Optionen:[\s\S]*-V, --version +die Versionsnummer ausgeben/);
    expect(top.stdout).toMatch(
      /Befehle:[\s\S]*ask \[optionen\] <frage\.\.\.>[\s\S]*help \[befehl\] +Hilfe zu einem Befehl/,
    );
    const ask = await lotse(["ask", "--help"]);
    expect(ask.stdout).toMatch(
      /^Aufruf: lotse ask \[optionen\] <frage\.\.\.>[\s\S]*Argumente:[\s\S]*-h, --help +diese Hilfe anzeigen/,
    );
    for (const out of [top.stdout, ask.stdout, (await lotse(["help", "validate"])).stdout])
      expect(out).not.toMatch(ENGLISH);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await lotse(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    expect((await lotse(["-V"])).stdout).toBe(`${pkg.version}\n`);
  });

  it("eval --help names the project's question set, which exists, and explains the format", async () => {
    const r = await lotse(["eval", "--help"]);
    expect(r.stdout).toContain("test/eval/questions.yaml");
    expect(r.stdout).not.toContain("shared/eval");
    expect(readFileSync(path.join(ROOT, "test/eval/questions.yaml"), "utf8")).toMatch(/^- id: /m);
    for (const field of ["id", "q", "expect", "contact", "abstain", "tenant"])
      expect(r.stdout).toMatch(new RegExp(`^  ${field} +\\S`, "m"));
    expect(r.stdout).not.toMatch(ENGLISH);
  });

  it("commander's errors in German, exit code 2", async () => {
    const unknown = await lotse(["aks"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toBe(
      "Fehler: unbekannter Befehl „aks“.\n(Meinten Sie ask?)\n(Hilfe mit --help)\n",
    );
    const missing = await lotse(["ask"]);
    expect(missing.stderr).toContain("Fehler: Es fehlt <frage>.");
    const rate = await lotse(["eval", "test/eval/questions.yaml", "--min-pass-rate", "5"]);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain(
      "Fehler: ungültiger Wert „5“ für --min-pass-rate <anteil>. Erwartet wird eine Zahl zwischen 0 und 1",
    );
    for (const r of [unknown, missing, rate, await lotse(["ask", "--gibts-nicht", "x"])])
      expect(r.stderr).not.toMatch(ENGLISH);
  });
});

describe("lotse ask refuses bad input with exit code 2", () => {
  it("an unknown --tenant, naming the known tenants (folders with a tenant config)", async () => {
    const r = await lotse(["ask", "--tenant", "nirgendwo", "Wer", "hilft", "bei", "der", "Beschaffung?"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Fehler [TENANT_UNKNOWN]: Die Kommune „nirgendwo“ ist nicht bekannt.");
    expect(r.stderr).toContain("Bekannte Kommunen: musterstadt, otherstadt");
    const known = await lotse([
      "ask",
      "--json",
      "--tenant",
      "otherstadt",
      "Wer",
      "ist",
      "für",
      "Nachhaltigkeit",
      "zuständig?",
    ]);
    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout).contacts[0].email).toBe("nachhaltigkeit@otherstadt.example");
  });

  it("an empty or too long question: the German error on stderr, or the error answer as JSON", async () => {
    const empty = await lotse(["ask", "  "]);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe("");
    expect(empty.stderr).toMatch(/^Fehler \[INPUT_EMPTY\]: Ihre Nachricht ist leer/);
    const json = await lotse(["ask", "--json", ""]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: "error", errorCode: "INPUT_EMPTY" });
    const long = await lotse(["ask", "Frage ".repeat(300)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/^Fehler \[INPUT_TOO_LONG\]/);
    const symbols = await lotse(["ask", "?!?"]);
    expect(symbols.code).toBe(2);
    expect(symbols.stderr).toMatch(/^Fehler \[INPUT_NO_TEXT\]/);
    const answered = await lotse([
      "ask",
      "Ab",
      "welchem",
      "Betrag",
      "brauche",
      "ich",
      "den",
      "Nachhaltigkeitscheck?",
    ]);
    expect(answered).toMatchObject({ code: 0, stderr: "" });
    expect(answered.stdout).toContain("10.000 Euro");
  });
});

describe("lotse ask on a server database nothing was ingested into", () => {
  let empty: Awaited<ReturnType<typeof freshSchemaUrl>>;
  beforeAll(async () => {
    empty = await freshSchemaUrl();
  });
  afterAll(async () => {
    await empty.drop();
  });

  it("says so and how to fix it, exit code 1, instead of answering no_answer", async () => {
    const r = await lotse(
      ["ask", "--json", "Ab welchem Betrag brauche ich den Nachhaltigkeitscheck?"],
      testConfig({ DATABASE_URL: empty.url }),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "Fehler [KNOWLEDGE_EMPTY]: Keine Wissensbasis eingelesen: Die Datenbank (DATABASE_URL) enthält keine Dokumente. Führen Sie `lotse ingest` aus.\n",
    );
  });

  it("eval too: no table of failures that only mean an empty index", async () => {
    const r = await lotse(
      ["eval", path.join(ROOT, "test/eval/questions.yaml")],
      testConfig({ DATABASE_URL: empty.url }),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Fehler \[KNOWLEDGE_EMPTY\]: Keine Wissensbasis eingelesen/);
  });
});

describe("lotse validate --dir", () => {
  it("a missing folder or a file: a German message, exit code 1, no stack trace", async () => {
    const missing = await lotse(["validate", "--dir", path.join(ROOT, "test/fixtures/gibt-es-nicht")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^Fehler \[KNOWLEDGE_INVALID\]: Der Ordner .*gibt-es-nicht existiert nicht\. Geben Sie mit --dir/,
    );
    const file = await lotse(["validate", "--dir", path.join(ROOT, "package.json")]);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain("package.json ist eine Datei, kein Ordner.");
    for (const r of [missing, file]) expect(r.stderr).not.toMatch(/\n\s+at |ENOENT/);
  });
});

describe("lotse validate with the configured tenants", () => {
  it("warns when LOTSE_DEFAULT_TENANT has no folder in the knowledge base", async () => {
    const r = await lotse(["validate"], testConfig({ LOTSE_DEFAULT_TENANT: "neustadt" }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Warnung:.*neustadt/);
    expect((await lotse(["validate"])).stdout).not.toMatch(/neustadt/);
  });
});

describe("--explain", () => {
  it("ask --explain prints the concepts with their alternatives, the candidates and the chosen section", async () => {
    const r = await lotse(["ask", "--explain", "Welche Kriterien gelten für die Beschaffung von Laptops?"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Frage: /);
    expect(r.stdout).toMatch(/Begriffe:\n {2}\S+/);
    expect(r.stdout).toMatch(/Kandidaten \(Rang Volltext \/ Vektor, Abdeckung\):\n {2}1\. /);
    expect(r.stdout).toMatch(/gewählter Abschnitt: \S+ › /);
    expect(r.stdout).toMatch(/Zuversicht 0\.\d\d/);
  });

  it("eval FILE --explain ID runs one case and says where each fact was found", async () => {
    const file = path.join(ROOT, "test/fixtures/eval/explain.yaml");
    const r = await lotse(["eval", file, "--explain", "laptop-kriterien"]);
    expect(r.stdout).toMatch(/^Fall laptop-kriterien/);
    expect(r.stdout).toContain("Begriffe:");
    expect(r.stdout).toContain("gewählter Abschnitt:");
    const unknown = await lotse(["eval", file, "--explain", "gibt-es-nicht"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("gibt-es-nicht");
  });
});

import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import { LotseError } from "../../src/errors.ts";
import { ROOT } from "../helpers.ts";

describe("Templates", () => {
  it("fills placeholders and drops the leading comment", async () => {
    const t = await Templates.load(path.join(ROOT, "prompts/de"));
    const text = t.render("no-answer", { contact: "Vergabestelle: Zentrale Vergabestelle" });
    expect(text).toContain("Bitte wenden Sie sich an Vergabestelle: Zentrale Vergabestelle.");
    expect(text).not.toContain("<!--");
    expect(t.render("error-input-too-long", { length: 5000, max: 1000 })).toContain(
      "5000 Zeichen, höchstens 1000",
    );
  });

  it("names the missing template files and LOTSE_PROMPTS_DIR", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-prompts-"));
    await cp(path.join(ROOT, "prompts/de"), dir, { recursive: true });
    await rm(path.join(dir, "help.md"));
    const err = await Templates.load(dir).catch((e: unknown) => e);
    await rm(dir, { recursive: true, force: true });
    expect(err).toBeInstanceOf(LotseError);
    expect((err as LotseError).message).toMatch(/help\.md.*|LOTSE_PROMPTS_DIR/);
    expect((err as LotseError).message).toContain("help.md");
  });

  it("merges a feature's labels-<feature>.yaml and refuses a label defined in two files", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-prompts-"));
    await cp(path.join(ROOT, "prompts/de"), dir, { recursive: true });
    await writeFile(path.join(dir, "labels-probe.yaml"), 'probe-label: "Hallo {{name}}"\n');
    const t = await Templates.load(dir);
    expect(t.label("probe-label" as never, { name: "Erika" })).toBe("Hallo Erika");
    await writeFile(path.join(dir, "labels-zweit.yaml"), 'home-title: "Doppelt"\n');
    const err = await Templates.load(dir).catch((e: unknown) => e);
    await rm(dir, { recursive: true, force: true });
    expect(err).toBeInstanceOf(LotseError);
    expect((err as LotseError).message).toContain(
      "home-title ist doppelt definiert: in labels.yaml und in labels-zweit.yaml",
    );
  });
});

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { LotseError } from "../errors.ts";

/** Templates every deployment must provide (prompts/de/NAME.md). */
export const REQUIRED_TEMPLATES = [
  "greeting",
  "thanks",
  "help",
  "no-answer",
  "answer-lead",
  "answer-tentative",
  "error-internal",
  "error-input-empty",
  "error-input-too-long",
  "error-input-no-text",
  "error-tenant-unknown",
  "welcome",
  "feedback-thanks",
  "notice-restarting",
] as const;

export type TemplateName = (typeof REQUIRED_TEMPLATES)[number];

/** User-facing wording, editable by a municipality without touching code. {{name}} placeholders are filled in. */
export class Templates {
  private readonly texts: Map<string, string>;

  constructor(texts: Map<string, string>) {
    this.texts = texts;
  }

  static async load(dir: string): Promise<Templates> {
    const texts = new Map<string, string>();
    let files: string[];
    try {
      files = await readdir(dir);
    } catch (cause) {
      throw new LotseError("CONFIG_INVALID", `Textvorlagen nicht gefunden in ${dir} (LOTSE_PROMPTS_DIR).`, {
        cause,
      });
    }
    for (const f of files.filter((x) => x.endsWith(".md")))
      texts.set(
        path.basename(f, ".md"),
        (await readFile(path.join(dir, f), "utf8")).replace(/^<!--[\s\S]*?-->\s*/, "").trim(),
      );
    const missing = REQUIRED_TEMPLATES.filter((t) => !texts.has(t));
    if (missing.length > 0)
      throw new LotseError(
        "CONFIG_INVALID",
        `Textvorlagen fehlen in ${dir} (LOTSE_PROMPTS_DIR): ${missing.map((m) => `${m}.md`).join(", ")}`,
      );
    return new Templates(texts);
  }

  render(name: TemplateName, vars: Record<string, string | number> = {}): string {
    const t = this.texts.get(name) ?? "";
    return t.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(vars[k] ?? ""));
  }
}

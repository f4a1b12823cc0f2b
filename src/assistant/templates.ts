import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { LotseError } from "../errors.ts";
import { FEEDBACK_LABELS } from "../feedback/feedback-labels.ts";
import { GAP_LABELS } from "../gaps/gap-labels.ts";
import { ONBOARDING_LABELS } from "../onboarding/onboarding-labels.ts";
import { ONBOARDING_REPORT_LABELS } from "../onboarding/report-labels.ts";

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

/**
 * Short labels and headings every deployment must provide: prompts/de/labels.yaml, and one labels-<feature>.yaml per
 * feature that keeps its own list (src/<feature>/…-labels.ts). A name may be defined once across the files.
 */
const CORE_LABELS = [
  "heading-sources",
  "heading-goals",
  "heading-next-steps",
  "heading-contacts",
  "heading-contacts-help",
  "link-chat-teams",
  "button-feedback-up",
  "button-feedback-down",
  "button-share",
  "shared-intro",
  "status-working",
  "home-title",
  "home-how-to-ask",
  "ai-notice",
  // Reminders and deadlines (src/reminders/reminder-views.ts)
  "reminder-form-title",
  "reminder-form-intro",
  "reminder-field-text",
  "reminder-field-when",
  "reminder-field-when-hint",
  "reminder-field-date",
  "reminder-field-time",
  "reminder-field-repeat",
  "reminder-field-link",
  "reminder-field-audience",
  "reminder-audience-channel",
  "reminder-audience-personal",
  "reminder-field-target",
  "reminder-form-submit",
  "reminder-open-form-intro",
  "reminder-button-open-form",
  "reminder-error-text",
  "reminder-error-when-missing",
  "reminder-error-link",
  "reminder-error-past",
  "reminder-error-target",
  "reminder-confirm-title",
  "reminder-confirm-intro",
  "reminder-fact-when",
  "reminder-fact-where",
  "reminder-fact-link",
  "reminder-where-channel",
  "reminder-where-other-channel",
  "reminder-where-personal",
  "reminder-heading-next",
  "reminder-button-save",
  "reminder-button-edit",
  "reminder-button-discard",
  "reminder-saved-title",
  "reminder-saved",
  "reminder-saved-no-next",
  "reminder-discarded",
  "reminder-list-title",
  "reminder-list-intro",
  "reminder-list-intro-one",
  "reminder-list-more",
  "reminder-list-empty",
  "reminder-fact-next",
  "reminder-fact-creator",
  "reminder-fact-status",
  "reminder-fact-last",
  "reminder-fact-misses",
  "reminder-status-active",
  "reminder-status-paused",
  "reminder-status-gone",
  "reminder-status-ended",
  "reminder-status-draft",
  "reminder-mark-done",
  "reminder-mark-late",
  "reminder-mark-skipped",
  "reminder-mark-failed",
  "reminder-misses",
  "reminder-personal-mark",
  "reminder-button-pause",
  "reminder-button-resume",
  "reminder-button-delete",
  "reminder-button-send-now",
  "reminder-deleted",
  "reminder-sent-now",
  "reminder-not-found",
  "reminder-not-active",
  "reminder-not-pausable",
  "reminder-not-resumable",
  "reminder-no-next",
  "reminder-refused",
  "reminder-refused-contact",
  "reminder-refused-other",
  "reminder-platform-only",
  "reminder-by",
  "reminder-by-lotse",
  "reminder-late",
  "reminder-button-link",
  "reminder-gone",
  "button-reminder-create",
  "deadline-notice-title",
  "deadline-notice-title-tomorrow",
  "deadline-notice-title-today",
  "deadline-due",
  "deadline-button-source",
  "deadline-unknown",
  "deadline-subscribed-title",
  "deadline-already-subscribed-title",
  "deadline-subscribed-lead",
  "deadline-subscribed-lead-one",
  "deadline-subscribed-lead-today",
  "deadline-subscribed-none",
  "deadline-next",
  "deadline-unsubscribed",
  "deadline-not-subscribed",
  "deadline-refused",
  "deadline-channel-only",
] as const;

export const REQUIRED_LABELS = [
  ...CORE_LABELS,
  ...ONBOARDING_LABELS,
  ...ONBOARDING_REPORT_LABELS,
  ...FEEDBACK_LABELS,
  ...GAP_LABELS,
] as const;

export type LabelName = (typeof REQUIRED_LABELS)[number];

const LABELS_FILE = "labels.yaml";
/** Further label files, one per feature: labels-onboarding.yaml, labels-feedback.yaml, … */
const FEATURE_LABELS_FILE = /^labels-[a-z0-9-]+\.yaml$/;

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(vars[k] ?? ""));
}

/** One labels file as a map of strings, or a German CONFIG_INVALID naming the file and what is wrong. */
async function loadLabelFile(file: string): Promise<Map<string, string>> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, "utf8"));
  } catch (cause) {
    throw new LotseError(
      "CONFIG_INVALID",
      `Beschriftungen nicht lesbar: ${file} (LOTSE_PROMPTS_DIR) fehlt oder ist kein gültiges YAML.`,
      { cause },
    );
  }
  const labels = new Map<string, string>();
  if (raw && typeof raw === "object")
    for (const [k, v] of Object.entries(raw)) if (typeof v === "string") labels.set(k, v.trim());
  return labels;
}

/** labels.yaml and the feature label files merged; a name defined twice or a required one missing is refused. */
async function loadLabels(dir: string, files: string[]): Promise<Map<string, string>> {
  const labels = await loadLabelFile(path.join(dir, LABELS_FILE));
  const origin = new Map([...labels.keys()].map((k) => [k, LABELS_FILE]));
  for (const f of files.filter((x) => FEATURE_LABELS_FILE.test(x)).sort())
    for (const [k, v] of await loadLabelFile(path.join(dir, f))) {
      const before = origin.get(k);
      if (before)
        throw new LotseError(
          "CONFIG_INVALID",
          `Beschriftung ${k} ist doppelt definiert: in ${before} und in ${f} (LOTSE_PROMPTS_DIR ${dir}).`,
        );
      labels.set(k, v);
      origin.set(k, f);
    }
  const missing = REQUIRED_LABELS.filter((l) => !labels.get(l));
  if (missing.length > 0)
    throw new LotseError(
      "CONFIG_INVALID",
      `Beschriftungen fehlen in ${dir} (LOTSE_PROMPTS_DIR, labels.yaml und labels-*.yaml): ${missing.join(", ")}`,
    );
  return labels;
}

/** User-facing wording, editable by a municipality without touching code. {{name}} placeholders are filled in. */
export class Templates {
  private readonly texts: Map<string, string>;
  private readonly labels: Map<string, string>;

  constructor(texts: Map<string, string>, labels: Map<string, string> = new Map()) {
    this.texts = texts;
    this.labels = labels;
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
    return new Templates(texts, await loadLabels(dir, files));
  }

  render(name: TemplateName, vars: Record<string, string | number> = {}): string {
    return fill(this.texts.get(name) ?? "", vars);
  }

  /** A short label or heading from labels.yaml or a labels-<feature>.yaml, placeholders filled in. */
  label(name: LabelName, vars: Record<string, string | number> = {}): string {
    return fill(this.labels.get(name) ?? "", vars);
  }
}

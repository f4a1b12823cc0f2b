import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Config } from "../../src/config.ts";
import { cleanQuestion } from "../../src/core/router.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import { loadEvalCases } from "../../src/eval/eval-cases.ts";
import { type EvalDeps, runEval } from "../../src/eval/run-eval.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { loadRoles } from "../../src/knowledge/tenant-config.ts";
import { formatFindings, hasErrors, validateKnowledge } from "../../src/knowledge/validate.ts";
import type { Logger } from "../../src/log.ts";
import { type Runtime, validationOptions } from "../../src/runtime.ts";
import { assertKnowledge, assertKnownTenant } from "./command-checks.ts";
import { explainCase, explainQuestion } from "./explain.ts";
import { germanCommander, germanError } from "./german-help.ts";
import { ASK_EXIT_CODES, EVAL_FILE_FORMAT } from "./help-texts.ts";
import { open } from "./open-runtime.ts";
import { registerPrivacyCommands } from "./privacy-commands.ts";
import type { ProgressBar } from "./progress-bar.ts";
import { registerReminderCommands } from "./reminder-commands.ts";
import { renderEvalTable } from "./render-eval.ts";
import { formatIngestSummary, progressHandler } from "./render-ingest.ts";
import { renderText } from "./render-text.ts";
import { registerGapReport } from "./report-gaps.ts";
import { registerOnboardingReport } from "./report-onboarding.ts";
import { toInbound } from "./to-inbound.ts";

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  progress: ProgressBar;
  now: () => Date;
}

export interface CliDeps {
  config: Config;
  log: Logger;
  io: CliIo;
  /** Starts the HTTP server (composition root supplies it, with the platform adapters mounted). */
  serve: (runtime: Runtime) => Promise<void>;
  /** Runs before the server opens its database (the composition root sets process-wide settings for serving). */
  beforeServe?: () => void;
  /**
   * Registers the platforms' notifiers on a runtime without serving (the composition root knows the adapters):
   * `lotse reminders run-due` delivers through them.
   */
  startNotifiers?: (runtime: Runtime) => Promise<void>;
}

/** Error codes that mean the command line was wrong (exit code 2), not the system. */
const INPUT_ERRORS = new Set([
  "CONFIG_INVALID",
  "INPUT_EMPTY",
  "INPUT_TOO_LONG",
  "INPUT_NO_TEXT",
  "TENANT_UNKNOWN",
  "REQUEST_INVALID",
  "REMINDER_NOT_FOUND",
  "SCHEDULE_UNREADABLE",
]);

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** Builds the `lotse` command line. Machine output goes to stdout, logs and progress to stderr. */
export function buildProgram(deps: CliDeps, setExit: (code: number) => void): Command {
  const { io } = deps;
  const program = germanCommander(new Command("lotse"), VERSION)
    .description(
      "Lotse – Nachhaltigkeitsassistent für Kommunalverwaltungen. Antwortet aus der kuratierten Wissensbasis mit Quellen, nächsten Schritten und Ansprechpersonen.",
    )
    .showHelpAfterError("(Hilfe mit --help)")
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(germanError(text)),
    })
    .exitOverride();

  program
    .command("ask")
    .description("Eine Frage stellen und die Antwort ausgeben")
    .argument(
      "<frage...>",
      'die Frage in Worten, z. B. "Welche Kriterien gelten für die Beschaffung von Laptops?"',
    )
    .option("--json", "die Antwort als JSON ausgeben (für Skripte)")
    .option("--tenant <kommune>", "für diese Kommune antworten (Standard: LOTSE_DEFAULT_TENANT)")
    .option("--explain", "zeigen, warum: Begriffe und Erweiterungen, Ränge, gewählter Abschnitt, Zuversicht")
    .addHelpText("after", ASK_EXIT_CODES)
    .action(async (words: string[], opts: { json?: boolean; tenant?: string; explain?: boolean }) => {
      const rt = await open(deps, true);
      try {
        if (opts.tenant) await assertKnownTenant(opts.tenant, deps.config, rt);
        await assertKnowledge(deps.config, rt);
        const answer = await rt.router.handle(
          toInbound(words, { ...(opts.tenant ? { tenant: opts.tenant } : {}), now: io.now() }),
        );
        const failed = answer.kind === "error";
        const tenant = opts.tenant ?? deps.config.defaultTenant;
        // Scripts read the JSON whatever the outcome; a person reads an error on stderr.
        if (opts.explain && !failed)
          io.stdout(`${await explainQuestion(rt, words.join(" "), tenant, answer, Boolean(opts.json))}\n`);
        else if (opts.json) io.stdout(`${JSON.stringify(answer, null, 2)}\n`);
        else if (failed) io.stderr(`Fehler [${answer.errorCode}]: ${renderText(answer)}\n`);
        else io.stdout(`${renderText(answer)}\n`);
        if (failed) setExit(INPUT_ERRORS.has(answer.errorCode ?? "") ? 2 : 1);
      } finally {
        await rt.close();
      }
    });

  program
    .command("ingest")
    .description(
      "Die Wissensbasis (LOTSE_KNOWLEDGE_DIR) prüfen und in den Index übernehmen; unveränderte Dateien werden übersprungen",
    )
    .option("--force", "alle Dateien neu einlesen und einbetten")
    .action(async (opts: { force?: boolean }) => {
      const rt = await open(deps, false, false);
      try {
        const summary = await rt.ingest({
          force: Boolean(opts.force),
          onProgress: progressHandler(io.progress),
        });
        io.progress.done();
        io.stdout(`${formatIngestSummary(summary)}\n`);
      } finally {
        io.progress.done();
        await rt.close();
      }
    });

  program
    .command("validate")
    .description(
      "Die Wissensbasis prüfen: Front Matter, Kontaktrollen, doppelte Kennungen, URLs, Prüfdaten (Exit-Code 1 bei Fehlern)",
    )
    .option("--dir <ordner>", "anderer Ordner als LOTSE_KNOWLEDGE_DIR")
    .action(async (opts: { dir?: string }) => {
      const dir = opts.dir ?? deps.config.knowledgeDir;
      const found = await stat(dir).catch(() => undefined);
      if (!found?.isDirectory())
        throw new LotseError(
          "KNOWLEDGE_INVALID",
          `${found ? `${dir} ist eine Datei, kein Ordner` : `Der Ordner ${dir} existiert nicht`}. Geben Sie mit --dir (oder LOTSE_KNOWLEDGE_DIR) den Wissensordner an: er enthält roles.yaml, shared/ und je Kommune einen Ordner.`,
        );
      const set = await loadKnowledge(dir);
      const findings = validateKnowledge(set, io.now(), validationOptions(deps.config));
      if (findings.length > 0) io.stdout(`${formatFindings(findings)}\n`);
      const errors = findings.filter((f) => f.severity === "error").length;
      io.stdout(
        `${set.docs.length} Dokumente geprüft: ${errors} Fehler, ${findings.length - errors} Warnungen.\n`,
      );
      if (hasErrors(findings)) setExit(1);
    });

  program
    .command("eval")
    .description(
      "Evaluationsfragen beantworten lassen und bewerten; der Fragensatz des Projekts ist test/eval/questions.yaml (npm run eval)",
    )
    .argument("<datei>", "YAML-Datei: eine Liste von Fällen im Format unten")
    .addHelpText("after", EVAL_FILE_FORMAT)
    .option("--json", "Ergebnisse und Kennzahlen als JSON ausgeben")
    .addOption(
      new Option("--min-pass-rate <anteil>", "Exit-Code 1, wenn weniger Fälle bestehen (0 bis 1)").argParser(
        parseRate,
      ),
    )
    .option("--explain <id>", "nur diesen Fall ausführen und zeigen, warum er besteht oder nicht")
    .action(async (file: string, opts: { json?: boolean; minPassRate?: number; explain?: string }) => {
      const cases = await loadEvalCases(file);
      const rt = await open(deps, true);
      try {
        await assertKnowledge(deps.config, rt);
        const evalDeps: EvalDeps = {
          answer: (m) => rt.router.handle(m),
          retrieve: async (q, tenant) =>
            (await rt.retriever.search(cleanQuestion(q), tenant ?? deps.config.defaultTenant, 3)).passages,
          roles: await loadRoles(deps.config.knowledgeDir, []),
        };
        if (opts.explain) {
          const one = await explainCase(
            rt,
            cases,
            opts.explain,
            file,
            evalDeps,
            deps.config.defaultTenant,
            Boolean(opts.json),
          );
          io.stdout(`${one.text}\n`);
          if (!one.pass) setExit(1);
          return;
        }
        const report = await runEval(cases, evalDeps, (done, total) =>
          io.progress.update("Evaluation", done, total),
        );
        io.progress.done();
        io.stdout(
          opts.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : `${renderEvalTable(report.results, report.summary)}\n`,
        );
        if (opts.minPassRate !== undefined && report.summary.pass_rate < opts.minPassRate) {
          io.stderr(
            `Bestehensquote ${report.summary.pass_rate} liegt unter dem Mindestwert ${opts.minPassRate}.\n`,
          );
          setExit(1);
        }
      } finally {
        await rt.close();
      }
    });

  program
    .command("serve")
    .description("Den HTTP-Server starten (PORT, Standard 3978) mit /healthz und /readyz")
    .action(async () => {
      deps.beforeServe?.();
      const rt = await open(deps, false);
      try {
        await deps.serve(rt);
      } catch (err) {
        // The open database (PGlite worker thread, pg pool) would keep the process alive after the error.
        await rt.close().catch(() => undefined);
        throw err;
      }
    });

  registerReminderCommands(program, deps, setExit);
  const report = program.command("report").description("Berichte für die Nachhaltigkeitskoordination");
  registerOnboardingReport(report, deps, setExit);
  registerGapReport(report, deps, setExit);
  registerPrivacyCommands(program, deps, setExit);
  return program;
}

function parseRate(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError("Erwartet wird eine Zahl zwischen 0 und 1, z. B. 0.8.");
  return n;
}

/** Runs the CLI and returns the exit code; errors become one clear German line on stderr. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let code = 0;
  const program = buildProgram(deps, (c) => {
    code = c;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    // Commander has printed its message already (in German, see german-help.ts); a wrong command line is exit 2.
    if (err instanceof CommanderError)
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" ? 0 : 2;
    const e = toLotseError(err);
    deps.io.progress.done();
    deps.io.stderr(`Fehler [${e.code}]: ${e.message}\n`);
    if (e.code === "INTERNAL") deps.log.error({ err: e }, "command failed");
    return INPUT_ERRORS.has(e.code) ? 2 : 1;
  }
}

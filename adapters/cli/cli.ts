import { Command, CommanderError, Option } from "commander";
import type { Config } from "../../src/config.ts";
import { cleanQuestion } from "../../src/core/router.ts";
import { LotseError, toLotseError } from "../../src/errors.ts";
import { loadEvalCases } from "../../src/eval/eval-cases.ts";
import { runEval } from "../../src/eval/run-eval.ts";
import type { IngestProgress, IngestSummary } from "../../src/ingest/ingest.ts";
import { loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { formatFindings, hasErrors, validateKnowledge } from "../../src/knowledge/validate.ts";
import type { Logger } from "../../src/log.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import type { ProgressBar } from "./progress-bar.ts";
import { renderEvalTable } from "./render-eval.ts";
import { renderText } from "./render-text.ts";
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
}

/** Opens the runtime; a read-only command falls back to an in-memory copy when another process holds the data directory. */
async function open(deps: CliDeps, readOnly: boolean, autoIngest?: boolean): Promise<Runtime> {
  const opts = autoIngest === undefined ? {} : { autoIngest };
  try {
    return await createRuntime(deps.config, deps.log, opts);
  } catch (err) {
    if (readOnly && err instanceof LotseError && err.code === "DB_LOCKED") {
      deps.io.stderr(
        `Hinweis: ${err.message}\nLotse liest die Wissensbasis deshalb für diesen Aufruf in den Arbeitsspeicher.\n`,
      );
      return createRuntime({ ...deps.config, dataDir: ":memory:" }, deps.log, { autoIngest: true });
    }
    throw err;
  }
}

function progressHandler(bar: ProgressBar): (p: IngestProgress) => void {
  return (p) => {
    if (p.kind === "reading") bar.status(`Lese ${p.file}`);
    else bar.update(p.kind === "embedding" ? "Einbetten" : "Schreiben", p.done, p.total);
  };
}

export function formatIngestSummary(s: IngestSummary): string {
  const lines = [
    `Import abgeschlossen in ${(s.durationMs / 1000).toFixed(1)} s: ${s.files} Dateien, ${s.added} neu, ${s.updated} geändert, ${s.removed} entfernt, ${s.unchanged} unverändert; ${s.chunks} Abschnitte indexiert.`,
  ];
  if (s.reembedded)
    lines.push("Das Einbettungsverfahren hat sich geändert: alle Abschnitte wurden neu eingebettet.");
  if (s.warnings.length > 0) lines.push(`${s.warnings.length} Warnungen:`, formatFindings(s.warnings));
  return lines.join("\n");
}

/** Builds the `lotse` command line. Machine output goes to stdout, logs and progress to stderr. */
export function buildProgram(deps: CliDeps, setExit: (code: number) => void): Command {
  const { io } = deps;
  const program = new Command("lotse")
    .description(
      "Lotse – Nachhaltigkeitsassistent für Kommunalverwaltungen. Antwortet aus der kuratierten Wissensbasis mit Quellen, nächsten Schritten und Ansprechpersonen.",
    )
    .showHelpAfterError("(Hilfe mit --help)")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
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
    .action(async (words: string[], opts: { json?: boolean; tenant?: string }) => {
      const rt = await open(deps, true);
      try {
        const answer = await rt.router.handle(
          toInbound(words, { ...(opts.tenant ? { tenant: opts.tenant } : {}), now: io.now() }),
        );
        io.stdout(opts.json ? `${JSON.stringify(answer, null, 2)}\n` : `${renderText(answer)}\n`);
        if (answer.kind === "error" && answer.errorCode === "INTERNAL") setExit(1);
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
      const set = await loadKnowledge(opts.dir ?? deps.config.knowledgeDir);
      const findings = validateKnowledge(set, io.now());
      if (findings.length > 0) io.stdout(`${formatFindings(findings)}\n`);
      const errors = findings.filter((f) => f.severity === "error").length;
      io.stdout(
        `${set.docs.length} Dokumente geprüft: ${errors} Fehler, ${findings.length - errors} Warnungen.\n`,
      );
      if (hasErrors(findings)) setExit(1);
    });

  program
    .command("eval")
    .description("Evaluationsfragen beantworten lassen und bewerten (Format wie shared/eval/questions.yaml)")
    .argument("<datei>", "YAML-Datei mit Fällen (id, q, expect, contact, abstain)")
    .option("--json", "Ergebnisse und Kennzahlen als JSON ausgeben")
    .addOption(
      new Option("--min-pass-rate <anteil>", "Exit-Code 1, wenn weniger Fälle bestehen (0 bis 1)").argParser(
        parseRate,
      ),
    )
    .action(async (file: string, opts: { json?: boolean; minPassRate?: number }) => {
      const cases = await loadEvalCases(file);
      const rt = await open(deps, true);
      try {
        const report = await runEval(
          cases,
          {
            answer: (m) => rt.router.handle(m),
            retrieve: async (q, tenant) =>
              (await rt.retriever.search(cleanQuestion(q), tenant ?? deps.config.defaultTenant, 3)).passages,
          },
          (done, total) => io.progress.update("Evaluation", done, total),
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
      await deps.serve(rt);
    });

  return program;
}

function parseRate(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new CommanderError(2, "lotse.invalidRate", "--min-pass-rate erwartet eine Zahl zwischen 0 und 1.");
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
    if (err instanceof CommanderError)
      return err.code === "commander.helpDisplayed" || err.code === "commander.version"
        ? 0
        : err.exitCode || 2;
    const e = toLotseError(err);
    deps.io.progress.done();
    deps.io.stderr(`Fehler [${e.code}]: ${e.message}\n`);
    if (e.code === "INTERNAL") deps.log.error({ err: e }, "command failed");
    return e.code === "CONFIG_INVALID" ? 2 : 1;
  }
}

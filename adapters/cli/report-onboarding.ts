import { type Command, InvalidArgumentError } from "commander";
import { Temporal } from "temporal-polyfill";
import type { Templates } from "../../src/assistant/templates.ts";
import { LotseError } from "../../src/errors.ts";
import {
  type ModuleStats,
  type OnboardingPathsLike,
  OnboardingReport,
  type OnboardingReportData,
} from "../../src/onboarding/report-onboarding.ts";
import {
  germanDate,
  oftenWrongShown,
  optionText,
  percent,
  personName,
  personStatus,
  shareShown,
  shownCount,
} from "../../src/onboarding/report-views.ts";
import type { Runtime } from "../../src/runtime.ts";
import type { CliDeps } from "./cli.ts";
import { assertKnownTenant } from "./command-checks.ts";
import { open } from "./open-runtime.ts";
import { isoWithOffset } from "./render-reminders.ts";

/** Exit code when the per-person list is asked for but the tenant has not switched it on. */
export const EXIT_PER_PERSON_DISABLED = 3;

const JSON_FORMAT = `
JSON (--json), feste Schlüssel:
  tenant, generatedAt (ISO 8601), masked (kleine Zahlen in der Textausgabe verborgen), perPersonEnabled,
  thresholds { oftenWrongMinShare, oftenWrongMinAnswers, smallCount },
  paths[]      { path ("alle" | "rolle-…"), name, started, completed, completionRate (0–1 | null) },
  modules[]    { docId, title, path, order (N aus modul-N | null), started, completed, answered, wrong,
                 wrongShare (0–1 | null), topWrong ({ choice, count, text (| null) } | null), question (| null),
                 removed (kein Modul der Wissensbasis mehr) },
  oftenWrong[] { docId, title, question, answered, wrong, wrongShare, topWrong },
  persons[]    (nur mit --per-person) { name (| null), pseudonym, role (| null), completed [docId…], total,
                 status ("active" | "paused" | "completed"), startedAt, completedAt (| null) }
  Die JSON-Ausgabe enthält die genauen Zahlen; wer sie weitergibt, verbirgt Zahlen unter smallCount wie die
  Textausgabe, solange masked true ist.

Kleine Zahlen: Solange die Auswertung pro Person ausgeschaltet ist, zeigt die Textausgabe Zahlen von 1 bis 4 als
„< 5“ und Quoten erst ab 5 Fällen, damit sich in kleinen Teams niemand aus den Zahlen herauslesen lässt.
Häufig falsch beantwortet: ab 30 % falschen Antworten bei mindestens 3 Antworten.

Exit-Code: 0 Bericht ausgegeben; 2 falsche Eingabe (unbekannte Kommune, Datum); ${EXIT_PER_PERSON_DISABLED} Auswertung pro Person
für diese Kommune nicht eingeschaltet (onboarding.per_person_report in LOTSE_TENANT_SETTINGS, nur mit Zustimmung
des Personalrats).

Beispiele:
  lotse report onboarding --tenant musterstadt
  lotse report onboarding --tenant musterstadt --json
  lotse report onboarding --tenant musterstadt --per-person --since 2026-10-01`;

/** `--since 2026-10-01`: a calendar day, from its start in Berlin. */
function parseSince(v: string): Date {
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) throw new RangeError(v);
    const day = Temporal.PlainDate.from(v.trim(), { overflow: "reject" });
    return new Date(day.toZonedDateTime("Europe/Berlin").epochMilliseconds);
  } catch {
    throw new InvalidArgumentError("Erwartet wird ein Datum JJJJ-MM-TT, z. B. 2026-10-01.");
  }
}

const topWrongJson = (m: ModuleStats) =>
  m.topWrong ? { choice: m.topWrong.choice, count: m.topWrong.count, text: m.topWrong.text ?? null } : null;

/** The onboarding's paths where the runtime has them (check questions' wording; see OnboardingPathsLike). */
function pathsOf(rt: Runtime): OnboardingPathsLike | undefined {
  return (rt as Runtime & { onboardingPaths?: OnboardingPathsLike }).onboardingPaths;
}

/** The report as `--json` prints it: dates as ISO 8601 with the Berlin offset, absent values as null. */
export function reportJson(data: OnboardingReportData): Record<string, unknown> {
  return {
    tenant: data.tenant,
    generatedAt: isoWithOffset(data.generatedAt),
    masked: data.masked,
    perPersonEnabled: data.perPersonEnabled,
    thresholds: data.thresholds,
    paths: data.paths,
    modules: data.modules.map((m) => ({
      docId: m.docId,
      title: m.title,
      path: m.path,
      order: m.order,
      started: m.started,
      completed: m.completed,
      answered: m.answered,
      wrong: m.wrong,
      wrongShare: m.wrongShare,
      topWrong: topWrongJson(m),
      question: m.question ?? null,
      removed: m.removed === true,
    })),
    oftenWrong: data.oftenWrong.map((m) => ({
      docId: m.docId,
      title: m.title,
      question: m.question ?? null,
      answered: m.answered,
      wrong: m.wrong,
      wrongShare: m.wrongShare,
      topWrong: topWrongJson(m),
    })),
    ...(data.persons
      ? {
          persons: data.persons.map((p) => ({
            name: p.name,
            pseudonym: p.pseudonym,
            role: p.role,
            completed: p.completed,
            total: p.total,
            status: p.status,
            startedAt: isoWithOffset(p.startedAt),
            completedAt: p.completedAt ? isoWithOffset(p.completedAt) : null,
          })),
        }
      : {}),
  };
}

/** The report for a terminal: one block per part, numbers right-aligned, small counts hidden when masked. */
export function renderOnboardingReport(t: Templates, data: OnboardingReportData, since?: Date): string {
  const count = (n: number) => shownCount(n, data);
  const small = data.thresholds.smallCount;
  const out: string[] = [`Onboarding-Bericht ${data.tenant}, Stand ${germanDate(data.generatedAt)}`];
  if (data.masked)
    out.push(
      `Zahlen unter ${small} erscheinen als „< ${small}“, Quoten erst ab ${small} Fällen (Auswertung pro Person ausgeschaltet).`,
    );
  const rate = (base: number, share: number | null) =>
    share !== null && shareShown(base, data) ? percent(share) : "—";
  const pad = (s: string, n: number) => s.padStart(n);
  out.push("", "Pfade                                   begonnen  abgeschlossen  Quote");
  for (const p of data.paths) {
    const name = p.path === "alle" ? p.name : `Zusatz ${p.name}`;
    out.push(
      `  ${name.padEnd(38)}${pad(count(p.started), 8)}${pad(count(p.completed), 15)}${pad(rate(p.started, p.completionRate), 7)}`,
    );
  }
  out.push(
    "",
    "Module                 begonnen  abgeschlossen  Antworten  falsch  häufigste falsche Antwort",
  );
  let path = "";
  for (const m of data.modules) {
    const group = m.removed
      ? "nicht mehr in der Wissensbasis"
      : m.path === "alle"
        ? "Gemeinsamer Pfad"
        : `Zusatz ${data.paths.find((p) => p.path === m.path)?.name ?? m.path}`;
    if (group !== path) {
      out.push(`  ${group}`);
      path = group;
    }
    const top =
      m.topWrong && shareShown(m.answered, data) ? `${m.topWrong.choice} (${count(m.topWrong.count)}×)` : "—";
    out.push(
      `    ${m.title}`,
      `    ${" ".repeat(19)}${pad(count(m.started), 8)}${pad(count(m.completed), 15)}${pad(count(m.answered), 11)}${pad(rate(m.answered, m.wrongShare), 8)}  ${top}`,
    );
  }
  const shown = oftenWrongShown(data);
  out.push(
    "",
    `Häufig falsch beantwortet (ab ${percent(data.thresholds.oftenWrongMinShare)} falsch bei mindestens ${data.thresholds.oftenWrongMinAnswers} Antworten${data.masked ? `; angezeigt ab ${small} Antworten` : ""}):`,
  );
  if (shown.length === 0) out.push("  keine");
  for (const m of shown)
    out.push(
      `  ${m.title}: ${percent(m.wrongShare ?? 0)} von ${count(m.answered)} Antworten falsch, meist gewählt: ${m.topWrong ? optionText(m.topWrong) : "—"} (${count(m.topWrong?.count ?? 0)}×)`,
      ...(m.question ? [`    „${m.question}“`] : []),
    );
  if (data.persons) {
    out.push("", `Pro Person${since ? ` (begonnen seit ${germanDate(since)})` : ""}: ${data.persons.length}`);
    const roles = new Map(data.paths.map((p) => [p.path, p.name]));
    for (const p of data.persons)
      out.push(
        `  ${personName(t, p)} (${p.role ? (roles.get(p.role) ?? p.role) : "ohne Zusatzmodul"}): ${p.completed.length} von ${p.total} Modulen, ${personStatus(t, p)}`,
      );
  }
  return out.join("\n");
}

/** `lotse report onboarding`: the coordinators' onboarding report (aggregates; per person where switched on). */
export function registerOnboardingReport(
  report: Command,
  deps: CliDeps,
  setExit: (code: number) => void,
): void {
  const { io } = deps;
  report
    .command("onboarding")
    .description(
      "Onboarding-Bericht: je Pfad und Modul begonnen, abgeschlossen, beantwortet; häufig falsch beantwortete Kontrollfragen",
    )
    .option("--tenant <kommune>", "Kommune (Standard: LOTSE_DEFAULT_TENANT)")
    .option("--json", "als JSON ausgeben (Schlüssel siehe unten)")
    .option(
      "--per-person",
      "auch wer welches Modul abgeschlossen hat (nur wenn für die Kommune eingeschaltet: onboarding.per_person_report)",
    )
    .option(
      "--since <datum>",
      "mit --per-person: nur wer seit diesem Tag begonnen hat (JJJJ-MM-TT)",
      parseSince,
    )
    .addHelpText("after", JSON_FORMAT)
    .action(async (opts: { tenant?: string; json?: boolean; perPerson?: boolean; since?: Date }) => {
      // The counts are totals (onboarding_stats has no dates): a day limits only the list of persons.
      if (opts.since && !opts.perPerson)
        throw new LotseError(
          "REQUEST_INVALID",
          "--since gilt nur mit --per-person: Die Summen je Pfad und Modul sind Gesamtzahlen ohne Datum.",
        );
      const rt: Runtime = await open(deps, true);
      try {
        const tenant = opts.tenant ?? deps.config.defaultTenant;
        await assertKnownTenant(tenant, deps.config, rt);
        const paths = pathsOf(rt);
        const reporter = new OnboardingReport({
          db: rt.db,
          tenantSettings: rt.config.tenantSettings,
          templates: rt.templates,
          ...(paths ? { paths } : {}),
          clock: io.now,
        });
        let data: OnboardingReportData;
        try {
          data = await reporter.build(tenant, {
            perPerson: Boolean(opts.perPerson),
            ...(opts.since ? { since: opts.since } : {}),
          });
        } catch (err) {
          if (!(err instanceof LotseError) || err.code !== "REPORT_PER_PERSON_DISABLED") throw err;
          // Scripts read the JSON whatever the outcome; a person reads the reason on stderr.
          if (opts.json)
            io.stdout(`${JSON.stringify({ error: { code: err.code, message: err.message } }, null, 2)}\n`);
          io.stderr(`Fehler [${err.code}]: ${err.message}\n`);
          setExit(EXIT_PER_PERSON_DISABLED);
          return;
        }
        io.stdout(
          opts.json
            ? `${JSON.stringify(reportJson(data), null, 2)}\n`
            : `${renderOnboardingReport(rt.templates, data, opts.since)}\n`,
        );
      } finally {
        await rt.close();
      }
    });
}

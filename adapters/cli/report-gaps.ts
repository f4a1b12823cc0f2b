import { type Command, InvalidArgumentError } from "commander";
import { Temporal } from "temporal-polyfill";
import type { Card } from "../../src/core/replies.ts";
import { LotseError } from "../../src/errors.ts";
import { gapCard, germanDate } from "../../src/gaps/gap-card.ts";
import { DEFAULT_SINCE_DAYS, GapReport, type GapReportData } from "../../src/gaps/gap-report.ts";
import type { Runtime } from "../../src/runtime.ts";
import type { CliDeps } from "./cli.ts";
import { assertKnownTenant } from "./command-checks.ts";
import { open } from "./open-runtime.ts";
import { isoWithOffset } from "./render-reminders.ts";

const JSON_FORMAT = `
Der Bericht fasst Fragen, die Lotse nicht beantworten konnte, und Antworten mit 👎 zu Themen zusammen: je Thema
die Anzahl, bis zu drei typische Formulierungen, die zitierten Dokumente, die Gründe für 👎 und wer die Lücke
schließen könnte (die Stelle, deren Themen in roles.yaml passen, sonst LOTSE_DEFAULT_CONTACT_ROLE). Ohne --since
umfasst er die letzten ${DEFAULT_SINCE_DAYS} Tage. Fragetexte werden nach der Aufbewahrungsfrist gelöscht
(retention_days der Kommune, sonst LOTSE_RETENTION_DAYS): der Bericht zeigt, was davon noch vorhanden ist.
Kommentare zu 👎 stehen nur hier, nie im wöchentlichen Überblick im Kanal.

JSON (--json), feste Schlüssel:
  tenant, since, until (ISO 8601), retentionDays, questions (zusammengefasste Fragen), noAnswer, downvoted,
  withoutText (👎 ohne Fragetext, schon gelöscht), truncated (mehr Fragen, als zusammengefasst wurden),
  groups[] { terms [Wort…], count, noAnswer, downvoted, examples [Text…],
             documents [{ docId, title (| null), count }], reasons { falsch, veraltet, unvollstaendig,
             nicht-meine-frage: Anzahl (nur vorkommende) }, firstSeen, lastSeen,
             suggested { role, label, matched (false: keine Stelle passt, Standardkontakt) }, comments [Text…] }

Exit-Code: 0 Bericht ausgegeben (auch ohne Lücken); 2 falsche Eingabe (unbekannte Kommune, Datum); 1 andere Fehler.

Beispiele:
  lotse report gaps --tenant musterstadt
  lotse report gaps --tenant musterstadt --since 2026-11-01
  lotse report gaps --json`;

/** `--since 2026-11-01`: a calendar day, from its start in Berlin. */
function parseSince(v: string): Date {
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) throw new RangeError(v);
    const day = Temporal.PlainDate.from(v.trim(), { overflow: "reject" });
    return new Date(day.toZonedDateTime("Europe/Berlin").epochMilliseconds);
  } catch {
    throw new InvalidArgumentError("Erwartet wird ein Datum JJJJ-MM-TT, z. B. 2026-11-01.");
  }
}

/** The report as `--json` prints it: dates as ISO 8601 with the Berlin offset, absent titles as null. */
export function gapReportJson(data: GapReportData): Record<string, unknown> {
  return {
    tenant: data.tenant,
    since: isoWithOffset(data.since),
    until: isoWithOffset(data.until),
    retentionDays: data.retentionDays,
    questions: data.questions,
    noAnswer: data.noAnswer,
    downvoted: data.downvoted,
    withoutText: data.withoutText,
    truncated: data.truncated,
    groups: data.groups.map((g) => ({
      terms: g.terms,
      count: g.count,
      noAnswer: g.noAnswer,
      downvoted: g.downvoted,
      examples: g.examples,
      documents: g.documents.map((d) => ({ docId: d.docId, title: d.title ?? null, count: d.count })),
      reasons: g.reasons,
      firstSeen: isoWithOffset(g.firstSeen),
      lastSeen: isoWithOffset(g.lastSeen),
      suggested: { role: g.suggested.role, label: g.suggested.label, matched: g.suggested.matched },
      comments: g.comments,
    })),
  };
}

/** Columns a label takes in a terminal: an emoji (👎) takes two. */
function columns(s: string): number {
  return Array.from(s).reduce((n, c) => n + (/\p{Extended_Pictographic}/u.test(c) ? 2 : 1), 0);
}

/** A card for a terminal: the title, then per section its heading, items (the wordings), facts aligned, text. */
function cardText(card: Card, title: string): string {
  const out: string[] = [title];
  for (const s of card.sections) {
    out.push("");
    if (s.heading) out.push(s.heading);
    for (const item of s.items ?? []) out.push(`  ${item}`);
    const facts = s.facts ?? [];
    const width = Math.max(0, ...facts.map((f) => columns(f.label)));
    for (const f of facts) out.push(`  ${f.label}:${" ".repeat(width - columns(f.label))} ${f.value}`);
    if (s.text) out.push(s.heading || facts.length > 0 ? `  ${s.text}` : s.text);
  }
  return out.join("\n");
}

/**
 * `lotse report gaps`: questions without a good answer, grouped, for the coordinators (comments included). Its exit
 * codes are runCli's (0, 2 for wrong input, 1): `_setExit` is there for the shape every `report` command has.
 */
export function registerGapReport(report: Command, deps: CliDeps, _setExit: (code: number) => void): void {
  const { io } = deps;
  report
    .command("gaps")
    .description(
      "Wissenslücken: Fragen ohne Antwort und Antworten mit 👎, zu Themen zusammengefasst, mit Beispielen, zitierten Dokumenten und wer sie schließen könnte",
    )
    .option("--tenant <kommune>", "Kommune (Standard: LOTSE_DEFAULT_TENANT)")
    .option("--json", "als JSON ausgeben (Schlüssel siehe unten)")
    .option(
      "--since <datum>",
      `ab diesem Tag (JJJJ-MM-TT, Berliner Zeit; Standard: die letzten ${DEFAULT_SINCE_DAYS} Tage)`,
      parseSince,
    )
    .addHelpText("after", JSON_FORMAT)
    .action(async (opts: { tenant?: string; json?: boolean; since?: Date }) => {
      const until = io.now();
      const since = opts.since ?? GapReport.defaultSince(until);
      if (since.getTime() >= until.getTime())
        throw new LotseError(
          "REQUEST_INVALID",
          `Der Tag nach --since liegt in der Zukunft (heute ist der ${germanDate(until)}). Erwartet wird ein Datum JJJJ-MM-TT bis heute.`,
        );
      const rt: Runtime = await open(deps, true);
      try {
        const tenant = opts.tenant ?? deps.config.defaultTenant;
        await assertKnownTenant(tenant, deps.config, rt);
        const data = await rt.gapReport.build(tenant, { since, until });
        if (opts.json) {
          io.stdout(`${JSON.stringify(gapReportJson(data), null, 2)}\n`);
          return;
        }
        const card = gapCard(data, rt.templates, { digest: false, comments: true });
        io.stdout(`${cardText(card, `${card.title ?? ""} – ${tenant}`)}\n`);
      } finally {
        await rt.close();
      }
    });
}

import { chmod, writeFile } from "node:fs/promises";
import { type Command, InvalidArgumentError } from "commander";
import { resolveSubject } from "../../src/privacy/data-subject.ts";
import { type DeletionPlan, deletePerson, planDeletion } from "../../src/privacy/person-delete.ts";
import { countsOf, exportPerson } from "../../src/privacy/person-export.ts";
import { AGGREGATES } from "../../src/privacy/personal-data.ts";
import type { Runtime } from "../../src/runtime.ts";
import type { CliDeps } from "./cli.ts";
import { assertKnownTenant } from "./command-checks.ts";
import { open } from "./open-runtime.ts";

interface SubjectOptions {
  user: string;
  platform?: "slack" | "teams";
  tenant?: string;
}

function parsePlatform(v: string): "slack" | "teams" {
  if (v === "slack" || v === "teams") return v;
  throw new InvalidArgumentError("Erwartet wird slack oder teams.");
}

const PLATFORM_NAME = { slack: "Slack", teams: "Teams" } as const;
const NOTHING_STORED = "Zu dieser Kennung sind bei Lotse keine Daten gespeichert.";
const UNRESOLVED_TEAMS_ID =
  "Hinweis: Zu dieser 29:-Kennung kennt Lotse keine Entra-Objekt-ID. Lotse speichert Teams-Nutzer unter ihrer Entra-Objekt-ID; geben Sie diese an, um alle Daten zu finden.";

/** One line per table of a deletion: what goes, what stays without the person, what stays as it is. */
export function renderDeletion(plan: DeletionPlan, done: boolean): string {
  const width = Math.max(...plan.tables.map((t) => t.table.length));
  const lines: string[] = [];
  for (const t of plan.tables) {
    if (t.deleted + t.anonymised + t.kept === 0) continue;
    const parts = [
      t.deleted > 0 ? `${t.deleted} ${done ? "gelöscht" : "löschen"}` : "",
      t.anonymised > 0 ? `${t.anonymised} ohne Personenbezug behalten` : "",
      t.kept > 0 ? `${t.kept} unverändert` : "",
    ].filter(Boolean);
    lines.push(`  ${t.table.padEnd(width)}  ${parts.join(", ")}${t.note ? ` – ${t.note}` : ""}`);
  }
  return lines.join("\n");
}

/** `lotse privacy export|delete`: a data subject's request (DSGVO Art. 15 and 17) answered by the operator. */
export function registerPrivacyCommands(
  program: Command,
  deps: CliDeps,
  // Every outcome is exit 0 or an error (exit 2 for wrong input, via runCli): the same signature as the others.
  _setExit: (code: number) => void,
): void {
  const { io, log } = deps;
  const withSubject = async <T>(
    opts: SubjectOptions,
    fn: (rt: Runtime, s: Awaited<ReturnType<typeof resolveSubject>>) => Promise<T>,
  ): Promise<T> => {
    const rt = await open(deps, false);
    try {
      if (opts.tenant) await assertKnownTenant(opts.tenant, deps.config, rt);
      const subject = await resolveSubject(rt, {
        userId: opts.user.trim(),
        ...(opts.platform ? { platform: opts.platform } : {}),
        ...(opts.tenant ? { tenant: opts.tenant } : {}),
      });
      if (!subject.resolved) io.stderr(`${UNRESOLVED_TEAMS_ID}\n`);
      return await fn(rt, subject);
    } finally {
      await rt.close();
    }
  };
  const subjectOptions = (c: Command) =>
    c
      .requiredOption(
        "--user <kennung>",
        "Plattform-Kennung der Person: Slack U…/W…, Teams Entra-Objekt-ID oder 29:…",
      )
      .option(
        "--platform <plattform>",
        "slack oder teams (nötig, wo die Kennung es nicht zeigt)",
        parsePlatform,
      )
      .option("--tenant <kommune>", "nur diese Kommune (Standard: alle Kommunen)");

  const privacy = program
    .command("privacy")
    .description("Datenschutz: Auskunft über die Daten einer Person und ihre Löschung (DSGVO Art. 15 und 17)")
    .addHelpText(
      "after",
      "\nBeispiele:\n  lotse privacy export --user U0123ABCD --out auskunft.json\n  lotse privacy delete --user 3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c\n  lotse privacy delete --user 3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c --yes",
    );

  subjectOptions(
    privacy
      .command("export")
      .description("Alles, was Lotse über eine Person speichert, als JSON (Auskunft nach Art. 15 DSGVO)"),
  )
    .option(
      "--out <datei>",
      "in diese Datei schreiben (nur für den Eigentümer lesbar) statt auf die Standardausgabe",
    )
    .addHelpText("after", "\nExit-Code: 0 ausgegeben (auch wenn nichts gespeichert ist); 2 falsche Angaben.")
    .action(async (opts: SubjectOptions & { out?: string }) => {
      await withSubject(opts, async (rt, { subject }) => {
        const data = await exportPerson(rt.db, subject, io.now());
        const counts = countsOf(data);
        const rows = Object.values(counts).reduce((a, b) => a + b, 0);
        const json = `${JSON.stringify(data, null, 2)}\n`;
        if (opts.out) {
          await writeFile(opts.out, json, { mode: 0o600 });
          await chmod(opts.out, 0o600); // an existing file keeps its mode otherwise
          io.stderr(`Auskunft geschrieben: ${opts.out} (${rows} Einträge).\n`);
        } else io.stdout(json);
        if (rows === 0) io.stderr(`${NOTHING_STORED}\n`);
        log.info(
          { event: "privacy_export", platform: subject.platform, rows, tables: counts },
          "personal data exported",
        );
      });
    });

  subjectOptions(
    privacy
      .command("delete")
      .description(
        "Die Daten einer Person löschen (Art. 17 DSGVO); ohne --yes nur anzeigen, was gelöscht würde",
      ),
  )
    .option("--yes", "wirklich löschen")
    .addHelpText(
      "after",
      "\nKanal-Erinnerungen und Fristen-Abonnements, die die Person eingerichtet hat, gehören dem Kanal: Sie bleiben, ohne die Person. Summen ohne Personenbezug (onboarding_stats) bleiben.\nExit-Code: 0 gelöscht oder angezeigt; 2 falsche Angaben.",
    )
    .action(async (opts: SubjectOptions & { yes?: boolean }) => {
      await withSubject(opts, async (rt, { subject }) => {
        const who = `${PLATFORM_NAME[subject.platform]}-Kennung${subject.tenant ? ` bei „${subject.tenant}“` : " (alle Kommunen)"}`;
        const plan = opts.yes ? await deletePerson(rt.db, subject) : await planDeletion(rt.db, subject);
        const counts = Object.fromEntries(plan.tables.map((t) => [t.table, t.deleted + t.anonymised]));
        if (plan.total === 0 && plan.tables.every((t) => t.kept === 0)) {
          io.stdout(`${NOTHING_STORED} Nichts zu löschen.\n`);
          log.info({ event: "privacy_delete", platform: subject.platform, rows: 0 }, "nothing to delete");
          return;
        }
        const kept = `Unverändert bleiben Summen ohne Personenbezug (${AGGREGATES.join(", ")}).`;
        if (!opts.yes) {
          io.stdout(
            `Löschung der Daten zur ${who} – Probelauf, nichts wurde gelöscht:\n${renderDeletion(plan, false)}\n${kept}\nZum Löschen denselben Befehl mit --yes ausführen.\n`,
          );
          log.info(
            {
              event: "privacy_delete",
              dryRun: true,
              platform: subject.platform,
              rows: plan.total,
              tables: counts,
            },
            "deletion planned",
          );
          return;
        }
        io.stdout(`Daten zur ${who} gelöscht:\n${renderDeletion(plan, true)}\n${kept}\n`);
        log.info(
          { event: "privacy_delete", platform: subject.platform, rows: plan.total, tables: counts },
          "personal data deleted",
        );
      });
    });
}

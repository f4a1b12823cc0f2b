import { type Command, InvalidArgumentError } from "commander";
import { LotseError } from "../../src/errors.ts";
import { writeDeadlinesIcs } from "../../src/reminders/deadlines/deadlines-ics.ts";
import type { Reminder } from "../../src/reminders/reminder-store.ts";
import { nextOccurrences } from "../../src/reminders/schedule/occurrences.ts";
import { readSchedule, type ScheduleReading } from "../../src/reminders/schedule/read-schedule.ts";
import type { Runtime } from "../../src/runtime.ts";
import type { CliDeps } from "./cli.ts";
import { assertKnownTenant } from "./command-checks.ts";
import { open } from "./open-runtime.ts";
import { isoWithOffset, renderReading, renderReminderList } from "./render-reminders.ts";

/** The CLI's own name for reminders it creates (shown with every delivery as "Eingerichtet von …"). */
const OPERATOR_NAME = "Lotse-Betrieb";

/** `--now` as an instant: ISO 8601 with offset or Z. */
function parseNow(v: string): Date {
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ||
    Number.isNaN(Date.parse(v))
  )
    throw new InvalidArgumentError(
      "Erwartet wird ein Zeitpunkt nach ISO 8601 mit Zeitzone, z. B. 2027-03-29T09:00:00+02:00.",
    );
  return new Date(v);
}

/** `--target slack:C0123ABCD` or `teams:19:…@thread.tacv2` (split at the first colon). */
function parseTarget(v: string): { platform: "slack" | "teams"; conversation: string } {
  const m = /^(slack|teams):(.+)$/.exec(v.trim());
  if (!m)
    throw new InvalidArgumentError(
      "Erwartet wird <Plattform>:<Unterhaltung>, z. B. slack:C0123ABCD oder teams:19:abc…@thread.tacv2.",
    );
  return { platform: m[1] as "slack" | "teams", conversation: m[2] as string };
}

/** The reading as `parse --json` prints it: the rule, the reading in German, the next three dates with offset. */
function readingJson(r: ScheduleReading, now: Date): Record<string, unknown> {
  if (!r.ok) return { ok: false, message: r.message };
  return {
    ok: true,
    rrule: r.rrule,
    timezone: r.timezone,
    text: r.reading,
    next: nextOccurrences(r.rrule, now, 3, { inclusive: true }).map(isoWithOffset),
  };
}

/** A reminder of a tenant, or REMINDER_NOT_FOUND naming how to find the ids. */
async function reminderOf(rt: Runtime, id: string, tenant: string): Promise<Reminder> {
  const r = await rt.reminders.get(id, tenant);
  if (!r)
    throw new LotseError(
      "REMINDER_NOT_FOUND",
      `Keine Erinnerung ${id} bei „${tenant}“. Die Kennungen zeigt \`lotse reminders list --tenant ${tenant}\`.`,
      { details: { id, tenant } },
    );
  return r;
}

/** `lotse reminders …` and `lotse deadlines …`: the operator's view of reminders, for cron set-ups and tests. */
export function registerReminderCommands(
  program: Command,
  deps: CliDeps,
  setExit: (code: number) => void,
): void {
  const { io } = deps;
  const tenantOf = (t?: string) => t ?? deps.config.defaultTenant;
  const withRuntime = async <T>(fn: (rt: Runtime) => Promise<T>, opts: { notifiers?: boolean } = {}) => {
    const rt = await open(deps, false);
    try {
      if (opts.notifiers) await deps.startNotifiers?.(rt);
      return await fn(rt);
    } finally {
      await rt.close();
    }
  };
  const nowOption = [
    "--now <iso>",
    "so tun, als wäre es dieser Zeitpunkt (ISO 8601 mit Zeitzone)",
    parseNow,
  ] as const;

  const reminders = program
    .command("reminders")
    .description("Erinnerungen verwalten: anzeigen, anlegen, pausieren, fortsetzen, löschen, fällige senden")
    .addHelpText(
      "after",
      '\nBeispiele:\n  lotse reminders parse "jeden ersten Montag im Monat um 9 Uhr" --json\n  lotse reminders add --tenant musterstadt --target slack:C0123ABCD --when "jährlich am 31.3." --text "Indikatoren melden" --json\n  lotse reminders run-due --now 2027-03-31T09:00:00+02:00',
    );

  reminders
    .command("parse")
    .description("Eine Zeitangabe lesen und die nächsten drei Termine zeigen (speichert nichts)")
    .argument("<text>", 'deutsche Zeitangabe, eine RRULE oder "cron: m h tag monat wochentag"')
    .option(...nowOption)
    .option("--json", "als JSON ausgeben")
    .addHelpText("after", "\nExit-Code: 0 gelesen; 2 nicht verstanden (mit Beispielen, die Lotse versteht).")
    .action((text: string, opts: { now?: Date; json?: boolean }) => {
      const now = opts.now ?? io.now();
      const reading = readSchedule(text, now);
      const json = readingJson(reading, now);
      io.stdout(opts.json ? `${JSON.stringify(json, null, 2)}\n` : `${renderReading(json)}\n`);
      if (!reading.ok) setExit(2);
    });

  reminders
    .command("add")
    .description("Eine Erinnerung anlegen (ohne Rückfrage: der Aufruf ist die Bestätigung)")
    .requiredOption("--target <plattform:unterhaltung>", "wohin, z. B. slack:C0123ABCD", parseTarget)
    .requiredOption("--when <zeitangabe>", 'z. B. "jeden Freitag um 9 Uhr" oder eine RRULE')
    .requiredOption("--text <text>", "der Text der Erinnerung")
    .option("--link <url>", "ein Link, als Schaltfläche gezeigt")
    .option("--tenant <kommune>", "Kommune (Standard: LOTSE_DEFAULT_TENANT)")
    .option(
      "--personal <user-id>",
      "persönlich an diese Person (Slack U…, Teams-Objekt-ID) statt in die Unterhaltung",
    )
    .option(...nowOption)
    .option("--json", "als JSON ausgeben")
    .action(
      async (opts: {
        target: { platform: "slack" | "teams"; conversation: string };
        when: string;
        text: string;
        link?: string;
        tenant?: string;
        personal?: string;
        now?: Date;
        json?: boolean;
      }) => {
        const now = opts.now ?? io.now();
        const reading = readSchedule(opts.when, now);
        if (!reading.ok) {
          io.stdout(
            opts.json ? `${JSON.stringify(readingJson(reading, now), null, 2)}\n` : `${reading.message}\n`,
          );
          setExit(2);
          return;
        }
        if (opts.link !== undefined && !/^https?:\/\/\S+$/.test(opts.link))
          throw new LotseError(
            "REQUEST_INVALID",
            "--link: eine vollständige http(s)-Adresse, z. B. https://intranet.example/formular.",
          );
        const text = opts.text.trim();
        if (!text) throw new LotseError("INPUT_EMPTY", "--text ist leer: Was soll die Erinnerung sagen?");
        await withRuntime(async (rt) => {
          const tenant = tenantOf(opts.tenant);
          await assertKnownTenant(tenant, deps.config, rt);
          const saved = await rt.reminders.add(
            {
              tenant,
              audience: opts.personal ? "personal" : "channel",
              platform: opts.target.platform,
              target: opts.personal ?? opts.target.conversation,
              originConversation: opts.target.conversation,
              text,
              ...(opts.link ? { linkUrl: opts.link } : {}),
              rrule: reading.rrule,
              reading: reading.reading,
              creatorPseudonym: rt.pseudonyms.of("cli", "operator"),
              creatorName: OPERATOR_NAME,
              creatorUserId: opts.personal ?? "cli",
              source: "cli",
            },
            now,
          );
          const json = { id: saved.id, ...readingJson(reading, now) };
          io.stdout(
            opts.json
              ? `${JSON.stringify(json, null, 2)}\n`
              : `Erinnerung ${saved.id} angelegt.\n${renderReading(json)}\n`,
          );
        });
      },
    );

  reminders
    .command("list")
    .description("Die Erinnerungen einer Kommune mit nächstem Termin, Status und letzter Zustellung")
    .option("--tenant <kommune>", "Kommune (Standard: LOTSE_DEFAULT_TENANT)")
    .option("--target <plattform:unterhaltung>", "nur die einer Unterhaltung", parseTarget)
    .option("--all", "auch beendete einmalige Erinnerungen")
    .option(...nowOption)
    .option("--json", "als JSON ausgeben")
    .action(
      async (opts: {
        tenant?: string;
        target?: { platform: "slack" | "teams"; conversation: string };
        all?: boolean;
        now?: Date;
        json?: boolean;
      }) =>
        withRuntime(async (rt) => {
          const now = opts.now ?? io.now();
          const listing = await rt.reminders.list(
            {
              tenant: tenantOf(opts.tenant),
              ...(opts.target
                ? { platform: opts.target.platform, conversation: opts.target.conversation }
                : {}),
              ...(opts.all ? { includeEnded: true } : {}),
            },
            now,
          );
          io.stdout(
            opts.json
              ? `${JSON.stringify(
                  listing.map((l) => ({
                    id: l.reminder.id,
                    status: l.reminder.status,
                    audience: l.reminder.audience,
                    target: `${l.reminder.platform}:${l.reminder.target}`,
                    text: l.reminder.text,
                    reading: l.reminder.reading,
                    next: l.next ? isoWithOffset(l.next) : null,
                    last: l.last ? { ...l.last, dueAt: isoWithOffset(l.last.dueAt) } : null,
                    failed: l.failed,
                    skipped: l.skipped,
                    pausedReason: l.reminder.pausedReason ?? null,
                  })),
                  null,
                  2,
                )}\n`
              : `${renderReminderList(listing)}\n`,
          );
        }),
    );

  for (const [name, verb, done] of [
    ["pause", "pausieren (nichts wird gesendet, bis sie fortgesetzt wird)", "pausiert"],
    ["resume", "fortsetzen (ab dem nächsten Termin nach jetzt)", "fortgesetzt"],
    ["delete", "löschen (mit allen geplanten Zustellungen)", "gelöscht"],
  ] as const)
    reminders
      .command(name)
      .description(`Eine Erinnerung ${verb}`)
      .argument("<id>", "die Kennung aus `lotse reminders list`")
      .option("--tenant <kommune>", "Kommune (Standard: LOTSE_DEFAULT_TENANT)")
      .option(...nowOption)
      .option("--json", "als JSON ausgeben")
      .action(async (id: string, opts: { tenant?: string; now?: Date; json?: boolean }) =>
        withRuntime(async (rt) => {
          const tenant = tenantOf(opts.tenant);
          await reminderOf(rt, id, tenant);
          const now = opts.now ?? io.now();
          if (name === "pause") await rt.reminders.pause(id, tenant);
          else if (name === "resume") await rt.reminders.resume(id, tenant, now);
          else await rt.reminders.remove(id, tenant);
          io.stdout(opts.json ? `${JSON.stringify({ id, status: done })}\n` : `Erinnerung ${id} ${done}.\n`);
        }),
      );

  reminders
    .command("run-due")
    .description(
      "Zustellen, was zu diesem Zeitpunkt fällig ist, und beenden (für Cron ohne laufenden Server und für Tests)",
    )
    .option(...nowOption)
    .option("--json", "Zusammenfassung als JSON ausgeben")
    .action(async (opts: { now?: Date; json?: boolean }) =>
      withRuntime(
        async (rt) => {
          const summary = await rt.scheduler.runDue(opts.now ?? io.now());
          io.stdout(
            opts.json
              ? `${JSON.stringify(summary)}\n`
              : `${summary.done} zugestellt, ${summary.retried} später erneut, ${summary.waited} wegen Ratenbegrenzung verschoben, ${summary.failed} fehlgeschlagen, ${summary.skipped} übersprungen.\n`,
          );
          if (summary.failed > 0) setExit(1);
        },
        { notifiers: true },
      ),
    );

  program
    .command("deadlines")
    .description(
      "Die Fristen einer Kommune (Dokumente vom Typ deadline) anzeigen oder als iCalendar-Datei schreiben",
    )
    .option("--tenant <kommune>", "Kommune (Standard: LOTSE_DEFAULT_TENANT)")
    .option("--ics <datei>", "als iCalendar-Datei (.ics) für Outlook schreiben")
    .option(...nowOption)
    .action(async (opts: { tenant?: string; ics?: string; now?: Date }) =>
      withRuntime(async (rt) => {
        const tenant = tenantOf(opts.tenant);
        await assertKnownTenant(tenant, deps.config, rt);
        const now = opts.now ?? io.now();
        if (opts.ics) {
          const n = await writeDeadlinesIcs(rt.db, tenant, opts.ics, now);
          io.stdout(`${n} Fristen nach ${opts.ics} geschrieben.\n`);
          return;
        }
        const list = await rt.deadlines.list(tenant);
        if (list.length === 0) io.stdout(`Keine Fristen mit Termin (due) für „${tenant}“.\n`);
        for (const d of list) {
          const [next] = nextOccurrences(d.rrule, now, 1, { inclusive: true });
          io.stdout(`${next ? isoWithOffset(next).slice(0, 10) : "—"}  ${d.title}  (${d.reading})\n`);
        }
      }),
    );
}

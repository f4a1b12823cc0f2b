import { firstSectionDeadline } from "../../knowledge/date-checks.ts";
import { hasPassed } from "../../knowledge/german-dates.ts";
import type { DocMeta, Finding } from "../../knowledge/types.ts";
import { toBerlin } from "../schedule/berlin-time.ts";
import { formatDate } from "../schedule/german-format.ts";
import { nextOccurrences } from "../schedule/occurrences.ts";
import { readSchedule } from "../schedule/read-schedule.ts";
import { dueAnchor } from "./due-anchor.ts";

/**
 * Checks of a document's `due` (its deadline in the words of the reminder grammar): a `due` the grammar refuses is an
 * error with the grammar's message; a deadline document without one, a `due` on another type, and a `due` that misses
 * the deadline the first section names are warnings.
 */
export function dueFindings(
  meta: DocMeta,
  file: string,
  body: { text: string; line: number } | undefined,
  lines: { due: number; type: number },
  now: Date,
): Finding[] {
  if (meta.type !== "deadline") {
    if (meta.due === undefined) return [];
    return [
      {
        severity: "warning",
        file,
        line: lines.due,
        message: `due gilt nur für Frist-Dokumente (type: deadline); bei type: ${meta.type} bietet Lotse dafür keine Erinnerung an. Bitte type: deadline setzen oder due entfernen.`,
      },
    ];
  }
  if (meta.due === undefined)
    return [
      {
        severity: "warning",
        file,
        line: lines.type,
        message:
          'Frist-Dokument ohne due: ohne due kann Lotse keine Erinnerung anbieten. Bitte den Termin in Worten angeben, z. B. due: "jährlich am 31.3.".',
      },
    ];
  const schedule = readSchedule(meta.due, dueAnchor(meta.reviewed));
  if (!schedule.ok)
    return [
      {
        severity: "error",
        file,
        line: lines.due,
        message: `due "${meta.due}" ist kein lesbarer Termin: ${schedule.message}`,
      },
    ];
  if (!body) return [];
  // A passed deadline is reported by the date checks already.
  const named = firstSectionDeadline(body.text);
  if (!named || hasPassed(named, now)) return [];
  const next = nextOccurrences(schedule.rrule, now, 1)[0];
  const z = next && toBerlin(next);
  // "bis Juni 2027" names a month only: its month must match.
  const sameDay = /^\d/.test(named.text) ? z?.day === named.end.getUTCDate() : true;
  if (z && sameDay && z.month === named.end.getUTCMonth() + 1) return [];
  const line = body.line + (body.text.slice(0, named.index).match(/\n/g)?.length ?? 0);
  return [
    {
      severity: "warning",
      file,
      line,
      message: `Der erste Abschnitt nennt die Frist ${named.text}, due "${meta.due}" ergibt aber ${next ? `als nächsten Termin den ${formatDate(next)}` : "keinen weiteren Termin"}. Bitte Text oder due angleichen.`,
    },
  ];
}

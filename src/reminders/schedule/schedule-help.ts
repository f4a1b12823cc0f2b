/** Working phrases shown with every refusal, so the user can rephrase instead of guessing what Lotse understands. */
export const SCHEDULE_EXAMPLES = [
  "morgen um 14 Uhr",
  "jeden Freitag um 9 Uhr",
  "am 31.3. um 10 Uhr",
  "jeden ersten Montag im Monat",
  "am letzten Werktag im Monat",
  "alle zwei Wochen dienstags",
];

/** A refusal: the reason first, then the examples. */
export function scheduleRefusal(reason: string): { ok: false; message: string } {
  const examples = SCHEDULE_EXAMPLES.map((e) => `„${e}“`).join(", ");
  return { ok: false, message: `${reason} So verstehe ich es zum Beispiel: ${examples}.` };
}

/** Reasons for refusing a phrase, worded for the user (Sie). */
export const REFUSALS = {
  unknown: "Diesen Zeitpunkt kann ich leider nicht sicher lesen – ich rate lieber nicht.",
  vague: "Das ist mir zu ungenau: Bitte nennen Sie einen Tag (und gern eine Uhrzeit).",
  weekdayMissing: "An welchem Wochentag? Bitte nennen Sie den Tag, z. B. „wöchentlich am Mittwoch“.",
  dayMissing:
    "An welchem Tag genau? Bitte nennen Sie den Monat oder die Wiederholung, z. B. „am 15.3.“ oder „jeden Monat am 15.“.",
  everyOther:
    "„jeden zweiten …“ kann zweierlei heißen: alle zwei Wochen an diesem Tag (z. B. „alle zwei Wochen montags“) oder einmal im Monat an seinem zweiten (z. B. „jeden zweiten Montag im Monat“). Bitte schreiben Sie es so.",
  timeInvalid: "Diese Uhrzeit gibt es nicht.",
  empty: "Bitte sagen Sie mir, wann ich erinnern soll.",
} as const;

/** The date does not exist ("31.2."). */
export function impossibleDate(day: number, month: number): string {
  return `Den ${day}.${month}. gibt es nicht.`;
}

/** A one-off in the past. */
export function pastDate(when: string): string {
  return `${when} liegt in der Vergangenheit – eine Erinnerung kann nur für die Zukunft angelegt werden.`;
}

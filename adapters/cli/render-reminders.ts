import { Temporal } from "temporal-polyfill";
import type { ReminderListing } from "../../src/reminders/reminders.ts";

const ZONE = "Europe/Berlin";

/** An instant as ISO 8601 with the Berlin offset, to the second: "2027-01-04T09:00:00+01:00". */
export function isoWithOffset(d: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime())
    .toZonedDateTimeISO(ZONE)
    .toString({ timeZoneName: "never", smallestUnit: "second" });
}

/** `parse` / `add` for a person: the reading and the next dates, or the help text. */
export function renderReading(json: Record<string, unknown>): string {
  if (json.ok !== true) return String(json.message);
  const next = (json.next as string[]).map((n) => `  ${n}`).join("\n");
  return `${String(json.text)}\nNächste Termine:\n${next}\nRRULE:\n${String(json.rrule)
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n")}`;
}

const STATUS: Record<string, string> = {
  active: "aktiv",
  paused: "pausiert",
  ended: "beendet",
  draft: "Entwurf",
};

/** `list` for a person: one block per reminder. */
export function renderReminderList(listing: ReminderListing[]): string {
  if (listing.length === 0) return "Keine Erinnerungen.";
  return listing
    .map(({ reminder: r, next, last, failed, skipped }) => {
      const status =
        r.pausedReason === "conversation_gone"
          ? "pausiert (Unterhaltung nicht mehr erreichbar)"
          : (STATUS[r.status] ?? r.status);
      const marks = [
        last?.late ? "zuletzt verspätet" : "",
        skipped > 0 ? `${skipped} übersprungen` : "",
        failed > 0 ? `${failed} fehlgeschlagen` : "",
      ].filter(Boolean);
      return [
        `#${r.id}  ${status}  ${r.platform}:${r.target}${r.audience === "personal" ? " (persönlich)" : ""}`,
        `  ${r.text}`,
        `  ${r.reading}; nächster Termin: ${next ? isoWithOffset(next) : "—"}`,
        ...(marks.length > 0 ? [`  ${marks.join(", ")}`] : []),
      ].join("\n");
    })
    .join("\n");
}

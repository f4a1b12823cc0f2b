import type { IngestProgress, IngestSummary } from "../../src/ingest/ingest.ts";
import { formatFindings } from "../../src/knowledge/validate.ts";
import type { ProgressBar } from "./progress-bar.ts";

/** Shows ingest progress on the bar: the file being read, then the chunks embedded and written. */
export function progressHandler(bar: ProgressBar): (p: IngestProgress) => void {
  return (p) => {
    if (p.kind === "reading") bar.status(`Lese ${p.file}`);
    else bar.update("Einbetten und Schreiben", p.done, p.total);
  };
}

/** The German summary `lotse ingest` prints at the end. */
export function formatIngestSummary(s: IngestSummary): string {
  const lines = [
    `Import abgeschlossen in ${(s.durationMs / 1000).toFixed(1)} s: ${s.files} Dateien, ${s.added} neu, ${s.updated} geändert, ${s.removed} entfernt, ${s.unchanged} unverändert; ${s.chunks} Abschnitte indexiert.`,
  ];
  if (s.contactsUpdated) lines.push("Kontakte und Rollen aktualisiert.");
  if (s.reembedded)
    lines.push("Das Einbettungsverfahren hat sich geändert: alle Abschnitte wurden neu eingebettet.");
  if (s.warnings.length > 0) lines.push(`${s.warnings.length} Warnungen:`, formatFindings(s.warnings));
  return lines.join("\n");
}

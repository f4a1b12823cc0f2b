import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

// Deadline documents written into a copy of the fixture corpus. Kept as strings here, because biome would reformat
// Markdown under test/reminders (it ignores only knowledge/ and test/fixtures/), which breaks front matter.

/** Deadlines whose due reads and matches the text: a tenant's and a shared one. */
export const GOOD_DEADLINES: Record<string, string> = {
  "musterstadt/frist-klimaschutzbericht.md": `---
id: musterstadt-frist-klimaschutzbericht
title: "Frist Musterstadt: Beiträge zum Klimaschutzbericht jedes Jahr bis 30. Juni"
type: deadline
due: "jährlich am 30.6."
tenant: musterstadt
sources:
  - title: "Stadt Musterstadt: Ratsbeschluss Klimaschutzkonzept, Abschnitt Controlling"
    url: https://intranet.musterstadt.example/ratsinfo/klimaschutzkonzept
  - title: "Stadt Musterstadt: Meldebogen Klimaschutz"
    url: https://intranet.musterstadt.example/formulare/klimaschutz
contacts: [nachhaltigkeit]
reviewed: 2026-11-20
tags: [frist, klimaschutz]
---

# Frist Musterstadt: Beiträge zum Klimaschutzbericht jedes Jahr bis 30. Juni

## Bis wann liefern die Fachbereiche ihre Beiträge zum Klimaschutzbericht?

In Musterstadt liefern alle Fachbereiche ihre Beiträge zum Klimaschutzbericht jedes Jahr bis 30. Juni an die Nachhaltigkeitskoordination, also als Nächstes bis 30. Juni 2027. Gemeldet werden Energieverbrauch, Wärme; Strom und Kraftstoffe des Vorjahres, je Liegenschaft und Fahrzeug. Dafür nutzen Sie den Meldebogen Klimaschutz im Intranet. Jeder Fachbereich benennt eine Ansprechperson, die Rückfragen der Koordination beantwortet. Wer nicht rechtzeitig liefern kann, meldet sich vorher.

Der Bericht geht im Herbst in den Ausschuss für Umwelt und Klima.

## Was gehört in den Beitrag?

Verbrauchswerte, Maßnahmen und eine kurze Einschätzung.
`,
  "shared/frist-foerderaufruf.md": `---
id: frist-foerderaufruf-klimaschutz
title: "Frist: Förderaufruf Kommunalrichtlinie jedes Jahr bis 15. Januar"
type: deadline
due: "jährlich am 15.1."
tenant: shared
sources:
  - title: "ZUG: Kommunalrichtlinie, Förderaufruf"
    url: https://www.klimaschutz.de/de/foerderung/foerderprogramme/kommunalrichtlinie
reviewed: 2026-11-20
tags: [frist, foerderung]
---

# Frist: Förderaufruf Kommunalrichtlinie jedes Jahr bis 15. Januar

## Bis wann sind Anträge im Förderaufruf einzureichen?

Anträge im jährlichen Förderaufruf sind jedes Jahr bis 15. Januar einzureichen. Die Nachhaltigkeitskoordination hilft bei der Antragsskizze.
`,
};

const head = (
  id: string,
  title: string,
  type: string,
  due: string | undefined,
  role: string,
  url: string,
) => `---
id: ${id}
title: "${title}"
type: ${type}
${due === undefined ? "" : `due: "${due}"\n`}tenant: musterstadt
sources:
  - title: "Stadt Musterstadt: Dienstanweisung"
    url: ${url}
contacts: [${role}]
reviewed: 2026-11-20
tags: [frist]
---

# ${title}
`;

/** One document per due finding: unreadable, missing, on another type, and contradicting the text. */
export const BAD_DEADLINES: Record<string, string> = {
  "musterstadt/frist-unlesbar.md": `${head("musterstadt-frist-unlesbar", "Frist Musterstadt: Energiebericht irgendwann im Frühjahr", "deadline", "irgendwann im Frühjahr", "nachhaltigkeit", "https://intranet.musterstadt.example/dienstanweisungen/energie")}
## Wann ist der Energiebericht fällig?

Der Energiebericht ist im Frühjahr fällig.
`,
  "musterstadt/frist-ohne-due.md": `${head("musterstadt-frist-ohne-due", "Frist Musterstadt: Fuhrparkmeldung jedes Jahr bis 31. Januar", "deadline", undefined, "fuhrpark", "https://intranet.musterstadt.example/dienstanweisungen/fuhrpark")}
## Bis wann wird der Fuhrpark gemeldet?

Der Fuhrpark meldet Fahrleistung und Verbrauch jedes Jahr bis 31. Januar 2027.
`,
  "musterstadt/regel-mit-due.md": `${head("musterstadt-regel-mit-due", "Regel Musterstadt: Recyclingpapier in allen Druckern", "rule", "jährlich am 1.1.", "vergabestelle", "https://intranet.musterstadt.example/dienstanweisungen/papier")}
## Welches Papier?

In allen Druckern der Stadtverwaltung liegt Recyclingpapier mit dem Blauen Engel.
`,
  "musterstadt/frist-abweichend.md": `${head("musterstadt-frist-abweichend", "Frist Musterstadt: Beschaffungsstatistik jedes Jahr bis 30. April", "deadline", "jährlich am 31.5.", "vergabestelle", "https://intranet.musterstadt.example/dienstanweisungen/beschaffung")}
## Bis wann meldet die Vergabestelle die Beschaffungsstatistik?

Die Vergabestelle meldet die Beschaffungsstatistik jedes Jahr bis 30. April, als Nächstes bis 30. April 2027.
`,
};

/** Writes documents (relative path → text) into a knowledge directory. */
export async function writeDocs(dir: string, docs: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(docs)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

import type { Queryable } from "../../src/db/database.ts";

/** The bundled knowledge's onboarding modules of Musterstadt (knowledge/musterstadt/onboarding-*.md). */
export const M = {
  warum: "musterstadt-onboarding-01-warum",
  strategie: "musterstadt-onboarding-02-strategie-ziele",
  beschaffung: "musterstadt-onboarding-03-beschaffung",
  dienstreise: "musterstadt-onboarding-04-dienstreise-mobilitaet",
  energie: "musterstadt-onboarding-05-energie-ressourcen",
  werHilft: "musterstadt-onboarding-06-wer-hilft",
  beschaffende: "musterstadt-onboarding-rolle-beschaffende",
  fuehrung: "musterstadt-onboarding-rolle-fuehrungskraefte",
  gebaeude: "musterstadt-onboarding-rolle-gebaeude-technik",
} as const;

/** A module that was removed from the knowledge base after people had started it (its counts stay). */
export const REMOVED = "musterstadt-onboarding-07-abfall-alt";

type Answers = { correct: [string, number]; wrong: [string, number][] };

/**
 * Aggregates as the onboarding feature writes them for Musterstadt after a few months: 14 new colleagues started the
 * common path, 6 finished it; 4 took the add-on for Beschaffende, 2 the one for Führungskräfte. Per module the
 * answers to its check question by option.
 */
const MODULES: [string, number, number, Answers][] = [
  [M.warum, 14, 13, { correct: ["B", 12], wrong: [["A", 1]] }], // 1 of 13 wrong
  [
    M.strategie,
    13,
    11,
    {
      correct: ["C", 7],
      wrong: [
        ["A", 3],
        ["B", 1],
      ],
    },
  ], // 4 of 11: 36 %
  [M.beschaffung, 11, 9, { correct: ["A", 6], wrong: [["B", 3]] }], // 3 of 9: 33 %
  [
    M.dienstreise,
    9,
    8,
    {
      correct: ["B", 5],
      wrong: [
        ["C", 2],
        ["A", 2],
      ],
    },
  ], // 4 of 9: 44 %, A and C tie
  [M.energie, 8, 7, { correct: ["A", 7], wrong: [["C", 3]] }], // 3 of 10: exactly 30 %
  [M.werHilft, 7, 6, { correct: ["C", 6], wrong: [["B", 1]] }], // 1 of 7: 14 %
  [M.beschaffende, 4, 3, { correct: ["C", 1], wrong: [["A", 2]] }], // 2 of 3: 67 %, only 3 answers
  [M.fuehrung, 2, 0, { correct: ["A", 0], wrong: [["B", 2]] }], // 2 of 2 wrong, but too few answers
];

export async function insertStats(db: Queryable, tenant = "musterstadt"): Promise<void> {
  const rows: [string, string, string, boolean | null, number][] = [
    ["pfad:alle", "started", "", null, 14],
    ["pfad:alle", "completed", "", null, 6],
    ["pfad:rolle-beschaffende", "started", "", null, 4],
    ["pfad:rolle-beschaffende", "completed", "", null, 2],
    ["pfad:rolle-fuehrungskraefte", "started", "", null, 2],
    [REMOVED, "started", "", null, 3],
    [REMOVED, "completed", "", null, 3],
  ];
  for (const [item, started, completed, answers] of MODULES) {
    rows.push([item, "started", "", null, started], [item, "completed", "", null, completed]);
    if (answers.correct[1] > 0) rows.push([item, "answer", answers.correct[0], true, answers.correct[1]]);
    for (const [choice, n] of answers.wrong) rows.push([item, "answer", choice, false, n]);
  }
  for (const [item, metric, choice, correct, count] of rows)
    await db.query(
      `INSERT INTO onboarding_stats (tenant, item, metric, choice, correct, count) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant, item, metric, choice) DO UPDATE SET count = EXCLUDED.count, correct = EXCLUDED.correct`,
      [tenant, item, metric, choice, correct, count],
    );
  // Another municipality's numbers must never appear in Musterstadt's report.
  await db.query(
    `INSERT INTO onboarding_stats (tenant, item, metric, choice, correct, count) VALUES
       ('otherstadt', 'pfad:alle', 'started', '', NULL, 99) ON CONFLICT DO NOTHING`,
  );
}

/** Progress rows as the onboarding feature keeps them (names only where per-person reporting is on). */
export const PEOPLE = [
  {
    person: "3f9a1c2e7b4d5a6f8e0c1b2a3d4e5f60",
    display_name: "Erika Mustermann",
    role: "rolle-beschaffende",
    completed: [M.warum, M.strategie, M.beschaffung, M.dienstreise, M.energie, M.werHilft, M.beschaffende],
    status: "completed",
    started_at: "2026-09-14T07:30:00Z",
    completed_at: "2026-09-18T12:05:00Z",
  },
  {
    person: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    display_name: "Jonas Weber",
    role: null,
    completed: [M.warum, M.strategie],
    status: "paused",
    started_at: "2026-10-20T08:00:00Z",
    completed_at: null,
  },
  {
    person: "c0ffee0123456789abcdef0123456789",
    display_name: null,
    role: "rolle-fuehrungskraefte",
    completed: [M.warum],
    status: "active",
    started_at: "2026-11-23T09:15:00Z",
    completed_at: null,
  },
] as const;

export async function insertProgress(db: Queryable, tenant = "musterstadt"): Promise<void> {
  for (const p of PEOPLE)
    await db.query(
      `INSERT INTO onboarding_progress
         (tenant, person, role, current_module, completed, status, platform, display_name, started_at, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'slack', $7, $8, $9) ON CONFLICT DO NOTHING`,
      [
        tenant,
        p.person,
        p.role,
        p.completed.at(-1) ?? null,
        p.completed,
        p.status,
        p.display_name,
        p.started_at,
        p.completed_at,
      ],
    );
}

/** The onboarding documents with their tags, for a database without the bundled knowledge ingested. */
export async function insertModules(db: Queryable): Promise<void> {
  const docs: [string, string, string[]][] = [
    [M.warum, "Onboarding Modul 1: Warum Nachhaltigkeit in Musterstadt zählt", ["onboarding", "modul-1"]],
    [M.strategie, "Onboarding Modul 2: Strategie und Ziele der Stadt Musterstadt", ["onboarding", "modul-2"]],
    [M.beschaffung, "Onboarding Modul 3: Beschaffung im Arbeitsalltag", ["onboarding", "modul-3"]],
    [M.dienstreise, "Onboarding Modul 4: Dienstreise und Mobilität", ["onboarding", "modul-4"]],
    [M.energie, "Onboarding Modul 5: Energie und Ressourcen im Büro", ["onboarding", "modul-5"]],
    [M.werHilft, "Onboarding Modul 6: Ihre Ansprechpersonen für Nachhaltigkeit", ["onboarding", "modul-6"]],
    [
      M.beschaffende,
      "Onboarding Zusatzmodul für Beschaffende: nachhaltig einkaufen in Musterstadt",
      ["onboarding", "rolle-beschaffende", "zusatzmodul"],
    ],
    [
      M.fuehrung,
      "Onboarding Zusatzmodul für Führungskräfte: Nachhaltigkeit im Fachbereich",
      ["onboarding", "rolle-fuehrungskraefte", "zusatzmodul"],
    ],
    [
      M.gebaeude,
      "Onboarding Zusatzmodul für Gebäude und Technik: Energie in städtischen Gebäuden",
      ["onboarding", "rolle-gebaeude-technik", "zusatzmodul"],
    ],
  ];
  // An onboarding document that is no module (no modul-N, no rolle-… tag): not part of any path.
  docs.push([
    "musterstadt-wer-ist-zustaendig",
    "Wer ist in Musterstadt für Nachhaltigkeit zuständig?",
    ["onboarding", "ansprechpersonen"],
  ]);
  // Inserted in an order unlike the path's, so the report must sort by modul-N itself.
  for (const [id, title, tags] of [...docs].reverse())
    await db.query(
      `INSERT INTO documents (doc_id, tenant, type, title, source_path, content_hash, tags)
       VALUES ($1, 'musterstadt', 'onboarding', $2, $3, 'h', $4)`,
      [id, title, `musterstadt/${id}.md`, tags],
    );
}

const check = (question: string, options: [string, string][]) => ({
  question,
  options: options.map(([letter, text]) => ({ letter, text })),
});

/** The onboarding's paths (OnboardingPaths.of) as far as the report reads them: check questions and add-on names. */
export const PATHS = {
  async of(tenant: string) {
    if (tenant !== "musterstadt") return { common: [], roles: [] };
    return {
      common: [
        {
          id: M.strategie,
          check: check("Bis wann will die Stadtverwaltung klimaneutral sein?", [
            ["A", "bis 2030"],
            ["B", "bis 2045"],
            ["C", "bis 2035"],
          ]),
        },
      ],
      roles: [
        {
          role: "rolle-beschaffende",
          label: "Beschaffende",
          modules: [
            {
              id: M.beschaffende,
              check: check("Ab welchem Auftragswert ist der Nachhaltigkeitscheck Pflicht?", [
                ["A", "ab 500 Euro"],
                ["B", "ab 25.000 Euro"],
                ["C", "ab 1.000 Euro netto"],
              ]),
            },
          ],
        },
      ],
    };
  },
};

import type { Templates } from "../assistant/templates.ts";
import type { TenantSettings } from "../core/tenant-settings.ts";
import type { Queryable } from "../db/database.ts";
import { LotseError } from "../errors.ts";

/**
 * A check question is "häufig falsch beantwortet" when at least this share of its answers was wrong …
 * (30 %: with three options a guess is wrong two times in three; a third wrong means the module does not get its
 * point across to many).
 */
export const OFTEN_WRONG_MIN_SHARE = 0.3;
/** … and it was answered at least this often (one wrong answer of two says nothing about the module). */
export const OFTEN_WRONG_MIN_ANSWERS = 3;
/**
 * Small counts. While per-person reporting is off, the chat card and the CLI's text show every count from 1 to
 * SMALL_COUNT − 1 as "< 5", a share (completion rate, share wrong, the wrong option chosen most) only when its base is
 * at least SMALL_COUNT, and list a question as often wrong only from SMALL_COUNT answers: in a team where two people
 * took the add-on for Beschaffende, "1 begonnen, 0 abgeschlossen" or "1 Antwort, 100 % falsch, B" would tell who did
 * what, which is the per-person report the staff council has not agreed to. 0 is shown as 0 (nobody is no one). With
 * per-person reporting on, the exact counts tell nothing the per-person list does not, so nothing is hidden. The
 * report's data (and `lotse report onboarding --json`, the operator's, who has the database anyway) keep the exact
 * counts and say `masked`, so a script that publishes them can apply the same rule.
 */
export const SMALL_COUNT = 5;

/** The common path is "alle"; a role add-on path is its tag, "rolle-beschaffende". */
export type PathKey = string;

export interface PathStats {
  path: PathKey;
  /** "Gemeinsamer Pfad" for alle; the role in words ("Beschaffende") for an add-on. */
  name: string;
  started: number;
  completed: number;
  /** completed / started; null when nobody started. */
  completionRate: number | null;
}

export interface ModuleStats {
  docId: string;
  title: string;
  path: PathKey;
  /** N of the tag modul-N; null for a module without one (sorted after those with). */
  order: number | null;
  started: number;
  completed: number;
  answered: number;
  wrong: number;
  /** wrong / answered; null when nobody answered. */
  wrongShare: number | null;
  /** The wrong option chosen most (the earlier letter on a tie), with its wording where known; null: none wrong. */
  topWrong: { choice: string; count: number; text?: string } | null;
  /** The check question's wording where the index has the module's "Kontrollfrage" section. */
  question?: string;
  /** The module's document is no longer in the knowledge base (its counts are kept). */
  removed?: boolean;
}

export interface PersonRow {
  /** The name the onboarding stored for the report (display_name); null: shown as the pseudonym. */
  name: string | null;
  pseudonym: string;
  role: string | null;
  /** Module document ids whose check question the person answered. */
  completed: string[];
  /** Modules of the common path and of the person's role add-on. */
  total: number;
  status: "active" | "paused" | "completed";
  startedAt: Date;
  completedAt: Date | null;
}

export interface OnboardingReportData {
  tenant: string;
  generatedAt: Date;
  /** Small counts hidden in renderings (per-person reporting off), see SMALL_COUNT. */
  masked: boolean;
  perPersonEnabled: boolean;
  thresholds: { oftenWrongMinShare: number; oftenWrongMinAnswers: number; smallCount: number };
  paths: PathStats[];
  /** Common path in modul-N order, then each add-on path's modules, then modules no longer in the knowledge base. */
  modules: ModuleStats[];
  /** Modules whose check question is often answered wrong, most wrong share first. */
  oftenWrong: ModuleStats[];
  /** Only when asked for and enabled for the tenant. */
  persons?: PersonRow[];
}

/** A module as the onboarding's paths give it (src/onboarding/onboarding-paths.ts), as far as the report reads it. */
interface PathModuleLike {
  id: string;
  check: { question: string; options: { letter: string; text: string }[] };
}

/**
 * The tenants' onboarding paths (OnboardingPaths of onboarding-paths.ts fits): the check questions' wording and
 * options and the add-ons' names come from there, since the index leaves check questions out.
 */
export interface OnboardingPathsLike {
  of(tenant: string): Promise<{
    common: PathModuleLike[];
    roles: { role: string; label: string; modules: PathModuleLike[] }[];
  }>;
}

export interface OnboardingReportDeps {
  db: Queryable;
  tenantSettings: TenantSettings;
  templates: Templates;
  /** Without it the report names modules by title only (no question wording, add-ons named from their titles). */
  paths?: OnboardingPathsLike;
  clock?: () => Date;
}

interface DocRow {
  doc_id: string;
  title: string;
  tags: string[] | null;
}
interface StatRow {
  item: string;
  metric: "started" | "completed" | "answer";
  choice: string;
  correct: boolean | null;
  count: number | string;
}
interface ProgressRow {
  person: string;
  role: string | null;
  completed: string[] | null;
  status: PersonRow["status"];
  display_name: string | null;
  started_at: Date | string;
  completed_at: Date | string | null;
}

const PATH_PREFIX = "pfad:";
const ALL = "alle";

/** The role in words from an add-on's title ("Zusatzmodul für Beschaffende: …" → "Beschaffende"), else its tag. */
function roleName(path: PathKey, titles: string[]): string {
  for (const t of titles) {
    const m = /\bfür\s+([^:–—]+?)\s*(?:[:–—]|$)/.exec(t);
    if (m?.[1]) return m[1];
  }
  return path.replace(/^rolle-/, "");
}

/**
 * The coordinators' onboarding report: per path and module how many started, completed and answered, what is often
 * answered wrong, read from onboarding_stats (aggregates with nobody in them) and the tenant's onboarding documents;
 * per person from onboarding_progress only where the tenant switched it on. Reads only; the onboarding feature writes.
 */
export class OnboardingReport {
  private readonly deps: OnboardingReportDeps;
  private readonly now: () => Date;

  constructor(deps: OnboardingReportDeps) {
    this.deps = deps;
    this.now = deps.clock ?? (() => new Date());
  }

  /** Whether the tenant may see who completed what. */
  perPersonEnabled(tenant: string): boolean {
    return this.deps.tenantSettings.of(tenant).onboarding.perPersonReport;
  }

  /** REPORT_PER_PERSON_DISABLED with the German reason and how to switch it on, unless the tenant did. */
  assertPerPerson(tenant: string): void {
    if (this.perPersonEnabled(tenant)) return;
    throw new LotseError(
      "REPORT_PER_PERSON_DISABLED",
      this.deps.templates.label("onboarding-report-persons-disabled", { tenant }),
      { details: { tenant } },
    );
  }

  /**
   * The report of a tenant; with perPerson the per-person list too (refused unless enabled), of those who started
   * since `since` when given.
   */
  async build(
    tenant: string,
    opts: { perPerson?: boolean; since?: Date } = {},
  ): Promise<OnboardingReportData> {
    if (opts.perPerson) this.assertPerPerson(tenant);
    const { db } = this.deps;
    const docs = (
      await db.query<DocRow>(
        `SELECT doc_id, title, tags FROM documents
          WHERE type = 'onboarding' AND (tenant = $1 OR tenant IS NULL) ORDER BY doc_id`,
        [tenant],
      )
    ).rows;
    const stats = (
      await db.query<StatRow>(
        `SELECT item, metric, choice, correct, count FROM onboarding_stats WHERE tenant = $1 ORDER BY item, choice`,
        [tenant],
      )
    ).rows;
    const path = await this.deps.paths?.of(tenant);
    const checks = new Map(
      [...(path?.common ?? []), ...(path?.roles ?? []).flatMap((r) => r.modules)].map((m) => [m.id, m.check]),
    );
    const roleLabels = new Map((path?.roles ?? []).map((r) => [r.role, r.label]));
    const titles = new Map(docs.map((d) => [d.doc_id, d.title]));
    const modules = new Map<string, ModuleStats>();
    const blank = (docId: string, title: string, path: PathKey, order: number | null): ModuleStats => ({
      docId,
      title,
      path,
      order,
      started: 0,
      completed: 0,
      answered: 0,
      wrong: 0,
      wrongShare: null,
      topWrong: null,
    });
    // A module as the onboarding reads it: a rolle-… tag makes it an add-on, else a modul-N tag one of the common
    // path; other onboarding documents ("Wer ist zuständig?") are no module.
    for (const d of docs) {
      const tags = d.tags ?? [];
      const role = tags.find((t) => /^rolle-[a-z0-9-]+$/.test(t));
      const n = tags.map((t) => /^modul-(\d{1,3})$/.exec(t)?.[1]).find((x) => x !== undefined);
      if (!role && n === undefined) continue;
      const m = blank(d.doc_id, d.title, role ?? ALL, n === undefined ? null : Number(n));
      const q = checks.get(d.doc_id)?.question;
      if (q) m.question = q;
      modules.set(d.doc_id, m);
    }
    const pathCounts = new Map<PathKey, { started: number; completed: number }>();
    const wrongByChoice = new Map<string, Map<string, number>>();
    for (const s of stats) {
      const count = Number(s.count);
      if (s.item.startsWith(PATH_PREFIX)) {
        const key = s.item.slice(PATH_PREFIX.length);
        const p = pathCounts.get(key) ?? { started: 0, completed: 0 };
        if (s.metric === "started") p.started += count;
        if (s.metric === "completed") p.completed += count;
        pathCounts.set(key, p);
        continue;
      }
      let m = modules.get(s.item);
      if (!m) {
        m = { ...blank(s.item, titles.get(s.item) ?? s.item, ALL, null), removed: true };
        modules.set(s.item, m);
      }
      if (s.metric === "started") m.started += count;
      else if (s.metric === "completed") m.completed += count;
      else {
        m.answered += count;
        if (s.correct === false) {
          m.wrong += count;
          const byChoice = wrongByChoice.get(s.item) ?? new Map<string, number>();
          byChoice.set(s.choice, (byChoice.get(s.choice) ?? 0) + count);
          wrongByChoice.set(s.item, byChoice);
        }
      }
    }
    for (const m of modules.values()) {
      m.wrongShare = m.answered > 0 ? m.wrong / m.answered : null;
      const byChoice = [...(wrongByChoice.get(m.docId) ?? new Map<string, number>())]
        .filter(([, c]) => c > 0)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const top = byChoice[0];
      const text = checks.get(m.docId)?.options.find((o) => o.letter === top?.[0])?.text;
      m.topWrong = top ? { choice: top[0], count: top[1], ...(text ? { text } : {}) } : null;
    }

    const rolePaths = [
      ...new Set([
        ...[...modules.values()].filter((m) => m.path !== ALL).map((m) => m.path),
        ...[...pathCounts.keys()].filter((k) => k !== ALL),
      ]),
    ].sort();
    const byOrder = (a: ModuleStats, b: ModuleStats) =>
      (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) ||
      a.title.localeCompare(b.title, "de");
    const inPath = (p: PathKey) =>
      [...modules.values()].filter((m) => m.path === p && !m.removed).sort(byOrder);
    const ordered = [
      ...inPath(ALL),
      ...rolePaths.flatMap(inPath),
      ...[...modules.values()].filter((m) => m.removed).sort(byOrder),
    ];
    const paths: PathStats[] = [ALL, ...rolePaths].map((p) => {
      const c = pathCounts.get(p) ?? { started: 0, completed: 0 };
      return {
        path: p,
        name:
          p === ALL
            ? this.deps.templates.label("onboarding-report-path-all")
            : (roleLabels.get(p) ??
              roleName(
                p,
                inPath(p).map((m) => m.title),
              )),
        started: c.started,
        completed: c.completed,
        completionRate: c.started > 0 ? c.completed / c.started : null,
      };
    });
    const oftenWrong = ordered
      .filter(
        (m) =>
          m.answered >= OFTEN_WRONG_MIN_ANSWERS &&
          m.wrongShare !== null &&
          m.wrongShare >= OFTEN_WRONG_MIN_SHARE,
      )
      .sort((a, b) => (b.wrongShare ?? 0) - (a.wrongShare ?? 0) || b.answered - a.answered);

    const perPersonEnabled = this.perPersonEnabled(tenant);
    const data: OnboardingReportData = {
      tenant,
      generatedAt: this.now(),
      masked: !perPersonEnabled,
      perPersonEnabled,
      thresholds: {
        oftenWrongMinShare: OFTEN_WRONG_MIN_SHARE,
        oftenWrongMinAnswers: OFTEN_WRONG_MIN_ANSWERS,
        smallCount: SMALL_COUNT,
      },
      paths,
      modules: ordered,
      oftenWrong,
    };
    if (opts.perPerson) {
      const sizes = new Map(paths.map((p) => [p.path, inPath(p.path).length]));
      data.persons = await this.persons(tenant, opts.since, sizes);
    }
    return data;
  }

  private async persons(
    tenant: string,
    since: Date | undefined,
    sizes: Map<PathKey, number>,
  ): Promise<PersonRow[]> {
    const rows = (
      await this.deps.db.query<ProgressRow>(
        `SELECT person, role, completed, status, display_name, started_at, completed_at FROM onboarding_progress
          WHERE tenant = $1 AND ($2::timestamptz IS NULL OR started_at >= $2::timestamptz)
          ORDER BY started_at, person`,
        [tenant, since ? since.toISOString() : null],
      )
    ).rows;
    return rows.map((r) => ({
      name: r.display_name,
      pseudonym: r.person,
      role: r.role,
      completed: [...new Set(r.completed ?? [])],
      total: (sizes.get(ALL) ?? 0) + (r.role ? (sizes.get(r.role) ?? 0) : 0),
      status: r.status,
      startedAt: new Date(r.started_at),
      completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    }));
  }
}

import { type KnowledgeSet, loadKnowledge } from "../knowledge/load-knowledge.ts";
import type { LoadedDoc, SourceRef, TenantKnowledge } from "../knowledge/types.ts";
import { CHECK_HEADING, type CheckQuestion, parseCheckQuestion } from "./check-question.ts";

/** One onboarding module: one card with its text and links, then its check question. */
export interface OnboardingModule {
  /** The document id ("musterstadt-onboarding-03-beschaffung"). */
  id: string;
  title: string;
  /** The title without "Onboarding Modul 3: " / "Onboarding Zusatzmodul für …: ". */
  shortTitle: string;
  /** Its text without the check question: one part per heading, each kept short. */
  sections: { heading?: string; text: string }[];
  /** next_steps resolved against the tenant's link catalogue (ids it lacks are left out). */
  links: { label: string; url: string }[];
  sources: SourceRef[];
  /** Contact roles (roles.yaml ids) the module names. */
  contacts: string[];
  check: CheckQuestion;
}

/** A role add-on ("rolle-beschaffende"): offered after the common path, never inferred. */
export interface RoleAddOn {
  role: string;
  /** From the title: "Onboarding Zusatzmodul für Beschaffende: …" → "Beschaffende". */
  label: string;
  modules: OnboardingModule[];
}

/** A tenant's onboarding: the common path (modul-N in N order) and the role add-ons. */
export interface OnboardingPath {
  common: OnboardingModule[];
  roles: RoleAddOn[];
}

/** Longest text of one module part on a card; longer text is cut at a sentence end. */
const MAX_PART_CHARS = 700;
const MODULE_TAG = /^modul-(\d{1,3})$/;
const ROLE_TAG = /^rolle-[a-z0-9-]+$/;

/** The modules a person goes through: the common path, then the chosen role's add-on. */
export function modulesOf(path: OnboardingPath, role: string | null | undefined): OnboardingModule[] {
  const addOn = role ? path.roles.find((r) => r.role === role) : undefined;
  return [...path.common, ...(addOn?.modules ?? [])];
}

/** The role add-on of a tag, if the tenant has it. */
export function roleOf(path: OnboardingPath, role: string | null | undefined): RoleAddOn | undefined {
  return role ? path.roles.find((r) => r.role === role) : undefined;
}

/** The onboarding paths of every tenant in a knowledge set (shared modules belong to every tenant's path). */
export function buildPaths(set: KnowledgeSet): Map<string, OnboardingPath> {
  const docs = set.docs.filter((d) => d.meta.type === "onboarding");
  const out = new Map<string, OnboardingPath>();
  for (const tenant of set.tenants.keys()) {
    const mine = docs.filter((d) => d.meta.tenant === null || d.meta.tenant === tenant);
    out.set(tenant, pathOf(mine, set.tenants.get(tenant)));
  }
  return out;
}

function pathOf(docs: LoadedDoc[], tenant: TenantKnowledge | undefined): OnboardingPath {
  const common: { n: number; m: OnboardingModule }[] = [];
  const roles = new Map<string, { label: string; modules: { n: number; m: OnboardingModule }[] }>();
  for (const doc of docs) {
    const m = moduleOf(doc, tenant);
    if (!m) continue; // without a well-formed check question (validate reports it) there is no module card
    const n = Number(doc.meta.tags.map((t) => MODULE_TAG.exec(t)?.[1]).find(Boolean) ?? Number.NaN);
    const role = doc.meta.tags.find((t) => ROLE_TAG.test(t));
    if (role) {
      const r = roles.get(role) ?? { label: roleLabel(doc.meta.title, role), modules: [] };
      r.modules.push({ n: Number.isNaN(n) ? 0 : n, m });
      roles.set(role, r);
    } else if (!Number.isNaN(n)) common.push({ n, m });
  }
  const byOrder = (a: { n: number; m: OnboardingModule }, b: { n: number; m: OnboardingModule }) =>
    a.n - b.n || a.m.id.localeCompare(b.m.id);
  return {
    common: common.sort(byOrder).map((x) => x.m),
    roles: [...roles.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([role, r]) => ({ role, label: r.label, modules: r.modules.sort(byOrder).map((x) => x.m) })),
  };
}

function moduleOf(doc: LoadedDoc, tenant: TenantKnowledge | undefined): OnboardingModule | undefined {
  const isCheck = (headings: string[]) => headings.at(-1)?.trim().toLowerCase() === CHECK_HEADING;
  const checkSection = doc.sections.find((s) => isCheck(s.headings));
  const parsed = checkSection ? parseCheckQuestion(checkSection.text) : undefined;
  if (!parsed?.ok) return undefined;
  const links = doc.meta.nextSteps.flatMap((s) => {
    if (s.kind === "url") return [{ label: s.label, url: s.url }];
    const link = doc.meta.tenant ? tenant?.links.get(s.link) : undefined;
    return link ? [{ label: link.label, url: link.url }] : [];
  });
  return {
    id: doc.meta.id,
    title: doc.meta.title,
    shortTitle: shortTitle(doc.meta.title),
    sections: doc.sections
      .filter((s) => !s.headings.some((h) => h.trim().toLowerCase() === CHECK_HEADING))
      .map((s) => ({
        ...(s.headings.length > 0 ? { heading: s.headings.at(-1) } : {}),
        text: shorten(s.text),
      })),
    links,
    sources: doc.meta.sources,
    contacts: doc.meta.contacts,
    check: parsed.check,
  };
}

/** "Onboarding Modul 3: Beschaffung im Arbeitsalltag" → "Beschaffung im Arbeitsalltag". */
export function shortTitle(title: string): string {
  const rest = /^Onboarding\s+(?:Modul\s+\d+|Zusatzmodul[^:]*):\s*(.+)$/i.exec(title)?.[1];
  return rest?.trim() || title;
}

/** "Onboarding Zusatzmodul für Gebäude und Technik: …" → "Gebäude und Technik"; else the tag in words. */
function roleLabel(title: string, role: string): string {
  const fuer = /\bfür\s+([^:]+):/.exec(title)?.[1]?.trim();
  if (fuer) return fuer;
  const words = role.replace(/^rolle-/, "").replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function shorten(text: string): string {
  if (text.length <= MAX_PART_CHARS) return text;
  const cut = text.slice(0, MAX_PART_CHARS);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(".\n"));
  return end > MAX_PART_CHARS / 2 ? cut.slice(0, end + 1) : `${cut.trimEnd()} …`;
}

/**
 * The tenants' onboarding paths, read from the knowledge files (the index leaves check questions out) once per
 * process; refresh() after each ingest reads them again.
 */
export class OnboardingPaths {
  private readonly load: () => Promise<KnowledgeSet>;
  private cached: Promise<Map<string, OnboardingPath>> | undefined;

  /** From the knowledge directory (config.knowledgeDir), or from a loader (tests). */
  constructor(source: string | (() => Promise<KnowledgeSet>)) {
    this.load = typeof source === "string" ? () => loadKnowledge(source) : source;
  }

  /** The tenant's path; empty where it has no onboarding documents. */
  async of(tenant: string): Promise<OnboardingPath> {
    if (!this.cached) {
      const loading = this.load().then(buildPaths);
      this.cached = loading;
      // A failed read is not kept: the next call tries again.
      loading.catch(() => {
        if (this.cached === loading) this.cached = undefined;
      });
    }
    return (await this.cached).get(tenant) ?? { common: [], roles: [] };
  }

  /** Forgets the cached paths: the next of() reads the knowledge files again. */
  refresh(): void {
    this.cached = undefined;
  }
}

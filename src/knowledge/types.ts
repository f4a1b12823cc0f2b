export const DOC_TYPES = ["guidance", "goal", "rule", "deadline", "onboarding"] as const;
export type DocType = (typeof DOC_TYPES)[number];

export interface SourceRef {
  title: string;
  url: string;
}

/** A next step as written in front matter: a direct link, or an id in the tenant's link catalogue. */
export type NextStepRef = { kind: "url"; label: string; url: string } | { kind: "link"; link: string };

export interface DocMeta {
  id: string;
  title: string;
  type: DocType;
  /** null: shared guidance, visible to every tenant. */
  tenant: string | null;
  sources: SourceRef[];
  contacts: string[];
  nextSteps: NextStepRef[];
  /** When the content was last checked against its sources (YYYY-MM-DD). */
  reviewed: string | undefined;
  /** Stand der Rechtslage / des Sachstands the document states (YYYY-MM-DD or YYYY-MM). */
  asOf?: string | undefined;
  tags: string[];
  /** A deadline's recurrence in German words as the reminder grammar reads it ("jährlich am 31.3."). */
  due?: string | undefined;
}

/** A piece of text under one heading path, or one page of a PDF. */
export interface Section {
  headings: string[];
  text: string;
  page?: number;
}

export interface LoadedDoc {
  meta: DocMeta;
  /** Path relative to the knowledge directory, with forward slashes. */
  path: string;
  hash: string;
  sections: Section[];
}

/** A finding of loading or validating, with the file and line it refers to. */
export interface Finding {
  severity: "error" | "warning";
  file: string;
  line: number;
  message: string;
}

export interface Contact {
  role: string;
  label: string;
  name: string;
  unit?: string;
  email?: string;
  phone?: string;
  teamsUpn?: string;
  slackUserId?: string;
  /** What the role answers for (roles.yaml `topics`): a no_answer on such a topic names this contact. */
  topics?: string[];
}

export interface LinkEntry {
  label: string;
  url: string;
}

/** Whether a YAML file was read: "broken" files were reported already, so checks that depend on them stay quiet. */
export type FileState = "ok" | "missing" | "broken";

/** Per-tenant configuration read from YAML beside its documents. */
export interface TenantKnowledge {
  tenant: string;
  contacts: Map<string, Contact>;
  links: Map<string, LinkEntry>;
  files: { contacts: FileState; links: FileState };
}

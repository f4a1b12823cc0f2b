import { readFile } from "node:fs/promises";
import { type Document, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { isHttpUrl } from "./front-matter.ts";
import type { Contact, FileState, Finding, LinkEntry, TenantKnowledge } from "./types.ts";
import { describeValue, issuePredicate, lineAt, sourceAt, valueAt } from "./yaml-issues.ts";

type YamlFile = { rel: string; doc: Document; lineCounter: LineCounter; value: unknown };

/** Reads a YAML file; a missing file is "missing", one with syntax errors "broken" (each error a finding with its line). */
async function readYaml(file: string, rel: string, findings: Finding[]): Promise<YamlFile | "missing" | "broken"> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    findings.push({ severity: "error", file: rel, line: 1, message: `Datei konnte nicht gelesen werden: ${(err as Error).message}` });
    return "broken";
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      findings.push({ severity: "error", file: rel, line: lineCounter.linePos(e.pos[0]).line, message: `Kein gültiges YAML: ${e.message.split("\n")[0]}` });
    return "broken";
  }
  return { rel, doc, lineCounter, value: doc.toJS() };
}

const ROLE_ID = /^[a-z0-9][a-z0-9-]*$/;

const roleSchema = z.object({
  label: z.string().min(1),
  topics: z
    .array(z.string().trim().refine((t) => t.length >= 2, "ist zu kurz: ein Thema braucht mindestens zwei Zeichen"))
    .optional(),
});

/** Role ids with their German labels, and the topics each role answers for (roles.yaml `topics`). */
export class RoleLabels extends Map<string, string> {
  readonly topics = new Map<string, string[]>();
}
const contactSchema = z.object({
  name: z.string().min(1),
  unit: z.string().optional(),
  email: z.email("ist keine gültige Adresse (z. B. name@stadt.de)").optional(),
  phone: z.string().optional(),
  teams_upn: z.string().optional(),
  slack_user_id: z.string().regex(/^[UW][A-Z0-9]+$/, "muss mit U oder W beginnen, dann Großbuchstaben und Ziffern (z. B. U0123ABCD)").optional(),
});
const linkSchema = z.object({ label: z.string().min(1), url: z.string().refine(isHttpUrl, "ist keine vollständige http(s)-URL (https://…)") });

/** How the fields of roles, contacts and links read in a finding. */
const FIELD_LABELS: Record<string, string> = {
  label: "Bezeichnung (label)",
  topics: "Themen (topics)",
  name: "Name",
  unit: "Organisationseinheit (unit)",
  email: "E-Mail",
  phone: "Telefon",
  teams_upn: "Teams-Konto (teams_upn)",
  slack_user_id: "Slack-User-ID (slack_user_id)",
  url: "URL",
};

/**
 * Checks each entry of a `kennung: { feld: wert }` file on its own, so one bad entry neither hides the others'
 * findings nor drops the good entries. Findings name the line of the offending value, in German.
 */
function readEntries<S extends z.ZodObject>(
  file: YamlFile,
  schema: S,
  subject: (key: string) => string,
  findings: Finding[],
  checkKey?: (key: string, line: number) => boolean,
): Map<string, z.infer<S>> {
  const out = new Map<string, z.infer<S>>();
  const { rel, doc, lineCounter, value } = file;
  if (value === null || value === undefined) return out;
  if (typeof value !== "object" || Array.isArray(value) || value instanceof Date) {
    findings.push({ severity: "error", file: rel, line: lineAt(doc, lineCounter, []), message: `Die Datei muss aus Einträgen "kennung:" mit eingerückten Feldern bestehen, gefunden: ${describeValue(value)}.` });
    return out;
  }
  const known = Object.keys(schema.shape);
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const line = (path: PropertyKey[]) => lineAt(doc, lineCounter, [key, ...path]);
    if (checkKey && !checkKey(key, line([]))) continue;
    const parsed = schema.safeParse(entry);
    if (parsed.success) out.set(key, parsed.data);
    else
      for (const issue of parsed.error.issues) {
        const field = [...issue.path].reverse().find((s) => typeof s === "string");
        const what = field === undefined ? "Eintrag" : (FIELD_LABELS[field] ?? `Feld "${field}"`);
        const predicate = issuePredicate(issue, valueAt(entry, issue.path), sourceAt(doc, [key, ...issue.path]));
        const message = `${subject(key)}: ${what} ${predicate}.`;
        findings.push({ severity: "error", file: rel, line: line(issue.path), message });
      }
    // A misspelt field (telefon, mail) would otherwise vanish without a word.
    if (entry && typeof entry === "object" && !Array.isArray(entry))
      for (const f of Object.keys(entry))
        if (!known.includes(f))
          findings.push({ severity: "warning", file: rel, line: line([f]), message: `${subject(key)}: unbekanntes Feld "${f}" wird ignoriert (erlaubt: ${known.join(", ")}).` });
  }
  return out;
}

/**
 * knowledge/roles.yaml: the role ids that documents and contacts may use, with their German labels and, optionally,
 * the topics they answer for ("personalabteilung: { label: Personalabteilung, topics: [Urlaub, Krankmeldung] }").
 */
export async function loadRoles(knowledgeDir: string, findings: Finding[]): Promise<RoleLabels> {
  const file = await readYaml(`${knowledgeDir}/roles.yaml`, "roles.yaml", findings);
  const roles = new RoleLabels();
  if (file === "missing")
    findings.push({ severity: "error", file: "roles.yaml", line: 1, message: "roles.yaml fehlt: sie definiert die Kontaktrollen (z. B. nachhaltigkeit: { label: Nachhaltigkeitskoordination })." });
  if (typeof file === "string") return roles;
  const validId = (key: string, line: number) => {
    if (ROLE_ID.test(key)) return true;
    findings.push({ severity: "error", file: "roles.yaml", line, message: `Rolle "${key}": Kennungen bestehen nur aus Kleinbuchstaben, Ziffern und Bindestrichen.` });
    return false;
  };
  for (const [id, r] of readEntries(file, roleSchema, (k) => `Rolle "${k}"`, findings, validId)) {
    roles.set(id, r.label);
    if (r.topics && r.topics.length > 0) roles.topics.set(id, r.topics);
  }
  return roles;
}

/** A tenant's contacts.yaml and links.yaml, checked against the known roles. */
export async function loadTenantKnowledge(
  knowledgeDir: string,
  tenant: string,
  roles: Map<string, string>,
  findings: Finding[],
): Promise<TenantKnowledge> {
  const contacts = new Map<string, Contact>();
  const links = new Map<string, LinkEntry>();
  const contactsRel = `${tenant}/contacts.yaml`;
  const cfile = await readYaml(`${knowledgeDir}/${contactsRel}`, contactsRel, findings);
  if (typeof cfile !== "string") {
    // Without any role (roles.yaml missing or broken, reported there) every contact would be "unknown": say it once.
    const knownRole = (role: string, line: number) => {
      if (roles.size === 0 || roles.has(role)) return true;
      findings.push({ severity: "error", file: contactsRel, line, message: `Unbekannte Kontaktrolle "${role}" (bekannt: ${[...roles.keys()].join(", ")}): in roles.yaml ergänzen oder Schreibweise prüfen.` });
      return false;
    };
    const entries = readEntries(cfile, contactSchema, (k) => `Kontakt für Rolle "${k}"`, findings, knownRole);
    const topics = roles instanceof RoleLabels ? roles.topics : undefined;
    for (const [role, c] of entries) {
      const label = roles.get(role);
      if (!label) continue;
      contacts.set(role, {
        role,
        label,
        name: c.name,
        unit: c.unit,
        email: c.email,
        phone: c.phone,
        teamsUpn: c.teams_upn,
        slackUserId: c.slack_user_id,
        // Only where declared, so that contacts without topics stay exactly what they were (ingest fingerprints them).
        ...(topics?.get(role) ? { topics: topics.get(role) } : {}),
      });
    }
  }
  const linksRel = `${tenant}/links.yaml`;
  const lfile = await readYaml(`${knowledgeDir}/${linksRel}`, linksRel, findings);
  if (typeof lfile !== "string")
    for (const [id, l] of readEntries(lfile, linkSchema, (k) => `Link "${k}"`, findings)) links.set(id, l);
  const state = (f: typeof cfile): FileState => (typeof f === "string" ? f : "ok");
  return { tenant, contacts, links, files: { contacts: state(cfile), links: state(lfile) } };
}

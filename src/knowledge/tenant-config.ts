import { readFile } from "node:fs/promises";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { isHttpUrl } from "./front-matter.ts";
import type { Contact, Finding, LinkEntry, TenantKnowledge } from "./types.ts";

type YamlMap = { value: unknown; keyLines: Map<string, number> };

/** Reads a YAML mapping; a missing file is an empty mapping, a broken one a finding with its line. */
async function readYamlMap(file: string, rel: string, findings: Finding[]): Promise<YamlMap | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      findings.push({ severity: "error", file: rel, line: lineCounter.linePos(e.pos[0]).line, message: `Kein gültiges YAML: ${e.message.split("\n")[0]}` });
    return undefined;
  }
  const keyLines = new Map<string, number>();
  if (isMap(doc.contents))
    for (const pair of doc.contents.items)
      if (isScalar(pair.key) && pair.key.range) keyLines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
  return { value: doc.toJS() ?? {}, keyLines };
}

const roleSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), z.object({ label: z.string().min(1) }));
const contactSchema = z.object({
  name: z.string().min(1),
  unit: z.string().optional(),
  email: z.email("ist keine gültige E-Mail-Adresse").optional(),
  phone: z.string().optional(),
  teams_upn: z.string().optional(),
  slack_user_id: z.string().regex(/^[UW][A-Z0-9]+$/, "Slack-User-IDs beginnen mit U oder W").optional(),
});
const linkSchema = z.object({ label: z.string().min(1), url: z.string().refine(isHttpUrl, "ist keine gültige http(s)-URL") });

function report(findings: Finding[], rel: string, map: YamlMap, issues: z.core.$ZodIssue[]): void {
  for (const issue of issues) {
    const key = String(issue.path[0] ?? "");
    findings.push({ severity: "error", file: rel, line: map.keyLines.get(key) ?? 1, message: `Eintrag "${issue.path.join(".")}": ${issue.message}.` });
  }
}

/** knowledge/roles.yaml: the role ids that documents and contacts may use, with their German labels. */
export async function loadRoles(knowledgeDir: string, findings: Finding[]): Promise<Map<string, string>> {
  const map = await readYamlMap(`${knowledgeDir}/roles.yaml`, "roles.yaml", findings);
  const roles = new Map<string, string>();
  if (!map) {
    if (!findings.some((f) => f.file === "roles.yaml"))
      findings.push({ severity: "error", file: "roles.yaml", line: 1, message: "roles.yaml fehlt: sie definiert die Kontaktrollen (z. B. nachhaltigkeit: { label: Nachhaltigkeitskoordination })." });
    return roles;
  }
  const parsed = roleSchema.safeParse(map.value);
  if (!parsed.success) report(findings, "roles.yaml", map, parsed.error.issues);
  else for (const [id, r] of Object.entries(parsed.data)) roles.set(id, r.label);
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
  const cmap = await readYamlMap(`${knowledgeDir}/${contactsRel}`, contactsRel, findings);
  if (cmap) {
    const parsed = z.record(z.string(), contactSchema).safeParse(cmap.value);
    if (!parsed.success) report(findings, contactsRel, cmap, parsed.error.issues);
    else
      for (const [role, c] of Object.entries(parsed.data)) {
        const label = roles.get(role);
        if (!label) {
          findings.push({ severity: "error", file: contactsRel, line: cmap.keyLines.get(role) ?? 1, message: `Unbekannte Kontaktrolle "${role}": in roles.yaml ergänzen oder Schreibweise prüfen.` });
          continue;
        }
        contacts.set(role, {
          role,
          label,
          name: c.name,
          unit: c.unit,
          email: c.email,
          phone: c.phone,
          teamsUpn: c.teams_upn,
          slackUserId: c.slack_user_id,
        });
      }
  }
  const linksRel = `${tenant}/links.yaml`;
  const lmap = await readYamlMap(`${knowledgeDir}/${linksRel}`, linksRel, findings);
  if (lmap) {
    const parsed = z.record(z.string(), linkSchema).safeParse(lmap.value);
    if (!parsed.success) report(findings, linksRel, lmap, parsed.error.issues);
    else for (const [id, l] of Object.entries(parsed.data)) links.set(id, l);
  }
  return { tenant, contacts, links };
}

import type { KnowledgeSet } from "./load-knowledge.ts";
import type { Finding } from "./types.ts";

/** What validate knows of the configuration; every field is optional so any caller can validate a folder alone. */
export interface ValidateOptions {
  /** LOTSE_DEFAULT_CONTACT_ROLE, named when Lotse finds no answer; "nachhaltigkeit" (the config default) if unset. */
  defaultContactRole?: string;
  /** LOTSE_DEFAULT_TENANT: when given, its folder should exist. */
  defaultTenant?: string;
  /** The tenants LOTSE_TENANT_MAP maps to: each should have a folder. */
  mappedTenants?: string[];
}

export const DEFAULT_CONTACT_ROLE = "nachhaltigkeit";

/**
 * Set-up warnings an operator would otherwise only notice in answers without a contact: tenants that map only some of
 * the roles their documents (or LOTSE_DEFAULT_CONTACT_ROLE) name, no tenant with the default role, configured tenants
 * without a folder.
 */
export function contactCoverage(set: KnowledgeSet, options: ValidateOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const warn = (file: string, message: string) => findings.push({ severity: "warning", file, line: 1, message });
  const fallback = options.defaultContactRole ?? DEFAULT_CONTACT_ROLE;
  const fallbackKnown = set.roles.size === 0 || set.roles.has(fallback);
  if (!fallbackKnown)
    warn("roles.yaml", `LOTSE_DEFAULT_CONTACT_ROLE ist "${fallback}", diese Rolle fehlt in roles.yaml (bekannt: ${[...set.roles.keys()].join(", ")}): Findet Lotse keine Antwort, nennt es niemanden.`);

  // Role → documents naming it, for shared documents and per tenant; unknown roles are errors reported elsewhere.
  const usedBy = new Map<string | null, Map<string, string[]>>();
  for (const { meta, path } of [...set.docs, ...set.unchanged]) {
    const byRole = usedBy.get(meta.tenant) ?? new Map<string, string[]>();
    usedBy.set(meta.tenant, byRole);
    for (const role of meta.contacts) if (set.roles.has(role)) byRole.set(role, [...(byRole.get(role) ?? []), path]);
  }

  let fallbackWarned = false;
  for (const tenant of set.tenants.values()) {
    const file = `${tenant.tenant}/contacts.yaml`;
    if (tenant.files.contacts === "broken") continue; // its syntax errors are reported; guessing more would mislead
    if (tenant.contacts.size === 0) {
      warn(file, "Keine Kontakte für diese Kommune: Antworten nennen dann niemanden.");
      fallbackWarned = true;
      continue;
    }
    const needed = new Map<string, string[]>();
    for (const byRole of [usedBy.get(null), usedBy.get(tenant.tenant)])
      for (const [role, paths] of byRole ?? []) needed.set(role, [...(needed.get(role) ?? []), ...paths]);
    const missing = [...needed.keys()].filter((r) => !tenant.contacts.has(r)).sort();
    const parts = missing.map((r) => {
      const paths = needed.get(r) ?? [];
      return `"${r}" (${paths.length === 1 ? paths[0] : `${paths.length} Dokumente, z. B. ${paths[0]}`})`;
    });
    if (fallbackKnown && !tenant.contacts.has(fallback) && !needed.has(fallback)) {
      parts.unshift(`"${fallback}" (LOTSE_DEFAULT_CONTACT_ROLE, genannt wenn Lotse keine Antwort findet)`);
      fallbackWarned = true;
    } else if (missing.includes(fallback)) fallbackWarned = true;
    if (parts.length > 0)
      warn(file, `Kein gültiger Kontakt für ${parts.length === 1 ? "die Rolle" : "die Rollen"} ${parts.join(", ")}: Antworten, die diese Rollen nennen, zeigen dann keine Ansprechperson. Ergänzen Sie sie in ${file}.`);
  }

  if (fallbackKnown && !fallbackWarned && ![...set.tenants.values()].some((t) => t.contacts.has(fallback)))
    warn(
      `${options.defaultTenant ?? "<kommune>"}/contacts.yaml`,
      `Keine Kommune hat einen Kontakt für die Rolle "${fallback}" (LOTSE_DEFAULT_CONTACT_ROLE): Antworten nennen dann niemanden. Legen Sie knowledge/<kommune>/contacts.yaml an (siehe docs/operations.md).`,
    );

  const configured = [
    ...(options.defaultTenant ? [[options.defaultTenant, "LOTSE_DEFAULT_TENANT ist"] as const] : []),
    ...[...new Set(options.mappedTenants ?? [])].map((t) => [t, "LOTSE_TENANT_MAP nennt"] as const),
  ];
  const reported = new Set<string>();
  for (const [tenant, source] of configured)
    if (!set.tenants.has(tenant) && !reported.has(tenant)) {
      reported.add(tenant);
      warn(`${tenant}/contacts.yaml`, `${source} "${tenant}", aber den Ordner ${tenant}/ gibt es nicht: diese Kommune sieht nur geteilte Dokumente und hat keine Kontakte.`);
    }
  return findings;
}

import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../../src/config.ts";
import { LotseError } from "../../src/errors.ts";
import type { Runtime } from "../../src/runtime.ts";

/** The files that make a folder of the knowledge directory a tenant (see src/knowledge/tenant-config.ts). */
const TENANT_FILES = ["contacts.yaml", "links.yaml"];

/** The tenants a knowledge directory configures: its folders, except shared/, holding contacts.yaml or links.yaml. */
export async function tenantFolders(knowledgeDir: string): Promise<string[]> {
  const entries = await readdir(knowledgeDir, { withFileTypes: true }).catch(() => []);
  const tenants: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith(".") || e.name === "shared") continue;
    const files = await readdir(path.join(knowledgeDir, e.name)).catch(() => [] as string[]);
    if (TENANT_FILES.some((f) => files.includes(f))) tenants.push(e.name);
  }
  return tenants.sort();
}

/**
 * Refuses a --tenant that no knowledge folder configures: the router would answer it from shared guidance alone,
 * without the tenant's contacts and rules, as if all were well.
 */
export async function assertKnownTenant(
  tenant: string,
  config: Config,
  rt: Pick<Runtime, "assistant">,
): Promise<void> {
  const known = new Set([
    ...(await tenantFolders(config.knowledgeDir)),
    config.defaultTenant,
    ...config.tenantMap.map((m) => m.tenant),
  ]);
  if (known.has(tenant)) return;
  // A server database may have been filled from a knowledge folder that is not on this machine.
  if ((await rt.assistant.contacts(tenant)).size > 0) return;
  throw new LotseError(
    "TENANT_UNKNOWN",
    `Die Kommune „${tenant}“ ist nicht bekannt. Bekannte Kommunen: ${[...known].sort().join(", ")} (die Ordner in LOTSE_KNOWLEDGE_DIR mit contacts.yaml oder links.yaml).`,
    { details: { tenant } },
  );
}

/** Refuses to answer from an empty index: every answer would be "no answer" without saying why. */
export async function assertKnowledge(config: Config, rt: Pick<Runtime, "ready">): Promise<void> {
  if ((await rt.ready()).documents > 0) return;
  throw new LotseError(
    "KNOWLEDGE_EMPTY",
    config.databaseUrl
      ? "Keine Wissensbasis eingelesen: Die Datenbank (DATABASE_URL) enthält keine Dokumente. Führen Sie `lotse ingest` aus."
      : `Keine Wissensbasis eingelesen: ${config.knowledgeDir} (LOTSE_KNOWLEDGE_DIR) enthält keine Dokumente. Prüfen Sie den Ordner und führen Sie \`lotse ingest\` aus.`,
  );
}

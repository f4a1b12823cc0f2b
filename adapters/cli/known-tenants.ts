import { readdir } from "node:fs/promises";
import path from "node:path";

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

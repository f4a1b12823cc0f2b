import { readFile } from "node:fs/promises";
import path from "node:path";
import { ExtractiveComposer } from "../../src/assistant/compose-extractive.ts";
import type { ComposeInput, GoalContext } from "../../src/assistant/composer.ts";
import { Templates } from "../../src/assistant/templates.ts";
import { loadRoles, loadTenantKnowledge } from "../../src/knowledge/tenant-config.ts";
import type { Contact, Finding } from "../../src/knowledge/types.ts";
import type { Passage, RetrievalResult } from "../../src/retrieval/retriever.ts";
import { ROOT } from "../helpers.ts";

/** Composer fixtures: retrieval results captured from the bundled knowledge (test/assistant/fixtures/*.json). */
const DIR = path.join(ROOT, "test/assistant/fixtures");

type Stored = {
  question: string;
  tenant: string;
  retrieval: Omit<RetrievalResult, "idf" | "trace"> & { idf: Record<string, number> };
};

/** A captured question with its retrieval result, as the composer receives it. */
export async function retrievalFixture(
  name: string,
): Promise<{ question: string; tenant: string; retrieval: RetrievalResult }> {
  const stored = JSON.parse(await readFile(path.join(DIR, `${name}.json`), "utf8")) as Stored;
  const retrieval = {
    ...stored.retrieval,
    idf: new Map(Object.entries(stored.retrieval.idf)),
    trace: undefined,
  } as unknown as RetrievalResult;
  return { question: stored.question, tenant: stored.tenant, retrieval };
}

/** Musterstadt's contacts as ingest stores them (roles.yaml and knowledge/musterstadt/contacts.yaml). */
export async function musterstadtContacts(): Promise<Map<string, Contact>> {
  const findings: Finding[] = [];
  const dir = path.join(ROOT, "knowledge");
  const roles = await loadRoles(dir, findings);
  return (await loadTenantKnowledge(dir, "musterstadt", roles, findings)).contacts;
}

/** Musterstadt's goal documents as the assistant loads them. */
export async function musterstadtGoals(): Promise<GoalContext[]> {
  return JSON.parse(await readFile(path.join(DIR, "goals-musterstadt.json"), "utf8")) as GoalContext[];
}

/** The offline composer with the real German templates and the configuration defaults. */
export async function composer(): Promise<ExtractiveComposer> {
  return new ExtractiveComposer({
    templates: await Templates.load(path.join(ROOT, "prompts/de")),
    minConfidence: 0.4,
    defaultContactRole: "nachhaltigkeit",
  });
}

/** Compose input for a fixture, with Musterstadt's contacts and goals. */
export async function composeInput(
  name: string,
  change?: (p: Passage[]) => Passage[],
): Promise<ComposeInput> {
  const f = await retrievalFixture(name);
  const retrieval = change ? { ...f.retrieval, passages: change(f.retrieval.passages) } : f.retrieval;
  return { ...f, retrieval, contacts: await musterstadtContacts(), goals: await musterstadtGoals() };
}

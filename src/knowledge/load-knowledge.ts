import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LotseError } from "../errors.ts";
import { CHUNKING_VERSION } from "./chunk.ts";
import { parseFrontMatter } from "./front-matter.ts";
import { docxSections, pdfSections } from "./load-binary.ts";
import { markdownSections } from "./markdown-sections.ts";
import { loadSynonyms, type SynonymSet } from "./synonyms.ts";
import { loadRoles, loadTenantKnowledge } from "./tenant-config.ts";
import type { DocMeta, Finding, LoadedDoc, TenantKnowledge } from "./types.ts";

export const DOCUMENT_EXTENSIONS = [".md", ".pdf", ".docx"];

export interface KnowledgeSet {
  roles: Map<string, string>;
  tenants: Map<string, TenantKnowledge>;
  /** Documents whose sections were read. */
  docs: LoadedDoc[];
  /** Documents whose content hash matched the index: their sections were not read again. */
  unchanged: { meta: DocMeta; path: string; hash: string }[];
  findings: Finding[];
  /** Per document path: front matter key → line in the file holding it. */
  keyLines: Map<string, Map<string, number>>;
  /** Per Markdown document path: its body as written and the file line it starts on, for the date checks. */
  bodies?: Map<string, { text: string; line: number }>;
  /** knowledge/synonyms.yaml and each tenant's synonyms.yaml, for query expansion. */
  synonyms: SynonymSet;
}

export interface LoadOptions {
  /** path → content hash already in the index; such files are not re-extracted. */
  knownHashes?: Map<string, string>;
  onFile?: (file: string) => void;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(full)));
    else if (DOCUMENT_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) files.push(full);
  }
  return files;
}

/** Lists the document files of the knowledge directory, relative with forward slashes. */
export async function listDocumentFiles(knowledgeDir: string): Promise<string[]> {
  return (await walk(knowledgeDir)).map((f) => path.relative(knowledgeDir, f).split(path.sep).join("/"));
}

/**
 * Reads knowledge/: roles.yaml, per-tenant contacts and links, and every document (Markdown with front matter; PDF
 * and DOCX with an optional sidecar FILE.yaml holding the same fields). Findings carry file and line; nothing throws
 * for bad content. A missing directory throws KNOWLEDGE_INVALID.
 */
export async function loadKnowledge(knowledgeDir: string, options: LoadOptions = {}): Promise<KnowledgeSet> {
  await assertDirectory(knowledgeDir);
  const findings: Finding[] = [];
  const roles = await loadRoles(knowledgeDir, findings);
  const tenants = new Map<string, TenantKnowledge>();
  const topDirs = (await readdir(knowledgeDir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith("."));
  for (const d of topDirs) {
    if (d.name === "shared") continue;
    tenants.set(d.name, await loadTenantKnowledge(knowledgeDir, d.name, roles, findings));
  }
  const docs: LoadedDoc[] = [];
  const unchanged: KnowledgeSet["unchanged"] = [];
  const keyLines = new Map<string, Map<string, number>>();
  const bodies = new Map<string, { text: string; line: number }>();
  for (const rel of await listDocumentFiles(knowledgeDir)) {
    options.onFile?.(rel);
    const full = path.join(knowledgeDir, rel);
    const ext = path.extname(rel).toLowerCase();
    const data = await readFile(full);
    const folder = rel.includes("/") ? (rel.split("/")[0] as string) : "";
    let metaSource: string;
    let sidecar = false;
    if (ext === ".md") metaSource = data.toString("utf8");
    else {
      try {
        metaSource = `---\n${await readFile(`${full}.yaml`, "utf8")}\n---\n`;
        sidecar = true;
      } catch {
        metaSource = defaultSidecar(rel, folder);
        findings.push({ severity: "warning", file: rel, line: 1, message: `Keine Metadaten-Datei ${path.basename(rel)}.yaml: Titel und Kennung werden aus dem Dateinamen abgeleitet, Quellen und Kontakte fehlen.` });
      }
    }
    const fm = parseFrontMatter(metaSource, sidecar ? `${rel}.yaml` : rel);
    // Sidecar line numbers are offset by the --- line we added around it.
    findings.push(...fm.findings.map((f) => (sidecar ? { ...f, line: Math.max(1, f.line - 1) } : f)));
    keyLines.set(rel, sidecar ? new Map([...fm.keyLines].map(([k, l]) => [k, Math.max(1, l - 1)])) : fm.keyLines);
    if (!fm.meta) continue;
    // The body as written (footnote markers and all), so a finding's line is the file's line.
    if (ext === ".md")
      bodies.set(rel, { text: metaSource.replace(/^\uFEFF/, "").split(/\r?\n/).slice(fm.bodyLine - 1).join("\n"), line: fm.bodyLine });
    const hash = createHash("sha256")
      .update(data)
      .update(metaSource)
      .update(dependencyFingerprint(fm.meta, tenants))
      .digest("hex");
    if (options.knownHashes?.get(rel) === hash) {
      unchanged.push({ meta: fm.meta, path: rel, hash });
      continue;
    }
    try {
      const sections =
        ext === ".md"
          ? markdownSections(fm.body, fm.meta.title)
          : ext === ".pdf"
            ? await pdfSections(data)
            : await docxSections(data, fm.meta.title);
      if (sections.length === 0) findings.push({ severity: "warning", file: rel, line: fm.bodyLine, message: "Das Dokument enthält keinen Text." });
      docs.push({ meta: fm.meta, path: rel, hash, sections });
    } catch (err) {
      findings.push({ severity: "error", file: rel, line: 1, message: `Datei konnte nicht gelesen werden: ${(err as Error).message}` });
    }
  }
  const synonyms = await loadSynonyms(knowledgeDir, tenants.keys(), findings);
  return { roles, tenants, docs, unchanged, findings, keyLines, bodies, synonyms };
}

/**
 * What a document's index rows are made of besides its own file: the chunking version, and the catalogue entries its
 * next steps resolve to (stored resolved). Contacts and role labels are not part of a document's rows (they live in
 * the contacts table), so a change there, or another tenant's folder, re-reads no document.
 */
function dependencyFingerprint(meta: DocMeta, tenants: Map<string, TenantKnowledge>): string {
  const catalogue = meta.tenant ? tenants.get(meta.tenant)?.links : undefined;
  const links = meta.nextSteps.flatMap((s) => (s.kind === "link" ? [[s.link, catalogue?.get(s.link) ?? null]] : []));
  // asOf: the documents table gained as_of; an index written before it is re-read once, so the column is filled.
  return JSON.stringify({ chunking: CHUNKING_VERSION, links, asOf: meta.asOf ?? null });
}

/** A clear German error instead of an ENOENT stack, for every caller (validate, ingest, start-up). */
async function assertDirectory(knowledgeDir: string): Promise<void> {
  const found = await stat(knowledgeDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return undefined;
    throw new LotseError("KNOWLEDGE_INVALID", `Der Wissensordner ${knowledgeDir} ist nicht lesbar: ${err.message}`, { cause: err });
  });
  if (!found)
    throw new LotseError(
      "KNOWLEDGE_INVALID",
      `Der Wissensordner ${knowledgeDir} existiert nicht. Prüfen Sie LOTSE_KNOWLEDGE_DIR (oder --dir); er enthält roles.yaml, shared/ und je Kommune einen Ordner.`,
    );
  if (!found.isDirectory())
    throw new LotseError("KNOWLEDGE_INVALID", `${knowledgeDir} ist eine Datei, kein Ordner: LOTSE_KNOWLEDGE_DIR (oder --dir) muss auf den Wissensordner zeigen.`);
}

function defaultSidecar(rel: string, folder: string): string {
  const base = path.basename(rel, path.extname(rel));
  const id = base.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "dokument";
  return `---\nid: ${id}\ntitle: ${JSON.stringify(base.replace(/[-_]+/g, " "))}\ntype: guidance\ntenant: ${folder || "shared"}\n---\n`;
}

import { markdownSections } from "./markdown-sections.ts";
import type { Section } from "./types.ts";

/** One section per PDF page, so citations keep the page number. Empty pages are skipped. */
export async function pdfSections(data: Uint8Array): Promise<Section[]> {
  // Loaded on first use: pdf.js is large, and a restart with unchanged knowledge parses no PDF.
  const { extractText, getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(data));
  const { text } = await extractText(pdf, { mergePages: false });
  return text
    .map((pageText, i) => ({ headings: [], text: pageText.replace(/[ \t]+/g, " ").trim(), page: i + 1 }))
    .filter((s) => s.text.length > 0);
}

/** DOCX through mammoth's Markdown conversion, so Word headings become heading paths. */
export async function docxSections(data: Uint8Array, title: string): Promise<Section[]> {
  const mammoth = (await import("mammoth")).default;
  // convertToMarkdown exists at run time but is missing from mammoth's type declarations.
  const convert = (mammoth as unknown as { convertToMarkdown: typeof mammoth.convertToHtml }).convertToMarkdown;
  const result = await convert({ buffer: Buffer.from(data) });
  const markdown = result.value.replace(/\\([\\`*_{}[\]()#+\-.!])/g, "$1").replace(/__([^_]+)__/g, "$1");
  return markdownSections(markdown, title);
}

import { stripMarkers } from "./footnotes.ts";
import type { LoadedDoc } from "./types.ts";

export interface Chunk {
  docId: string;
  tenant: string | null;
  ord: number;
  /** Heading path, e.g. "Vergabe > Zuschlag", or "Seite 4" for a PDF page. */
  section: string;
  page: number | undefined;
  /**
   * Plain text for answers and excerpts. Paragraphs are separated by a blank line and list items by a line break, so
   * that the composer can find a section's opening paragraph; footnote markers `[^N]` name the supporting source.
   */
  body: string;
  /** Title and heading path prepended: what the index and the embedder see. */
  indexText: string;
}

export interface ChunkOptions {
  maxWords: number;
  overlapSentences: number;
}

const DEFAULTS: ChunkOptions = { maxWords: 220, overlapSentences: 1 };
/** Bump when chunking changes what is indexed: the next ingest then re-reads every file, not only changed ones. */
export const CHUNKING_VERSION = 4;
/** Heading of an onboarding module's check question. */
const CHECK_QUESTION = "kontrollfrage";

/**
 * A sentence ends at . ! ? before a capital, except after abbreviations, initials ("z. B.") and day numbers
 * ("30. Juni"); a unit such as "20 °C." still ends one.
 */
const SENTENCE_END =
  /(?<!\b(?:Abs|Nr|bzw|ca|vgl|ggf|Art|Kap|Ziff|Mio|Mrd|inkl|zzgl|evtl|usw|etc|Dr|Prof|St|\d{1,2})\.)(?<!(?:^|[^°A-Za-zÄÖÜäöüß])[A-Za-z]\.)(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9„"(§])/;

/** Paragraphs and list items of a text, wrapped lines joined. */
export function blocks(text: string): string[] {
  const blocks: string[] = [];
  let open = false;
  for (const line of text.split(/\n/)) {
    const t = line.trim();
    if (t === "") {
      open = false;
      continue;
    }
    // A list item starts a block of its own; other lines continue a wrapped paragraph.
    if (open && !/^([-*+]|\d+[.)])\s/.test(t)) blocks[blocks.length - 1] += ` ${t}`;
    else blocks.push(t);
    open = true;
  }
  return blocks;
}

/** Splits one paragraph into sentences. */
export function splitSentences(block: string): string[] {
  return block
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Sentences of a text; each list item starts a sentence of its own. */
export function sentences(text: string): string[] {
  return blocks(text).flatMap(splitSentences);
}

const LIST_ITEM = /^([-*+]|\d+[.)])\s/;
type Sentence = { text: string; block: number };

/** Sentences with the paragraph or list item they belong to. */
function sentencesInBlocks(text: string): Sentence[] {
  return blocks(text).flatMap((b, block) => splitSentences(b).map((s) => ({ text: s, block })));
}

/** Sentences back into text: one paragraph per block, list items on lines of their own. */
function joinBlocks(piece: Sentence[]): string {
  let out = "";
  piece.forEach((s, i) => {
    const prev = piece[i - 1];
    if (prev === undefined) out = s.text;
    else if (prev.block === s.block) out += ` ${s.text}`;
    else out += `${LIST_ITEM.test(s.text) && LIST_ITEM.test(prev.text) ? "\n" : "\n\n"}${s.text}`;
  });
  return out;
}

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

/**
 * Chunks follow headings; a long section is cut at sentence boundaries into pieces of at most maxWords,
 * each repeating the last sentence of the one before (little overlap, so a fact on the boundary is not lost).
 */
export function chunkDocument(doc: LoadedDoc, options: Partial<ChunkOptions> = {}): Chunk[] {
  const { maxWords, overlapSentences } = { ...DEFAULTS, ...options };
  const chunks: Chunk[] = [];
  for (const section of doc.sections) {
    // Check questions of onboarding modules (## Kontrollfrage) are quiz material, not answers: a question about office
    // temperature must not be answered with the quiz's wrong options.
    if (section.headings.at(-1)?.trim().toLowerCase() === CHECK_QUESTION) continue;
    // The page stays out of the section name (citations carry it as `page`) but in the indexed text.
    const label = section.page !== undefined ? [...section.headings, `Seite ${section.page}`] : section.headings;
    const sectionName = section.headings.join(" > ") || doc.meta.title;
    const pieces: Sentence[][] = [];
    let current: Sentence[] = [];
    let count = 0;
    for (const sentence of sentencesInBlocks(section.text)) {
      const n = wordCount(sentence.text);
      if (count + n > maxWords && current.length > 0) {
        pieces.push(current);
        current = overlapSentences > 0 ? current.slice(-overlapSentences) : [];
        count = current.reduce((a, s) => a + wordCount(s.text), 0);
      }
      current.push(sentence);
      count += n;
    }
    if (current.length > 0) pieces.push(current);
    for (const piece of pieces) {
      const body = joinBlocks(piece);
      chunks.push({
        docId: doc.meta.id,
        tenant: doc.meta.tenant,
        ord: chunks.length,
        section: sectionName,
        page: section.page,
        body,
        indexText: [doc.meta.title, ...label, stripMarkers(body)].join("\n"),
      });
    }
  }
  return chunks;
}

/**
 * A sorted data file that stays compressed in memory: a gzip file of several members. The first member holds the
 * header comments and an index, one `#= <compressed bytes>\t<first key>` line per further member; each further
 * member holds the next LINES_PER_BLOCK data lines. `zcat` shows the whole text (gzip readers join members), and a
 * lookup inflates one member of about a kilobyte. Loading reads the index only: a few milliseconds and about the
 * file's size in memory, where the decoded lines would take three times that and their hash index more again.
 */
import { gzipSync, inflateRawSync } from "node:zlib";
import { isGzip } from "./vocabulary-file.ts";

/** Lines per block: small enough that a lookup inflates about a kilobyte. */
const LINES_PER_BLOCK = 64;
/** Recently inflated blocks kept decoded: a question's words repeat across retries and follow-ups. */
const CACHED_BLOCKS = 64;
/** The fixed gzip header that Node writes (no name, no time, no extra field), and the CRC32 and size trailer. */
const GZIP_HEADER = 10;
const GZIP_TRAILER = 8;
const INDEX_PREFIX = "#= ";

/** JavaScript string order, the order that SortedBlocks searches in. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The packed file for `header` (comment lines, each starting with "#") and `lines` (already sorted by `keyOf`).
 * Deterministic: Node's gzip writes no time stamp, so equal input gives equal bytes.
 */
export function packSortedBlocks(
  header: readonly string[],
  lines: readonly string[],
  keyOf: (line: string) => string,
): Buffer {
  const members: Buffer[] = [];
  const index: string[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_BLOCK) {
    const block = lines.slice(i, i + LINES_PER_BLOCK);
    const member = gzipSync(`${block.join("\n")}\n`, { level: 9 });
    members.push(member);
    index.push(`${INDEX_PREFIX}${member.length}\t${keyOf(block[0] ?? "")}`);
  }
  const first = gzipSync(`${[...header, ...index].join("\n")}\n`, { level: 9 });
  return Buffer.concat([first, ...members]);
}

/** Inflates one gzip member written by Node (fixed 10-byte header); also returns its length in `bytes`. */
function inflateMember(bytes: Buffer, start: number): { text: string; length: number } {
  const result = inflateRawSync(bytes.subarray(start + GZIP_HEADER), { info: true }) as unknown as {
    buffer: Buffer;
    engine: { bytesWritten: number };
  };
  return {
    text: result.buffer.toString("utf8"),
    length: GZIP_HEADER + result.engine.bytesWritten + GZIP_TRAILER,
  };
}

function dataLines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

/** Lookup of lines by key in a file written by packSortedBlocks (or a plain sorted text, held decoded). */
export class SortedBlocks {
  private readonly bytes: Buffer;
  private readonly firstKeys: string[] = [];
  /** Start of block i in `bytes` at starts[i], its end at starts[i + 1]. */
  private readonly starts: number[] = [];
  private readonly cache = new Map<number, readonly string[]>();
  private readonly keyOf: (line: string) => string;
  /** A file without an index (plain or single-member): its lines, decoded once. */
  private readonly plain: readonly string[] | undefined;

  /** `keyOf` gives the lookup key of one decoded line. */
  constructor(bytes: Buffer, keyOf: (line: string) => string) {
    this.bytes = bytes;
    this.keyOf = keyOf;
    if (!isGzip(bytes) || bytes[3] !== 0) {
      // Plain text, or a gzip with a name or extra field (not ours): read it whole.
      this.plain = dataLines(isGzip(bytes) ? inflateMember(bytes, 0).text : bytes.toString("utf8"));
      return;
    }
    const first = inflateMember(bytes, 0);
    let offset = first.length;
    for (const line of first.text.split("\n")) {
      if (!line.startsWith(INDEX_PREFIX)) continue;
      const tab = line.indexOf("\t");
      this.starts.push(offset);
      this.firstKeys.push(line.slice(tab + 1));
      offset += Number(line.slice(INDEX_PREFIX.length, tab));
    }
    this.starts.push(offset);
    this.plain = this.firstKeys.length === 0 ? dataLines(first.text) : undefined;
  }

  /** The line whose key is `key`, or undefined. */
  find(key: string): string | undefined {
    if (this.plain) return this.search(this.plain, key);
    // The last block whose first key is ≤ key.
    let lo = 0;
    let hi = this.firstKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.firstKeys[mid] ?? "") <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.search(this.block(lo - 1), key);
  }

  private search(lines: readonly string[], key: string): string | undefined {
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareKeys(this.keyOf(lines[mid] ?? ""), key);
      if (order === 0) return lines[mid];
      if (order < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  private block(i: number): readonly string[] {
    let lines = this.cache.get(i);
    if (lines) {
      this.cache.delete(i); // re-inserted below as the most recent
    } else {
      lines = dataLines(inflateMember(this.bytes, this.starts[i] ?? 0).text);
      if (this.cache.size >= CACHED_BLOCKS) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    this.cache.set(i, lines);
    return lines;
  }
}

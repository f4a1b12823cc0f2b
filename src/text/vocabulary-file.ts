/**
 * Shared reading of the vocabulary data files in vocabulary/. A Map of strings over them costs 53 MB of heap
 * (measured), which every server replica would carry for its whole life. Instead the thesaurus keeps its lines in
 * one Buffer with 32-bit key hashes in a typed array (HashedLines here); the larger English dictionary stays
 * compressed in blocks (sorted-blocks.ts).
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip, gunzipSync } from "node:zlib";
import { LotseError } from "../errors.ts";

const gunzipAsync = promisify(gunzip);

/** Bytes of a data file as stored, or LotseError naming the file. */
export function readVocabularyFile(file: string, what: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new LotseError("INTERNAL", `${what} data file ${file} cannot be read; restore vocabulary/`, {
      cause: err,
      details: { file },
    });
  }
  return bytes;
}

/** The stored bytes of a data file and its text bytes, read and gunzipped off the main thread (libuv's pool). */
export async function readVocabularyData(
  file: string,
  what: string,
): Promise<{ bytes: Buffer; data: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new LotseError("INTERNAL", `${what} data file ${file} cannot be read; restore vocabulary/`, {
      cause: err,
      details: { file },
    });
  }
  // gunzip reads every member, as gunzipSync does (the English dictionary is one member per block); output in
  // chunks of 1 MB instead of 16 KB: half the time, most of it spent joining the chunks on the main thread.
  return { bytes, data: isGzip(bytes) ? await gunzipAsync(bytes, { chunkSize: 1 << 20 }) : bytes };
}

/** True for gzip data (the magic bytes 1f 8b). */
export function isGzip(bytes: Buffer): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The text bytes of a data file: gunzipped (all members) when gzip, as is when plain (a hand-edited fixture). */
export function textBytes(bytes: Buffer): Buffer {
  return isGzip(bytes) ? gunzipSync(bytes) : bytes;
}

/** FNV-1a over UTF-16 code units: cheap, and collisions are harmless because every hit is verified. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Lines addressable in one entry: hash × LINE_SPAN + line stays an exact integer in a float64 (2^32 · 2^20 < 2^53). */
const LINE_SPAN = 2 ** 20;

/** The data lines of a file (comments and empty lines skipped), each looked up by the keys it declares. */
export class HashedLines {
  private readonly bytes: Buffer;
  /** Start of line i at starts[i], its end (before "\n") at ends[i]. */
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  /** hash × LINE_SPAN + line, sorted, so all lines of one hash are adjacent (numbers: BigInts were 3× slower). */
  private readonly entries: Float64Array;

  /** `keys` names the lookup keys of one decoded line, already in the form lookups will use. */
  constructor(bytes: Buffer, keys: (line: string) => Iterable<string>) {
    this.bytes = bytes;
    const starts: number[] = [];
    const ends: number[] = [];
    for (let start = 0; start < bytes.length; ) {
      let end = bytes.indexOf(0x0a, start);
      if (end < 0) end = bytes.length;
      if (end > start && bytes[start] !== 0x23 /* # */) {
        starts.push(start);
        ends.push(end);
      }
      start = end + 1;
    }
    if (starts.length > LINE_SPAN) throw new RangeError(`more than ${LINE_SPAN} lines in a vocabulary file`);
    this.starts = Uint32Array.from(starts);
    this.ends = Uint32Array.from(ends);
    const entries: number[] = [];
    for (let i = 0; i < starts.length; i++) {
      for (const key of new Set(keys(this.line(i)))) entries.push(hashKey(key) * LINE_SPAN + i);
    }
    this.entries = Float64Array.from(entries).sort();
  }

  /** Number of data lines. */
  get size(): number {
    return this.starts.length;
  }

  /** Data line i, decoded. */
  line(i: number): string {
    return this.bytes.toString("utf8", this.starts[i], this.ends[i]);
  }

  /** Lines that declared a key with the same hash as `key`, in file order; the caller checks the real key. */
  candidates(key: string): string[] {
    const low = hashKey(key) * LINE_SPAN;
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] ?? 0) < low) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.entries.length && (this.entries[i] ?? 0) < low + LINE_SPAN; i++) {
      out.push(this.line((this.entries[i] ?? 0) - low));
    }
    return out;
  }
}

import { STOPWORDS, words } from "../text/normalize.ts";
import type { Embedder } from "./embedder.ts";

/** FNV-1a, 32 bit: stable across runs and machines, which stored vectors need. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Offline default embedder: character 3- and 4-grams of each word, hashed into a signed vector and L2-normalised.
 * Needs no model, so nothing is downloaded and nothing leaves the machine; it catches spelling and inflection variants
 * (Beschaffungskriterien ~ Beschaffung, Kriterien) that full-text search misses.
 */
export class HashedNgramEmbedder implements Embedder {
  readonly name: string;
  readonly dim: number;

  constructor(dim = 256) {
    this.dim = dim;
    this.name = `hashed-ngram-v1-${dim}`;
  }

  embedOne(text: string): number[] {
    const v = new Float64Array(this.dim);
    for (const w of words(text)) {
      if (STOPWORDS.has(w)) continue;
      const padded = `<${w}>`;
      for (const n of [3, 4]) {
        for (let i = 0; i + n <= padded.length; i++) {
          const h = fnv1a(padded.slice(i, i + n));
          const idx = h % this.dim;
          v[idx] = (v[idx] ?? 0) + ((h >>> 31) & 1 ? -1 : 1);
        }
      }
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }
}

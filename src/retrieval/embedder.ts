/** Turns texts into vectors of a fixed dimension. Neural embedders implement the same port. */
export interface Embedder {
  /** Stored with the index; a different name or dimension forces a re-embed. */
  readonly name: string;
  readonly dim: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** pgvector text literal, e.g. [0.1,0.2]. */
export function toVectorLiteral(v: number[]): string {
  return `[${v.map((x) => (Number.isFinite(x) ? Number(x.toFixed(6)) : 0)).join(",")}]`;
}

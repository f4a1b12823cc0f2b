import type { Embedder } from "../retrieval/embedder.ts";
import type { Stemmer } from "../retrieval/expand-question.ts";
import { batchTerms, type TermBag } from "./gap-terms.ts";

/** Share of the similarity that the content terms decide; the rest is the embedder's cosine. */
const TERM_SHARE = 0.7;
/**
 * Two groups are merged while their average similarity is at least this (measured on
 * test/gaps/fixtures/gap-questions.yaml, see test/gaps/group-questions.test.ts).
 */
export const DEFAULT_THRESHOLD = 0.1;
/** Terms a group is named by. */
const NAME_TERMS = 3;

/** One group of similar questions: indices into the input, the most central first, and its naming terms. */
export interface QuestionCluster {
  /** Indices of the input texts, the most central (most similar to the rest of the group) first. */
  members: number[];
  /** The group's most frequent content terms (stems), most frequent first. */
  terms: string[];
  /** The same terms as users wrote them ("Jobticket", "Zuschuss"): the group's name. */
  words: string[];
}

export interface GroupOptions {
  embedder: Embedder;
  stem: Stemmer;
  threshold?: number;
  /** The municipality's own names (tenant id, display name): they say where, not what about. */
  names?: readonly string[];
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Cosine of two term bags, each term weighted by its rarity in the batch (idf) and its own weight. */
function termCosine(a: TermBag, b: TermBag, idf: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of a) {
    const x = w * (idf.get(t) ?? 0);
    na += x * x;
    const v = b.get(t);
    if (v !== undefined) dot += x * v * (idf.get(t) ?? 0);
  }
  for (const [t, w] of b) {
    const y = w * (idf.get(t) ?? 0);
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Pairwise similarity of the texts: content-term overlap and the embedder's cosine, combined. */
export async function similarities(
  texts: readonly string[],
  opts: Pick<GroupOptions, "embedder" | "stem" | "names">,
): Promise<{ sim: Float64Array[]; own: TermBag[]; display: Map<string, string> }> {
  const { bags, own, display } = await batchTerms(texts, opts.stem, undefined, opts.names);
  const vectors = await opts.embedder.embed([...texts]);
  const df = new Map<string, number>();
  for (const bag of bags) for (const t of bag.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(texts.length, 1);
  const idf = new Map([...df].map(([t, d]) => [t, Math.log(1 + n / d)]));
  const sim = texts.map(() => new Float64Array(texts.length));
  for (let i = 0; i < texts.length; i++)
    for (let j = i; j < texts.length; j++) {
      const s =
        i === j
          ? 1
          : TERM_SHARE * termCosine(bags[i] as TermBag, bags[j] as TermBag, idf) +
            (1 - TERM_SHARE) * Math.max(0, cosine(vectors[i] ?? [], vectors[j] ?? []));
      (sim[i] as Float64Array)[j] = s;
      (sim[j] as Float64Array)[i] = s;
    }
  return { sim, own, display };
}

/**
 * Groups similar questions: agglomerative clustering with average linkage, merging the most similar pair of groups
 * while their average similarity reaches the threshold. Deterministic: ties go to the lower indices, so the same
 * questions in the same order always give the same groups. Groups are returned largest first.
 */
export async function groupQuestions(
  texts: readonly string[],
  opts: GroupOptions,
): Promise<QuestionCluster[]> {
  if (texts.length === 0) return [];
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const { sim, own, display } = await similarities(texts, opts);
  const n = texts.length;
  // Average-linkage similarity between live clusters (Lance–Williams update), clusters by their lowest index.
  const link = sim.map((row) => Float64Array.from(row));
  const members: (number[] | undefined)[] = texts.map((_, i) => [i]);
  for (;;) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!members[i]) continue;
      const row = link[i] as Float64Array;
      for (let j = i + 1; j < n; j++)
        if (members[j] && (row[j] as number) > best) {
          best = row[j] as number;
          bi = i;
          bj = j;
        }
    }
    if (bi < 0 || best < threshold) break;
    const a = members[bi] as number[];
    const b = members[bj] as number[];
    for (let k = 0; k < n; k++) {
      if (!members[k] || k === bi || k === bj) continue;
      const v = ((link[bi]?.[k] ?? 0) * a.length + (link[bj]?.[k] ?? 0) * b.length) / (a.length + b.length);
      (link[bi] as Float64Array)[k] = v;
      (link[k] as Float64Array)[bi] = v;
    }
    members[bi] = [...a, ...b].sort((x, y) => x - y);
    members[bj] = undefined;
  }
  const clusters: QuestionCluster[] = [];
  for (const m of members) {
    if (!m) continue;
    const centrality = (i: number) => m.reduce((s, j) => s + (j === i ? 0 : (sim[i]?.[j] ?? 0)), 0);
    const central = [...m].sort((x, y) => centrality(y) - centrality(x) || x - y);
    const counts = new Map<string, number>();
    // Named in the questions' own words, counted by weight (a noun fully, a verb half, "Büro" a quarter).
    for (const i of m) for (const [t, w] of own[i] ?? []) counts.set(t, (counts.get(t) ?? 0) + w);
    // A term inside another one already chosen names nothing new ("Homeoffice", then not "Home").
    const terms: string[] = [];
    for (const [t] of [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) {
      if (terms.length >= NAME_TERMS) break;
      if (!terms.some((c) => c.includes(t) || t.includes(c))) terms.push(t);
    }
    clusters.push({ members: central, terms, words: terms.map((t) => display.get(t) ?? t) });
  }
  return clusters.sort(
    (x, y) => y.members.length - x.members.length || (x.members[0] ?? 0) - (y.members[0] ?? 0),
  );
}

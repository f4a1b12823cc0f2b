import { type Alternative, type Concept, WEIGHTS } from "./concepts.ts";

/**
 * Counts chunks (of the tenant plus shared guidance) that contain any lexeme of `group` and any lexeme of
 * `context`, one count per pair.
 */
export type CooccurrenceCounter = (pairs: { group: string[]; context: string[] }[]) => Promise<number[]>;

/** Alternatives of the other concepts that count as the question's context: not the loose ones (compound parts). */
const CONTEXT_WEIGHT = 0.5;
/** A sense is kept when its support reaches this share of the best-supported sense of the same concept. */
const KEEP_SHARE = 0.3;

/** Alternatives of a concept by sense: the literal word (with its joined compounds and typo fix) is one sense. */
function senseGroups(concept: Concept): Map<string, Alternative[]> {
  const groups = new Map<string, Alternative[]>();
  for (const a of concept.alternatives) {
    if (a.source !== "thesaurus" && a.source !== "compound" && a.source !== "own") continue;
    if (a.lexemes.length === 0) continue;
    const key = a.source === "own" ? "" : (a.sense ?? a.term);
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return groups;
}

/**
 * Keeps a homonym's senses only where the rest of the question supports them: each sense of a concept (a thesaurus
 * synset, a compound's head, the literal word) is scored by how many chunks contain it together with any other
 * concept of the question, relative to how common the sense is. The supported senses stay; the others are dropped,
 * and the literal word, where a sense beats it, keeps only a low weight ("Kauf von Monitoren": Bildschirm, not the
 * indicator set "Monitor Nachhaltige Kommune"). Without any support (a one-word question) nothing changes.
 */
export async function chooseSenses(
  concepts: Concept[],
  df: (lexeme: string) => number,
  common: (lexeme: string) => boolean,
  count: CooccurrenceCounter,
): Promise<void> {
  const jobs: { concept: Concept; key: string; alts: Alternative[]; pair: number }[] = [];
  const pairs: { group: string[]; context: string[] }[] = [];
  for (const concept of concepts) {
    const groups = senseGroups(concept);
    const expansions = [...groups.keys()].filter((k) => k !== "");
    if (expansions.length === 0) continue;
    const context = [
      ...new Set(
        concepts
          .filter((c) => c !== concept && c.known)
          .flatMap((c) => c.alternatives.filter((a) => a.weight >= CONTEXT_WEIGHT).flatMap((a) => a.lexemes))
          .filter((l) => df(l) > 0 && !common(l)),
      ),
    ];
    if (context.length === 0) continue;
    for (const [key, alts] of groups) {
      jobs.push({ concept, key, alts, pair: pairs.length });
      pairs.push({ group: [...new Set(alts.flatMap((a) => a.lexemes))].filter((l) => df(l) > 0), context });
    }
  }
  if (jobs.length === 0) return;
  const counts = await count(pairs);
  for (const concept of concepts) {
    const mine = jobs.filter((j) => j.concept === concept);
    if (mine.length === 0) continue;
    const scored = mine.map((j) => {
      const cooc = counts[j.pair] ?? 0;
      const freq = Math.max(0, ...(pairs[j.pair]?.group ?? []).map(df));
      return { ...j, cooc, support: cooc / (freq + 1) };
    });
    const best = Math.max(...scored.filter((s) => s.key !== "").map((s) => s.support), 0);
    const literal = scored.find((s) => s.key === "");
    if (best === 0 && !(literal && literal.support > 0)) continue; // no evidence either way
    const top = Math.max(best, literal?.support ?? 0);
    // Where the word itself is in the corpus, a sense must be better supported than the word to be worth its noise.
    const literalKnown = (pairs[literal?.pair ?? -1]?.group.length ?? 0) > 0;
    for (const s of scored) {
      if (s.key === "") continue;
      for (const a of s.alts) a.support = s.support;
      const enough = literalKnown ? s.support > (literal?.support ?? 0) : s.support >= KEEP_SHARE * top;
      if (enough && s.cooc > 0) continue;
      concept.rejected.push({
        sense: s.key,
        terms: s.alts.map((a) => a.term),
        reason:
          s.cooc === 0
            ? "kommt mit den übrigen Begriffen der Frage nicht vor"
            : "schwächer gestützt als eine andere Bedeutung",
      });
      concept.alternatives = concept.alternatives.filter((a) => !s.alts.includes(a));
    }
    // Verbs and adjectives have many loose senses ("funktioniert": laufen, wirken, klappen): one at most.
    if (!concept.noun) {
      const kept = scored.filter((s) => s.key !== "" && concept.alternatives.some((a) => s.alts.includes(a)));
      const winner = kept.sort((a, b) => b.support - a.support)[0];
      for (const s of kept)
        if (s !== winner) {
          concept.rejected.push({
            sense: s.key,
            terms: s.alts.map((a) => a.term),
            reason: "schwächer gestützt als eine andere Bedeutung",
          });
          concept.alternatives = concept.alternatives.filter((a) => !s.alts.includes(a));
        }
    }
    if (literal && literalKnown && literal.cooc === 0 && best > 0)
      for (const a of literal.alts)
        if (a.source === "own") a.weight = Math.min(a.weight, WEIGHTS.unsupportedLiteral);
  }
}

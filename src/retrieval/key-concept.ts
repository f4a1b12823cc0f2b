import type { Concept } from "./concepts.ts";

/**
 * Marks the question's key concept: the rarest noun concept the corpus knows (or the rarest concept where the
 * question has no noun, as in English or all lower case); a word the corpus lacks entirely, with no alternative, is key
 * where no other noun is known. Numbers are never key. When the
 * best passages do not cover it, the knowledge base does not answer the question, however many other words overlap.
 */
export function markKeyConcept(concepts: Concept[]): Concept | undefined {
  for (const c of concepts) c.key = false;
  const candidates = concepts.filter((c) => !/^\d+$/.test(c.word) && c.word.length > 1);
  const pool = candidates.some((c) => c.noun) ? candidates.filter((c) => c.noun) : candidates;
  // A word the corpus lacks entirely is key only when nothing else in the pool is known ("Urlaub"); otherwise it is
  // often incidental ("Konferenz in Wien", "Teeküche") and weighs in through coverage alone.
  const known = pool.filter((c) => c.known);
  let key: Concept | undefined;
  for (const c of known.length > 0 ? known : pool) if (!key || c.weight > key.weight) key = c;
  if (key) key.key = true;
  return key;
}

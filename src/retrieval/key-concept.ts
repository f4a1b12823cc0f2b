import type { Concept } from "./concepts.ts";

/**
 * Marks the question's key concept: the rarest noun concept the corpus knows; a noun the corpus lacks entirely, with
 * no alternative, is key where no other noun is known. Numbers are never key. When the
 * best passages do not cover it, the knowledge base does not answer the question, however many other words overlap.
 */
export function markKeyConcept(concepts: Concept[]): Concept | undefined {
  for (const c of concepts) c.key = false;
  const candidates = concepts.filter((c) => !/^\d+$/.test(c.word) && c.word.length > 1);
  // Without capitalised words (all lower case, English) nothing tells the topic from a filler ("mein team"): no key,
  // weighted coverage alone decides.
  const pool = candidates.filter((c) => c.noun);
  // A word the corpus lacks entirely is key only when nothing else in the pool is known ("Urlaub"); otherwise it is
  // often incidental ("Konferenz in Wien", "Teeküche") and weighs in through coverage alone.
  const known = pool.filter((c) => c.known);
  let key: Concept | undefined;
  for (const c of known.length > 0 ? known : pool) if (!key || c.weight > key.weight) key = c;
  if (key) key.key = true;
  return key;
}

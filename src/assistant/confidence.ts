import { conceptCoverage, conceptCredit } from "../retrieval/concepts.ts";
import type { Passage, RetrievalResult } from "../retrieval/retriever.ts";

/** Confidence is scaled by this when no top passage covers the question's key concept. */
const KEY_MISSING = 0.5;
/** Passages whose coverage of the key concept counts for confidence. */
const TOP = 3;

/**
 * Share of the question's concept weight that a passage covers (0..1): each concept counts with its idf weight,
 * credited with the weight of the alternative the passage contains (the user's own word 1, expansions less).
 */
export function coverage(passage: Passage, result: RetrievalResult): number {
  return conceptCoverage(result.concepts, new Set(passage.matched));
}

/** Whether any of the best passages covers the question's key concept (true when the question has none). */
export function keyCovered(result: RetrievalResult): boolean {
  const key = result.concepts.find((c) => c.key);
  if (!key) return true;
  return result.passages.slice(0, TOP).some((p) => conceptCredit(key, new Set(p.matched)).credit > 0);
}

/**
 * Whether the best passages reach the concept the question turns on (the key concept, or in a question without one
 * the heaviest concept) only through one piece of a compound: "Fundbüro" found as Büro, "Sitzungsgeld" as Geld. A
 * passage with the head and another part ("Recycling" and "Kopierpapier" for Recyclingkopierpapier) reaches it.
 */
export function mainOnlyByCompound(result: RetrievalResult): boolean {
  const main =
    result.concepts.find((c) => c.key) ?? [...result.concepts].sort((a, b) => b.weight - a.weight)[0];
  if (!main) return false;
  let compoundOnly = false;
  for (const p of result.passages.slice(0, TOP)) {
    const matched = new Set(p.matched);
    const found = main.alternatives.filter((a) => a.lexemes.some((l) => matched.has(l)));
    if (found.length === 0) continue;
    if (found.some((a) => a.source !== "compound") || found.length >= 2) return false;
    compoundOnly = true;
  }
  return compoundOnly;
}

/**
 * Confidence that the best passages answer the question: mostly weighted concept coverage, with vector similarity
 * as a tie-breaker, halved when the key concept is missing from all of them ("Wie beteiligen wir Bürger?" answered
 * by strategy text that shares only "wir" and "Stadt"). Calibrated on the eval sets (see README).
 */
export function confidence(result: RetrievalResult): number {
  const top = result.passages.slice(0, TOP);
  if (top.length === 0) return 0;
  const best = Math.max(...top.map((p) => coverage(p, result)));
  const sim = Math.max(...top.map((p) => p.similarity));
  const value =
    (result.mode === "hybrid" ? 0.8 * best + 0.2 * Math.max(0, sim) : best) *
    (keyCovered(result) ? 1 : KEY_MISSING);
  return Math.round(value * 1000) / 1000;
}

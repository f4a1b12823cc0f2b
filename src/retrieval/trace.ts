import { type Concept, conceptCredit } from "./concepts.ts";
import type { Passage } from "./retriever.ts";

/** Why retrieval found what it found for one question: for `lotse ask --explain` and `lotse eval --explain`. */
export interface RetrievalTrace {
  question: string;
  tenant: string;
  mode: "hybrid" | "lexical";
  /** The question's concepts with their alternatives (source, weight, chosen sense) and rejected senses. */
  concepts: Concept[];
  /** The key concept's word, if any. */
  key: string | undefined;
  /** The best candidates after reranking, in order. */
  candidates: TraceCandidate[];
}

export interface TraceCandidate {
  docId: string;
  section: string;
  /** Rank in the full-text and the vector ranking (null: not among that ranking's candidates). */
  lexRank: number | null;
  vecRank: number | null;
  rrf: number;
  /** Weighted concept coverage (0..1). */
  coverage: number;
  /** Per concept: the alternative that covered it, and its credit (0 when not covered). */
  perConcept: { word: string; term: string | null; credit: number }[];
}

/** Builds the trace from a search's concepts and reranked passages (the first `top` of them). */
export function buildTrace(
  question: string,
  tenant: string,
  mode: "hybrid" | "lexical",
  concepts: Concept[],
  passages: Passage[],
  coverageOf: (p: Passage) => number,
  top = 5,
): RetrievalTrace {
  return {
    question,
    tenant,
    mode,
    concepts,
    key: concepts.find((c) => c.key)?.word,
    candidates: passages.slice(0, top).map((p) => {
      const matched = new Set(p.matched);
      return {
        docId: p.docId,
        section: p.section,
        lexRank: p.lexRank,
        vecRank: p.vecRank,
        rrf: round(p.rrf),
        coverage: round(coverageOf(p)),
        perConcept: concepts.map((c) => {
          const { credit, via } = conceptCredit(c, matched);
          return { word: c.word, term: via?.term ?? null, credit };
        }),
      };
    }),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

const SOURCE_LABEL: Record<string, string> = {
  own: "eigenes Wort",
  joined: "Kompositum aus der Frage",
  synonym: "Synonymdatei",
  thesaurus: "Thesaurus",
  compound: "Kompositum",
  typo: "Tippfehler",
  english: "Englisch",
};

/** The trace as plain text for a terminal (German labels, as the CLI speaks to maintainers). */
export function formatTrace(trace: RetrievalTrace): string {
  const lines = [`Frage: ${trace.question}  (Mandant ${trace.tenant}, Suche ${trace.mode})`, "Begriffe:"];
  for (const c of trace.concepts) {
    const flags = [
      c.noun ? "Nomen" : "",
      c.key ? "Schlüsselbegriff" : "",
      c.known ? "" : "im Korpus unbekannt",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(`  ${c.word}  Gewicht ${c.weight.toFixed(2)}${flags ? `  (${flags})` : ""}`);
    for (const a of c.alternatives) {
      const extra = [
        a.sense ? `Bedeutung: ${a.sense}` : "",
        a.origin ?? "",
        a.support !== undefined ? `Stützung ${a.support.toFixed(2)}` : "",
      ]
        .filter(Boolean)
        .join("; ");
      lines.push(
        `    ${a.term.padEnd(24)} ${SOURCE_LABEL[a.source] ?? a.source} ${a.weight.toFixed(2)}  [${a.lexemes.join(", ")}]${extra ? `  ${extra}` : ""}`,
      );
    }
    for (const r of c.rejected) lines.push(`    verworfen: ${r.terms.join(", ")} (${r.sense}): ${r.reason}`);
  }
  lines.push("Kandidaten (Rang Volltext / Vektor, Abdeckung):");
  trace.candidates.forEach((p, i) => {
    const rank = (r: number | null) => (r === null ? "–" : String(r));
    lines.push(
      `  ${i + 1}. ${p.docId} › ${p.section}  ${rank(p.lexRank)} / ${rank(p.vecRank)}  Abdeckung ${p.coverage.toFixed(2)}`,
    );
    lines.push(
      `     ${p.perConcept.map((x) => `${x.word}: ${x.term === null ? "–" : `${x.term} ${x.credit.toFixed(1)}`}`).join(" · ")}`,
    );
  });
  return lines.join("\n");
}

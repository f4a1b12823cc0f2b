/**
 * One entry (line) of the Ding dictionary, taken apart: "German :: English", parts separated by "|" that correspond
 * by position, alternatives separated by ";", annotated with {word class}, [tags], (explanations) and <spellings>.
 */

/**
 * Two-word English keys ("business trip", "paving stones") are kept where German says it in one compound word
 * (Dienstreise, Pflastersteine), which the single English words would not find; a few candidates suffice there.
 * Longer keys are examples, not terms.
 */
const MAX_EN_WORDS = 2;
const MAX_DE_WORDS = 3;

const NOUN_TAGS = /^(m|f|n|pl)(,(m|f|n))*$/;
const VERB_TAGS = new Set(["vt", "vi", "vr", "v"]);
/** Obsolete, old-spelling and vulgar entries would only mislead a search. */
const DROP_TAGS = new Set(["vulg.", "obs.", "veraltet", "archaic", "altertümlich", "alt", "derb"]);
/** Register and regional tags: usable, but less likely what a question means. */
const REGISTER_TAGS = new Set([
  "ugs.",
  "coll.",
  "slang",
  "poet.",
  "humor.",
  "pej.",
  "selten",
  "rare",
  "Sprw.",
  "prov.",
  "euphem.",
  "iron.",
  "dated",
  "veraltend",
  "fig.",
  "übtr.",
]);
/**
 * Fields whose phrases are names of species, substances and anatomy ("horned screamer", "abalone mushrooms"): a
 * third of Ding's two-word phrases and no municipal question's. Their single words stay.
 */
const PHRASE_FIELDS = new Set([
  "adm.",
  "jur.",
  "econ.",
  "fin.",
  "pol.",
  "envir.",
  "constr.",
  "transp.",
  "auto",
  "techn.",
  "electr.",
  "comp.",
  "telco.",
  "agr.",
  "soc.",
  "school",
  "aviat.",
]);
/** Tags that say where a word is used, not what it belongs to: no penalty. */
const NEUTRAL_TAGS = new Set(["Br.", "Am.", "Dt.", "Ös.", "Schw.", "formal", "geh."]);

export type Kind = "noun" | "verb" | "adj" | "other";

export interface Term {
  text: string;
  kind: Kind;
  /** Product of the tag penalties; 0 drops the term. */
  weight: number;
  /** Tagged with a field of NARROW_TAGS. */
  narrow: boolean;
}

/** Splits at `sep` outside brackets: "{prp; +Dat.}" and "{flew; flown}" hold separators of their own. */
export function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0 && text.startsWith(sep, i)) {
      out.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

/**
 * An alternative without its {word class}, [tags], (explanations), <other spellings> and /ABBREVIATION/, with what
 * they said.
 */
function parseTerm(raw: string): Term {
  const braces = [...raw.matchAll(/\{([^}]*)\}/g)].map((m) => (m[1] ?? "").trim());
  const brackets = [...raw.matchAll(/\[([^\]]*)\]/g)].map((m) => (m[1] ?? "").trim());
  let text = raw;
  for (let prev = ""; prev !== text; ) {
    prev = text;
    text = text.replace(/\{[^{}]*\}|\[[^[\]]*\]|\([^()]*\)|<[^<>]*>/g, " ");
  }
  text = text
    .replace(/(^|\s)\/[^/\s][^/]*\/(?=\s|$)/g, " ")
    // "demenziell ~Demenz": a see-also; „Tretmine“: quotes around a colloquial use.
    .replace(/\s*~.*$/, "")
    .replace(/[„“”‚‘"]/g, "")
    .replace(/’/g, "'")
    .replace(/\s+/g, " ")
    .trim();
  let kind: Kind = "other";
  if (braces.some((b) => NOUN_TAGS.test(b))) kind = "noun";
  else if (braces.some((b) => VERB_TAGS.has(b))) kind = "verb";
  else if (braces.includes("adj")) kind = "adj";
  let weight = 1;
  const narrow = brackets.some(
    (tag) => !PHRASE_FIELDS.has(tag) && !NEUTRAL_TAGS.has(tag) && !REGISTER_TAGS.has(tag),
  );
  for (const tag of brackets) {
    if (DROP_TAGS.has(tag)) weight = 0;
    else if (REGISTER_TAGS.has(tag)) weight *= 0.6;
    else if (!NEUTRAL_TAGS.has(tag)) weight *= 0.8; // a domain ([techn.], [relig.]): a narrower sense
  }
  return { text, kind, weight, narrow };
}

/**
 * The alternatives of one part. Ding tags the last one for all: "erlauben; zulassen; gestatten {vt}" are all verbs,
 * and in "Flussaale {pl}; Süßwasseraale {pl} [zool.]" both are zoology.
 */
export function parsePart(part: string): Term[] {
  const terms = splitTop(part, ";").map(parseTerm);
  const kind = terms.find((t) => t.kind !== "other")?.kind;
  if (kind) for (const t of terms) if (t.kind === "other") t.kind = kind;
  if (terms.at(-1)?.narrow) for (const t of terms) t.narrow = true;
  return terms;
}

/** The German term as a search candidate, or undefined when it is a phrase, a fragment or a placeholder. */
export function germanCandidate(raw: string): string | undefined {
  const text = raw
    .trim()
    // Placeholders of objects before the verb ("etw. kaufen", "jdm. etw. erlauben") are not the documents' words;
    // "die Leinwand", "sich melden": the documents' word is the one after the article or the reflexive pronoun.
    .replace(/^((etw|jd|jdn|jdm|jds|jmd|jmdn|jmdm)\.\s+|sich\s+)+/, "")
    .replace(/^(der|die|das) (?=\p{L})/u, "");
  // A placeholder left inside ("für etw. sorgen") would leave a phrase no document contains ("für sorgen").
  if (/(^|\s)(etw|jd|jdn|jdm|jds|jmd|jmdn|jmdm)\.(\s|$)/.test(text)) return undefined;
  if (text === "" || !/\p{L}/u.test(text) || /\.\.\.|…|[/!?;:,."]/.test(text)) return undefined;
  if (text.split(" ").length > MAX_DE_WORDS) return undefined;
  return text;
}

/** The lower-case English lookup key ("to buy sth." → "buy"), or undefined when it is no word or short phrase. */
export function englishKey(text: string): string | undefined {
  const key = text
    .toLowerCase()
    .replace(/(^|\s)(sth\.|sb\.|sb\.'s|sth\.'s|one's|oneself)(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^to /, "")
    .replace(/^(a|an|the) /, "");
  if (!/^\p{L}[\p{L}\p{N}'-]*( [\p{L}\p{N}][\p{L}\p{N}'-]*)*$/u.test(key)) return undefined;
  if (key.split(" ").length > MAX_EN_WORDS) return undefined;
  return key;
}

/**
 * Follow-ups in a thread: "und für Busse?" after "Welche Quote gilt für saubere Pkw?" is read with the turn before
 * ("Welche Quote gilt für Busse?"). A message that stands on its own (a new topic, even one opened with "und") is
 * left as it is. Offline and by pattern: German and English connectors, the previous question's prepositional phrase
 * replaced by the follow-up's, anything else appended to the previous question.
 */

import { classifySmalltalk } from "./smalltalk.ts";

/** Prepositions a follow-up's phrase may start with, after "wie sieht es …" / "wie ist das …". */
const LEAD_PREPOSITION = "(?=(?:mit|bei|beim|für|in|im|an|am|auf|zu|zum|zur|unter|über|ab)\\s)";
/** Connectors that open a follow-up ("und für Busse?", "and for trucks?"). */
const CONNECTORS = ["und", "aber", "sowie", "oder", "bzw\\.?", "auch", "also", "and", "but", "or"];
/** Openings that lean on the turn before: "und …", "gilt das auch …", "wie sieht es bei …", "what about …". */
const LEANING = new RegExp(
  `^(?:(?:${CONNECTORS.join("|")})\\s+)?(?:${[
    "was ist (?:denn |eigentlich )?mit",
    `wie (?:ist|sieht) (?:es|das) (?:denn |eigentlich )?(?:mit|${LEAD_PREPOSITION})`,
    "wie sieht's (?:denn )?(?:mit)?",
    "(?:gilt|gelten) (?:das|dies|dieses|diese) (?:denn )?(?:auch|ebenso|genauso|ebenfalls)?",
    "(?:trifft|passt) das (?:auch|ebenso)?",
    `ist das (?:auch |ebenso )?${LEAD_PREPOSITION}`,
    "ist das (?:auch|ebenso)",
    "what about",
    "how about",
    "(?:does|do) (?:this|that|it|they) (?:also )?apply",
    "is (?:this|that|it) (?:also )?(?:true|the case|so)",
    ...CONNECTORS,
  ].join("|")})(?:(?<=\\s)|(?=$|[\\s,:?!]))[\\s,:]*`,
  "iu",
);
/** Only the connector of an opening, for "Gilt das Gesetz …" where "das" turns out to be an article. */
const CONNECTOR = new RegExp(`^(?:${CONNECTORS.join("|")})(?=$|[\\s,:?!])[\\s,:]*`, "iu");

/** The opening of a follow-up, or null: "das" before a noun is an article ("Gilt das Gesetz auch …?"). */
function openingOf(t: string): string | null {
  const m = LEANING.exec(t)?.[0];
  if (m === undefined) return null;
  if (/(?:das|dies|diese|dieses)[\s,:]*$/iu.test(m) && capitalised(t.slice(m.length).split(/\s+/)[0]))
    return CONNECTOR.exec(t)?.[0] ?? null;
  return m;
}
/** Words that close an elliptic follow-up and carry nothing: "… zu", "… aus", "… auch", "… too". */
const TRAILING = /(?:\s+(?:aus|zu|auch|ebenfalls|so|denn|dann|too|as well|also))+$/iu;

/** German prepositions (and their contractions with the article) by kind; English ones map to a German kind. */
const PREPOSITIONS: Record<string, string> = {
  für: "für",
  bei: "bei",
  beim: "bei",
  in: "in",
  im: "in",
  ins: "in",
  zu: "zu",
  zum: "zu",
  zur: "zu",
  ab: "ab",
  von: "von",
  vom: "von",
  mit: "mit",
  an: "an",
  am: "an",
  ans: "an",
  auf: "auf",
  nach: "nach",
  aus: "aus",
  seit: "seit",
  unter: "unter",
  über: "über",
  for: "für",
  at: "bei",
  with: "mit",
  from: "von",
};
const ENGLISH_PREPOSITION = /^(?:for|at|with|from)$/i;
const PHRASE = new RegExp(`^(${Object.keys(PREPOSITIONS).join("|")})\\s+(.+)$`, "iu");

/** Words that open a question (German and English), also behind a preposition ("ab welcher", "bis wann"). */
const QUESTION_START =
  /^(?:(?:ab|bis|seit|für|bei|in|an|von|mit|nach|zu|auf|unter|über)\s+)?(?:wer|wen|wem|wessen|was|wie|wo|wohin|woher|wann|welche[rsmn]?|warum|weshalb|wieso|womit|wofür|wozu|worauf|wovon|gibt|gilt|gelten|darf|dürfen|muss|müssen|kann|können|soll|sollen|brauche|brauchen|ist|sind|hat|haben|who|what|how|where|when|which|why|is|are|do|does|can|may|must|should)(?=$|\s)/iu;
const ENGLISH_START = /^(?:who|what|how|where|when|which|why|is|are|do|does|can|may|must|should)(?=$|\s)/i;

/** Adverbs that point back whatever else the message names: "Welche Siegel gibt es dafür?". */
const POINTING_ADVERB =
  /^(?:dafür|dazu|davon|dabei|damit|darauf|daran|darüber|darunter|dagegen|dort|dorthin|dorther|there)$/i;
/** The preposition inside a pointing adverb: "dafür" → "für" ("Welche Siegel gibt es dafür?" → "… für Dienstkleidung"). */
const ADVERB_PREPOSITION: Record<string, string> = {
  dafür: "für",
  dazu: "zu",
  davon: "von",
  dabei: "bei",
  damit: "mit",
  darauf: "auf",
  daran: "an",
  darüber: "über",
  darunter: "unter",
  dagegen: "gegen",
};
/** Pronouns that point back ("wer muss das genehmigen?"); "das" before a noun is an article, "es" mostly impersonal. */
const POINTING_PRONOUN =
  /^(?:das|dies|diese[rsmn]?|derselbe|dieselbe|dasselbe|denselben|it|this|that|these|those|them|they)$/i;
const ARTICLE = /^(?:der|die|das|den|dem)$/i;

const stripEnd = (s: string) => s.replace(/[\s?!.…]+$/u, "");
const capitalised = (w: string | undefined) => w !== undefined && /^\p{Lu}/u.test(w);
/** A German noun or a name in the message: a capitalised word after the first one. */
const hasNoun = (words: string[]) => words.slice(1).some(capitalised);
const pointingAdverb = (words: string[]) => words.some((w) => POINTING_ADVERB.test(w));
const pointingPronoun = (words: string[]) =>
  words.some((w, i) => {
    const next = words[i + 1];
    if (ARTICLE.test(w) && next !== undefined && /^nächste[nmrs]?$/i.test(next)) return true; // "der nächste"
    if (/^das$/i.test(w) && capitalised(next)) return false;
    return POINTING_PRONOUN.test(w);
  });
const pointsBack = (words: string[]) => pointingAdverb(words) || pointingPronoun(words);

/** Fewest words of a question (after its opening) that is taken as one of its own. */
const OWN_QUESTION_MIN_WORDS = 4;
/** Longest follow-up (in words) read as leaning on the turn before without an opening such as "und". */
const BARE_MAX_WORDS = 3;

/**
 * Whether the message leans on the turn before. With an opening ("und …"): unless it is a question of its own (long
 * enough, naming what it is about, pointing back to nothing). Without: a short phrase ("Busse?", "bis wann?") or a
 * question that points back ("Welche Siegel gibt es dafür?", "Wer muss das genehmigen?").
 */
function leans(rest: string, words: string[], opened: boolean): boolean {
  const question = QUESTION_START.test(rest);
  if (opened)
    return !(
      question &&
      !pointsBack(words) &&
      words.length >= OWN_QUESTION_MIN_WORDS &&
      (ENGLISH_START.test(rest) || hasNoun(words))
    );
  if (words.length <= BARE_MAX_WORDS && !(question && hasNoun(words))) return true;
  return question && (pointingAdverb(words) || (pointingPronoun(words) && !hasNoun(words)));
}

/** The previous question without its own opening ("und wie viel Bio …?" → "Wie viel Bio …"). */
function basis(previousQuestion: string): string {
  const prev = stripEnd(previousQuestion.trim());
  const opening = openingOf(prev);
  const rest = opening !== null ? prev.slice(opening.length) : "";
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : prev;
}

/**
 * The previous question with its last prepositional phrase of the same kind replaced by the follow-up's ("… gilt für
 * Pkw" + "für Busse" → "… gilt für Busse"); a verb after the phrase stays ("… im Büro sein" + "in den Fluren" →
 * "… in den Fluren sein"). Undefined when the previous question has no phrase of that kind.
 */
function replacePhrase(prev: string, preposition: string, phrase: string): string | undefined {
  const kind = PREPOSITIONS[preposition.toLowerCase()];
  const words = prev.split(/\s+/);
  let at = -1;
  for (let i = words.length - 2; i > 0; i--)
    if (PREPOSITIONS[(words[i] as string).toLowerCase()] === kind) {
      at = i;
      break;
    }
  if (at < 0) return undefined;
  // The phrase runs to its last noun, name or number; lower-case words after it are the verb at the end.
  let end = words.length;
  while (end - 1 > at + 1 && !/^[\p{Lu}\p{N}§]/u.test(words[end - 1] as string)) end--;
  const lead = ENGLISH_PREPOSITION.test(preposition) ? (kind as string) : preposition.toLowerCase();
  return [...words.slice(0, at), lead, phrase, ...words.slice(end)].join(" ");
}

/** Verbs at the end of a question that say nothing about its topic ("… fertig sein", "… beachtet werden"). */
const AUXILIARY =
  /^(?:sein|werden|haben|lassen|können|müssen|dürfen|sollen|wollen|gelten|geben|machen|tun)$/i;

/**
 * What the previous question is about: its nouns and names, and the verb it ends with ("Darf ich für eine Dienstreise
 * fliegen?" → "Dienstreise fliegen"); undefined when it names nothing.
 */
function topicOf(prev: string): string | undefined {
  const words = prev.split(/\s+/).map((w) => w.replace(/[,;:]+$/u, ""));
  const nouns = words.slice(1).filter(capitalised);
  if (nouns.length === 0) return undefined;
  const last = words[words.length - 1] as string;
  const verb = !capitalised(last) && /^\p{Ll}{4,}$/u.test(last) && !AUXILIARY.test(last) ? [last] : [];
  return [...nouns, ...verb].join(" ");
}

/** The follow-up with its pointing adverb spelled out: "gibt es dafür" + "Dienstkleidung" → "gibt es für Dienstkleidung". */
function spellOut(rest: string, prev: string): string | undefined {
  const words = rest.split(/\s+/);
  const at = words.findIndex((w) => ADVERB_PREPOSITION[w.toLowerCase()] !== undefined);
  const topic = topicOf(prev);
  if (at < 0 || topic === undefined) return undefined;
  const lead = ADVERB_PREPOSITION[(words[at] as string).toLowerCase()] as string;
  return [...words.slice(0, at), lead, topic, ...words.slice(at + 1)].join(" ");
}

/** The question as meant: the follow-up completed with the previous question, or the text unchanged. */
export function resolveFollowUp(text: string, previousQuestion: string | undefined): string {
  // Read without platform markup (a colleague's "<@U123>"), as the router reads it.
  const t = text
    .replace(/<[^>]{0,200}>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!previousQuestion?.trim() || t === "") return text;
  // "Danke!", "Hallo", "👍": not a question, so nothing to complete (the router answers them as they are).
  if (!/[\p{L}\p{N}]/u.test(t) || classifySmalltalk(t) !== undefined) return text;
  const opening = openingOf(t);
  const rest = stripEnd(opening !== null ? t.slice(opening.length) : t).replace(TRAILING, "");
  const words = rest.split(/\s+/).filter(Boolean);
  if (words.length === 0 || !leans(rest, words, opening !== null)) return text;
  const prev = basis(previousQuestion);
  const spelled = spellOut(rest, prev);
  if (spelled) return `${spelled.charAt(0).toUpperCase()}${spelled.slice(1)}?`;
  const phrase = PHRASE.exec(rest);
  if (phrase) {
    const replaced = replacePhrase(prev, phrase[1] as string, phrase[2] as string);
    if (replaced) return `${replaced}?`;
  }
  return `${prev}: ${rest}?`;
}

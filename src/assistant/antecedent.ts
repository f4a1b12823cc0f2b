import { foldUmlauts, words } from "../text/normalize.ts";
import type { Unit } from "./answer-units.ts";

/** How far back a sentence that leans on the one before may reach for its antecedent. */
const ANTECEDENT_STEPS = 2;

/**
 * Whether a sentence leans on the one before it: its subject is a pronoun ("Sie gilt für …", "Er betrifft …"), a
 * demonstrative ("Diese Regel …", "Das regelt § 6 …"), a bare definite back-reference ("Das Gesetz betrifft …") or an
 * adverb that points back ("Dort …", "Dafür …"). Quoted alone, such a sentence reads as if it qualified whatever
 * stands before it in the answer.
 */
export function needsAntecedent(sentence: string): boolean {
  return referent(sentence) !== undefined;
}

/**
 * What a sentence that leans on the one before refers to: the noun of a definite back-reference ("Gesetz" in "Das
 * Gesetz betrifft …"), "" for a pronoun or pointing word, undefined for a sentence that stands on its own.
 */
export function referent(sentence: string): string | undefined {
  const words = sentence.replace(/^[„"»(\s]+/, "").split(/\s+/);
  const [first = "", second = "", third = ""] = words.map((w) => w.replace(/[.,;:!?»“"]+$/, ""));
  if (POINTING.has(first)) return "";
  // "In diesen Strategien …", "Bei diesem Verfahren …".
  if (PREPOSITIONS.has(first) && /^(diese[mnrs]?|jene[mnrs]?|solche[mnrs]?|dessen|deren)$/.test(second))
    return "";
  // "Ein solches System erfasst …": what kind of system, the sentence before says.
  if (/^(Ein|Eine|Einen|Einem|Einer)$/.test(first) && /^solche[mnrs]?$/.test(second)) return "";
  // "Sie dürfen sie in der Leistungsbeschreibung …": an object pronoun early on points back as well.
  if (words.slice(1, 5).some((w) => BACK_PRONOUNS.has(w.replace(/[.,;:!?]+$/, "")))) return "";
  // "Sie bestellen es über den Materialkatalog": "es" right after the verb is an object, unlike "Hier gibt es …".
  if (third === "es" && isLowercaseWord(second) && !EXPLETIVE_ES.has(second)) return "";
  // "Das Umweltbundesamt bietet dafür Empfehlungen an", "Das Klimaschutzmanagement kann dabei helfen": a pointing
  // adverb in the first clause, unless it points forward ("sorgt dafür, dass …").
  if (
    POINTING_INSIDE.test(sentence.split(",")[0] ?? "") &&
    !/\b(dafür|darauf|daran|davon|damit|dazu)[,:]\s/.test(sentence)
  )
    return "";
  const pronoun = pronounSubject(first, second);
  if (pronoun !== undefined) return pronoun ? "" : undefined;
  // "Das Gesetz betrifft …", but not "Das Gesetz zur Wärmeplanung …" or "Die Frist für …", which say what they mean.
  if (ARTICLES.has(first) && GENERIC_NOUNS.has(second) && isLowercaseWord(third) && !ATTRIBUTES.has(third))
    return second;
  return undefined;
}

/** For a first word that can be a pronoun subject: whether it is one here; undefined for other words. */
function pronounSubject(first: string, second: string): boolean | undefined {
  // "Sie gilt …" (she/it) points back, "Sie müssen …" (polite you) does not: the singular verb tells them apart.
  if (first === "Sie") return isSingularVerb(second);
  if (first === "Er" || first === "Ihm") return true;
  // "Ihr gehören … an" (dative: the body named before) points back; "Ihr Fachbereich …", "Ihr neuer …" (polite
  // possessive) does not: a verb follows, not a noun or an inflected adjective.
  if (first === "Ihr") return /^[a-zäöüß]+(en|t)$/.test(second) ? true : undefined;
  if (first === "Es") return !EXPLETIVE_ES.has(second);
  if (DEMONSTRATIVES.has(first)) return true;
  // "Das regelt § 6 …", "Dies gilt …": a pronoun before its verb; "Das geplante Gesetz …" is an article.
  if (first === "Dies") return true;
  if (first === "Das") return isSingularVerb(second) ? true : undefined;
  return undefined;
}

const POINTING = new Set([
  "Dort",
  "Hier",
  "Dabei",
  "Damit",
  "Dafür",
  "Dazu",
  "Davon",
  "Daher",
  "Darin",
  "Darunter",
  "Daraus",
  "Dadurch",
  "Darüber",
  "Demnach",
  "Danach",
  "Dann",
  "Anschließend",
  "Deshalb",
  "Deswegen",
  "Darum",
  "Ebenso",
  "Ebenfalls",
  "Stattdessen",
  "Trotzdem",
  "Beide",
  "Letztere",
  "Letzterer",
  "Ersteres",
  "Jene",
  "Solche",
  // Enumerations and connectives continue what was said before.
  "Zweitens",
  "Drittens",
  "Viertens",
  "Fünftens",
  "Außerdem",
  "Zudem",
  "Ferner",
  "Weiterhin",
  "Allerdings",
  "Dennoch",
  "Jedoch",
]);

/** A pointing adverb among the first words of a sentence that does not begin with it. */
const POINTING_INSIDE =
  /^\S+(?:\s+\S+){0,4}\s+(dabei|dazu|dafür|damit|davon|daran|darauf|darüber|dadurch)(?=[\s.;!?]|$)/;

const PREPOSITIONS = new Set([
  "In",
  "Bei",
  "Mit",
  "Nach",
  "Von",
  "Aus",
  "Für",
  "Zu",
  "Unter",
  "Über",
  "Auf",
  "An",
  "Durch",
  "Seit",
  "Trotz",
  "Wegen",
  "Neben",
  "Ohne",
]);

/**
 * Lower-case object pronouns refer to something named before ("Sie dürfen sie …"); capitalised "Sie" addresses the
 * reader, and possessives mostly refer to the sentence's own subject ("Musterstadt musste ihren Wärmeplan …").
 */
const BACK_PRONOUNS = new Set(["sie", "ihn", "ihm", "ihnen"]);

const DEMONSTRATIVES = new Set(["Diese", "Dieser", "Dieses", "Diesen", "Diesem", "Derartige", "Solche"]);

const EXPLETIVE_ES = new Set([
  "gibt",
  "geht",
  "lohnt",
  "empfiehlt",
  "reicht",
  "kommt",
  "hilft",
  "fehlen",
  "fehlt",
]);

const ARTICLES = new Set(["Der", "Die", "Das", "Den", "Dem"]);

/** Nouns that, with a bare definite article, stand for something named before ("das Gesetz", "die Regel"). */
const GENERIC_NOUNS = new Set([
  "Gesetz",
  "Verordnung",
  "Richtlinie",
  "Vorschrift",
  "Verwaltungsvorschrift",
  "Regel",
  "Regelung",
  "Dienstanweisung",
  "Pflicht",
  "Frist",
  "Quote",
  "Grenze",
  "Schwelle",
  "Wert",
  "Betrag",
  "Programm",
  "Förderung",
  "Projekt",
  "Portal",
  "Plan",
  "Konzept",
  "Bericht",
  "Verfahren",
  "System",
  "Ziel",
  "Modell",
  "Instrument",
  "Werkzeug",
  "Siegel",
  "Zeichen",
  "Stelle",
  "Land",
  "Unternehmen",
  "Ausnahme",
  "Vorgabe",
  "Beschluss",
  "Netzwerk",
]);

/** Words after the noun that say what it means (preposition, genitive, relative clause). */
const ATTRIBUTES = new Set([
  "für",
  "zur",
  "zum",
  "des",
  "der",
  "von",
  "vom",
  "über",
  "nach",
  "aus",
  "bei",
  "im",
  "in",
  "mit",
  "gegen",
  "zu",
  "zwischen",
  "ohne",
  "unter",
  "auf",
  "an",
  "am",
  "die",
  "das",
  "den",
  "dem",
]);

const isLowercaseWord = (w: string) => /^[a-zäöüß]/.test(w);

/** Third person singular present ("gilt", "betrifft", "regelt", "ist", "hat", "wird"), not a plural in -en. */
function isSingularVerb(w: string): boolean {
  if (!isLowercaseWord(w)) return false;
  if (["ist", "hat", "wird", "kann", "muss", "darf", "soll", "will", "mag", "weiß"].includes(w)) return true;
  return /t$/.test(w) && !/(en|ern|eln)$/.test(w);
}

/** What a unit leans on: "" for the items of a list after their paragraph, else as its sentence's referent. */
export function unitReferent(u: Unit): string | undefined {
  return u.leans ? "" : referent(u.text);
}

/**
 * The unit with the sentences it leans on, or undefined when its antecedent is not in the passage: a pronoun takes the
 * sentence before it along; "das Gesetz" needs a sentence that names a Gesetz ("…-Gesetz", "Energieeffizienzgesetz").
 */
export function withAntecedent<U extends Unit>(us: U[], u: U): U[] | undefined {
  const chain = [u];
  let j = u.i - 1;
  let noun = unitReferent(u);
  while (noun !== undefined) {
    const prev = us[j];
    if (!prev || chain.length > ANTECEDENT_STEPS) return undefined;
    chain.unshift(prev);
    j--;
    const named = noun.length > 0 && names(prev.text, noun);
    // The sentence naming the noun may itself lean on another one.
    if (noun.length === 0 || named) noun = referent(prev.text);
  }
  return chain;
}

/** Whether a sentence names the noun a back-reference stands for ("Energieeffizienzgesetz" names a Gesetz). */
export function names(text: string, noun: string): boolean {
  const n = foldUmlauts(noun).toLowerCase();
  return words(text).some((w) => w.includes(n));
}

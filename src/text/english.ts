/**
 * English questions against a German knowledge base: some staff ask in English. Function words are dropped (they
 * would otherwise count as uncovered question words and push confidence below the floor), and a small glossary adds
 * the German word for common domain words, so "deadline for heat planning" also searches "Frist" and "Wärmeplanung".
 * German terms inside an English question ("BNK", "Stadtwerke") match as they are.
 */

/** English function and question words; none of them is a German word that carries content. */
export const ENGLISH_STOPWORDS = new Set(
  (
    "a an and any apply applies are as at be been but by can could did do does for from has have how i if in into " +
    "is it its many may me much must my need needs of on or our should so than that the their there these they this " +
    "to us was we were what when where which who whom why will with would you your"
  ).split(" "),
);

/** English function words that are German words too. */
const SHARED_WITH_GERMAN = new Set(["in", "an", "was", "will", "so", "am"]);

/**
 * Whether a question is written in English: two English function words, or one in a short question. Words German shares
 * ("in", "was", "will") are left out of the count.
 */
export function looksEnglish(words: readonly string[]): boolean {
  const hits = words.filter((w) => ENGLISH_STOPWORDS.has(w) && !SHARED_WITH_GERMAN.has(w)).length;
  return hits >= 2 || (hits === 1 && words.length <= 3);
}

/**
 * English domain word → German words of the knowledge base (umlauts kept for the German stemmer). Kept beside the
 * dictionary for what a general dictionary does not say: the administration's own term ("laptops" → IT-Hardware,
 * "trip" → Dienstreise).
 */
const GLOSSARY: Record<string, string[]> = {
  adaptation: ["Anpassung", "Klimaanpassung"],
  aspects: ["Aspekte"],
  budget: ["Haushalt"],
  buildings: ["Gebäude"],
  buses: ["Busse"],
  cars: ["Fahrzeuge", "Dienstwagen"],
  cities: ["Städte", "Kommunen"],
  city: ["Stadt", "Kommune"],
  climate: ["Klima"],
  companies: ["Unternehmen"],
  contact: ["Ansprechperson", "zuständig"],
  criteria: ["Kriterien"],
  deadline: ["Frist"],
  energy: ["Energie"],
  fair: ["fair"],
  flight: ["Flug", "fliegen"],
  fly: ["Flug", "fliegen"],
  goals: ["Ziele"],
  heat: ["Wärme"],
  indicators: ["Indikatoren", "Kernindikatoren"],
  inhabitants: ["Einwohner"],
  labels: ["Gütezeichen", "Siegel"],
  laptops: ["Laptops", "IT-Hardware"],
  municipalities: ["Kommunen", "Gemeinden"],
  municipality: ["Kommune", "Gemeinde"],
  paper: ["Papier"],
  planning: ["Planung"],
  procurement: ["Beschaffung", "Vergabe"],
  quota: ["Quote"],
  report: ["Bericht"],
  reporting: ["Berichterstattung", "Bericht"],
  strategy: ["Strategie"],
  supplies: ["Lieferleistungen", "Lieferungen"],
  sustainability: ["Nachhaltigkeit"],
  sustainable: ["nachhaltig"],
  threshold: ["Schwellenwert"],
  thresholds: ["Schwellenwerte"],
  travel: ["Dienstreise"],
  trip: ["Dienstreise"],
  vehicles: ["Fahrzeuge"],
};

/** German equivalents of the English domain words among the given lower-cased words. */
export function germanEquivalents(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) for (const g of GLOSSARY[w] ?? []) if (!out.includes(g)) out.push(g);
  return out;
}

/**
 * Nouns that frame a question rather than name its topic: "Gibt es dazu eine Info?", "Welche Nummer hat der
 * Förderschwerpunkt?", "Wie hoch ist der Betrag?", "Was gilt für meine Kolleginnen?". They count like verbs (half
 * weight, never the key concept, no thesaurus senses): otherwise a rare framing word decides whether a question is
 * answered. Folded, lower-case, singular and plural.
 */
export const GENERIC_NOUNS = new Set(
  (
    "frage fragen info infos information informationen nummer nummern summe summen betrag betraege wert werte " +
    "jahr jahre jahren monat monate woche wochen tag tage tagen thema themen sache sachen ding dinge " +
    "ueberblick uebersicht liste listen beispiel beispiele tipp tipps hinweis hinweise antwort antworten hilfe " +
    "kollege kollegen kollegin kolleginnen leute mensch menschen person personen problem probleme fall faelle " +
    "punkt punkte art arten weise moeglichkeit moeglichkeiten bereich bereiche seite seiten stand detail details " +
    "grund gruende kram zeug"
  ).split(" "),
);

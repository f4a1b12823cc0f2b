/**
 * Nouns that say where or for whom a question of municipal staff is asked rather than what about: "im Büro", "im
 * Rathaus", "die Stadt", "für Beschäftigte", "beim Arbeitgeber". Nearly every topic is asked with them, so in the gap
 * report they would join questions on unrelated topics ("Hund im Büro", "Hitze im Büro"); they count like verbs do
 * (see gap-terms.ts). The same holds for citizens staff ask for ("ein Bürger will …") and for the domain itself
 * ("nachhaltig", "Nachhaltigkeit"): every question to a sustainability assistant is about that. Folded, lower-case, the forms staff write.
 */
export const WORKPLACE_NOUNS = new Set(
  (
    "buero bueros rathaus rathauses stadt staedte stadtverwaltung verwaltung verwaltungen kommune kommunen gemeinde " +
    "amt aemter amts dienststelle dienststellen behoerde fachbereich fachbereiche abteilung abteilungen team teams " +
    "arbeit arbeiten arbeitsplatz arbeitsplaetze arbeitgeber arbeitgeberin dienstherr mitarbeiter mitarbeiterin " +
    "mitarbeiterinnen mitarbeitende mitarbeitenden beschaeftigte beschaeftigten angestellte angestellten personal " +
    "haus gebaeude verwaltungsgebaeude " +
    // for whom, outside: citizens asking through staff
    "buerger buergerin buergerinnen buergern einwohner einwohnerin einwohnerinnen " +
    // the assistant's whole domain: every question is about sustainability, so it names no topic of its own
    "nachhaltig nachhaltige nachhaltigen nachhaltiger nachhaltiges nachhaltigkeit umweltfreundlich umweltfreundliche " +
    "klimafreundlich klimafreundliche oekologisch oekologische"
  ).split(" "),
);

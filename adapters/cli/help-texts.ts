/** After `lotse ask --help`: what the exit codes mean, for scripts. */
export const ASK_EXIT_CODES =
  "\nExit-Code: 0 mit einer Antwort (auch „keine Antwort gefunden“); 2, wenn die Frage leer, zu lang oder ohne Buchstaben ist oder die Kommune unbekannt; 1 bei anderen Fehlern (z. B. keine Wissensbasis eingelesen).";

/** After `lotse eval --help`: the format of an evaluation file (as src/eval/eval-cases.ts reads it). */
export const EVAL_FILE_FORMAT = `
Format der Datei: eine YAML-Liste, ein Eintrag je Fall, z. B.
  - id: laptops-kriterien
    q: Welche Kriterien gelten für Laptops?
    expect: ["67 VgV|Energieeffizienz", "Blauer Engel"]
    contact: Vergabestelle

  id       eindeutige Kennung
  q        die Frage in den Worten der Beschäftigten
  expect   was in der Antwort oder einem der ersten drei Quellenauszüge stehen muss
           (Alternativen durch | getrennt, Groß-/Kleinschreibung egal)
  contact  optional: die Kontaktrolle, die die Antwort nennen muss
  abstain  optional, true: die Wissensbasis deckt die Frage nicht ab, Lotse muss das sagen
  tenant   optional: für diese Kommune fragen`;

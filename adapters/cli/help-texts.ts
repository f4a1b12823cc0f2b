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

  id        eindeutige Kennung
  q         die Frage in den Worten der Beschäftigten
  expect    was im Antworttext stehen muss (streng: ein Quellenauszug genügt nicht;
            Alternativen durch | getrennt, Groß-/Kleinschreibung egal)
  reject    optional: was nicht im Antworttext stehen darf (der falsche Sinn eines mehrdeutigen Worts)
  contact   optional: die Kontaktrolle, die die Antwort nennen muss (Kennung aus roles.yaml oder Teil der Bezeichnung)
  abstain   optional, true: die Wissensbasis deckt die Frage nicht ab, Lotse muss das sagen
  tenant    optional: für diese Kommune fragen
  category  optional: das Muster, das der Fall misst (synonym, typo, …); ohne Angabe „general“
  key, doc  optional: das Wort der Beschäftigten, das das Dokument nicht verwendet, und die Kennung des Dokuments`;

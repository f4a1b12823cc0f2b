/**
 * Writes knowledge/musterstadt/dienstanweisung-nachhaltige-beschaffung.pdf, the example municipality's procurement
 * directive, so that the knowledge base holds a real multi-page PDF (page citations, text extraction with umlauts).
 * Run: `npm run knowledge:pdf`. The output is deterministic; the metadata lives in the hand-written sidecar
 * `dienstanweisung-nachhaltige-beschaffung.pdf.yaml` next to it.
 *
 * Every heading ends with a full stop on purpose: PDF text extraction yields no blank lines, and Lotse's sentence
 * splitter would otherwise glue a heading to the first sentence of its paragraph.
 */
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import PDFDocument from "pdfkit";
import { pdfSections } from "../src/knowledge/load-binary.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Output file; another path as the first argument (the test compares a fresh build with the committed file). */
const OUT = process.argv[2]
  ? path.resolve(process.argv[2])
  : path.join(ROOT, "knowledge/musterstadt/dienstanweisung-nachhaltige-beschaffung.pdf");
/** Fixed dates keep the file byte-identical between runs, so ingest sees no change. */
const ISSUED = new Date("2025-06-16T00:00:00Z");

type Block =
  | { kind: "title" | "subtitle" | "notice" | "heading"; text: string }
  | { kind: "para"; text: string };

const HEADER =
  "Stadt Musterstadt · Dienstanweisung Nachhaltige Beschaffung (DA 10/2025) · Beispieldokument einer fiktiven Kommune.";

const PAGES: Block[][] = [
  [
    { kind: "title", text: "Dienstanweisung Nachhaltige Beschaffung der Stadt Musterstadt (DA 10/2025)." },
    { kind: "subtitle", text: "Erlassen vom Oberbürgermeister am 16. Juni 2025, gültig ab 1. Juli 2025." },
    {
      kind: "notice",
      text: "Beispieldokument: Musterstadt ist eine fiktive Beispielkommune in Nordrhein-Westfalen. Ersetzen Sie diese Dienstanweisung durch die geltende Regelung Ihrer eigenen Kommune.",
    },
    { kind: "heading", text: "§ 1 Zweck und Geltungsbereich." },
    {
      kind: "para",
      text: "Diese Dienstanweisung regelt, wie die Stadtverwaltung Musterstadt Waren und Dienstleistungen nachhaltig beschafft. Sie setzt die Ziele der Nachhaltigkeitsstrategie Musterstadt 2030 um, die der Rat 2024 beschlossen hat (Drucksache 2024/0187). Sie gilt für alle Fachbereiche, Stabsstellen und Einrichtungen der Stadtverwaltung, die Aufträge erteilen oder Bestellungen auslösen. Die Vorschriften des Vergaberechts, insbesondere des GWB, der VgV und der UVgO, bleiben unberührt.",
    },
    { kind: "heading", text: "§ 2 Grundsätze." },
    {
      kind: "para",
      text: "Nachhaltige Beschaffung ist in Musterstadt der Regelfall und keine freiwillige Zusatzaufgabe. Nach § 97 Abs. 3 GWB dürfen öffentliche Auftraggeber umweltbezogene und soziale Aspekte bei jeder Vergabe berücksichtigen; Musterstadt macht davon grundsätzlich Gebrauch. Vor jeder Beschaffung prüfen Sie, ob der Bedarf wirklich besteht oder ob Reparatur, Weiterverwendung, Leihen oder gemeinsame Nutzung genügen. Bei Geräten, die Energie verbrauchen, verlangen Sie die höchste verfügbare Energieeffizienzklasse, wie es § 67 VgV für Vergaben ab dem EU-Schwellenwert als Soll-Vorschrift vorsieht. Wo es passende Umweltzeichen gibt, etwa Blauer Engel oder EU Ecolabel, fordern Sie diese oder einen gleichwertigen Nachweis. Angebote werten Sie nach den Lebenszykluskosten, also einschließlich Betriebs- und Entsorgungskosten, und nicht nur nach dem Kaufpreis.",
    },
    { kind: "heading", text: "§ 3 Wertgrenzen im Überblick." },
    {
      kind: "para",
      text: "Welche Schritte eine Beschaffung in Musterstadt braucht, richtet sich nach dem geschätzten Auftragswert ohne Umsatzsteuer (netto). Unter 1.000 Euro netto kaufen Sie als Direktkauf selbst ein und prüfen den Einkauf vorher mit der Checkliste Nachhaltige Beschaffung (§ 6). Ab 1.000 Euro netto holen Sie zusätzlich mindestens drei Vergleichsangebote ein. Ab 10.000 Euro netto füllen Sie für jede Bestellung das Formular Nachhaltigkeitscheck aus (§ 4). Ab 25.000 Euro netto muss die Zentrale Vergabestelle beteiligt werden; sie führt das Vergabeverfahren durch (§ 5). Einen Auftrag aufzuteilen, um unter einer dieser Wertgrenzen zu bleiben, ist nicht zulässig.",
    },
  ],
  [
    { kind: "heading", text: "§ 4 Nachhaltigkeitscheck ab 10.000 Euro netto." },
    {
      kind: "para",
      text: "Für jede Bestellung ab einem Betrag von 10.000 Euro netto (geschätzter Auftragswert) brauchen Sie den Nachhaltigkeitscheck: Sie füllen das Formular vor der Bestellung aus. Das gilt für Waren und Dienstleistungen gleichermaßen; das Formular steht im Intranet und wird Teil des Vergabevermerks. Der Nachhaltigkeitscheck fragt sieben Kriterien ab: den Bedarf, die Energieeffizienz, passende Gütezeichen, die Lebenszykluskosten, Langlebigkeit und Reparierbarkeit, Sozialstandards bei sensiblen Produktgruppen sowie Verpackung und Rücknahme. Wenn Sie ein Kriterium nicht erfüllen können, begründen Sie das kurz im Formular. Liegt der Auftragswert unter 25.000 Euro netto, legen Sie das ausgefüllte Formular zur Vergabeakte; eine Kopie geht zur Auswertung an die Vergabestelle. Unter 10.000 Euro netto ist das Formular freiwillig; dann genügt die Checkliste.",
    },
    { kind: "heading", text: "§ 5 Beteiligung der Zentralen Vergabestelle ab 25.000 Euro netto." },
    {
      kind: "para",
      text: "Ab einem Betrag von 25.000 Euro netto (geschätzter Auftragswert) muss die Zentrale Vergabestelle an der Beschaffung beteiligt werden: Sie müssen sie einschalten, bevor Sie Angebote einholen. Maßgeblich ist der Wert ohne Umsatzsteuer über die gesamte Laufzeit des Auftrags. Den Nachhaltigkeitscheck reichen Sie mit der Bedarfsmeldung ein. Die Zentrale Vergabestelle wählt das Vergabeverfahren, übernimmt die Kriterien aus dem Nachhaltigkeitscheck in Leistungsbeschreibung und Zuschlagskriterien und dokumentiert das Verfahren. Melden Sie Ihren Bedarf so früh wie möglich, spätestens acht Wochen vor dem gewünschten Liefertermin. Rahmenverträge der Zentralen Vergabestelle haben Vorrang: Was ein Rahmenvertrag abdeckt, rufen Sie dort ab, auch unter 25.000 Euro netto. Ab den EU-Schwellenwerten gelten zusätzlich die Regeln für europaweite Vergaben.",
    },
    { kind: "heading", text: "§ 6 Direktkauf unter 1.000 Euro netto mit Checkliste." },
    {
      kind: "para",
      text: "Unter 1.000 Euro netto können Sie einfach selbst kaufen (Direktkauf), ohne Vergleichsangebote einzuholen; prüfen Sie den Einkauf aber vorher mit der Checkliste Nachhaltige Beschaffung. Die Checkliste ist eine Seite lang und fragt die Punkte des Nachhaltigkeitschecks in Kurzform ab. Sie reichen die Checkliste nicht ein, sondern bewahren sie mit dem Beleg auf. Auch beim Direktkauf gelten die Vorgaben für einzelne Produktgruppen nach § 7, etwa für Papier, Kaffee und Tee.",
    },
  ],
  [
    { kind: "heading", text: "§ 7 Vorgaben für einzelne Produktgruppen." },
    {
      kind: "para",
      text: "Für einige Produktgruppen gelten in Musterstadt feste Vorgaben aus der Nachhaltigkeitsstrategie, unabhängig vom Auftragswert. Büropapier kaufen Sie ausschließlich als Recyclingpapier mit dem Umweltzeichen Blauer Engel oder einem gleichwertigen Zeichen über den Materialkatalog; Ausnahmen, etwa für besondere Urkunden, sind nur nach Abstimmung mit der Zentralen Vergabestelle zulässig. Kaffee und Tee für Besprechungen, Sitzungen und Veranstaltungen stammen aus fairem Handel. Dienst- und Arbeitskleidung beschaffen Sie nur mit einem Nachweis, dass die ILO-Kernarbeitsnormen eingehalten werden, zum Beispiel über ein anerkanntes Sozialsiegel. IT-Hardware beschafft ausschließlich der IT-Service über Rahmenverträge (Anlage IT). Neue Dienstwagen (Pkw) sind emissionsfrei; Ausnahmen begründen Sie gegenüber dem Fuhrparkmanagement. Strom für städtische Gebäude ist seit 1. Januar 2026 zu 100 % Ökostrom; eigene Stromverträge schließen Fachbereiche nicht ab.",
    },
    { kind: "heading", text: "§ 8 Dokumentation und Auswertung." },
    {
      kind: "para",
      text: "Die Zentrale Vergabestelle wertet die Nachhaltigkeitschecks und die Einkäufe in den Produktgruppen nach § 7 jährlich aus. Sie meldet die Ergebnisse bis 31. März an die Stabsstelle Nachhaltigkeit, die sie in den Nachhaltigkeitsbericht übernimmt. So wird sichtbar, wie weit Musterstadt bei ihren Zielen für faire Beschaffung, Recyclingpapier und emissionsfreie Dienstwagen ist.",
    },
    { kind: "heading", text: "§ 9 Ansprechpersonen." },
    {
      kind: "para",
      text: "Fragen zu Vergabeverfahren, Wertgrenzen und zum Nachhaltigkeitscheck beantwortet die Zentrale Vergabestelle. Fragen zu den Nachhaltigkeitszielen und Kriterien beantwortet die Stabsstelle Nachhaltigkeit. Formular, Checkliste und Rahmenverträge finden Sie im Intranet der Stadt Musterstadt.",
    },
    { kind: "heading", text: "§ 10 Inkrafttreten und Überprüfung." },
    {
      kind: "para",
      text: "Diese Dienstanweisung tritt am 1. Juli 2025 in Kraft. Die Stabsstelle Nachhaltigkeit überprüft sie gemeinsam mit der Zentralen Vergabestelle alle zwei Jahre und passt die Wertgrenzen bei Bedarf an.",
    },
    { kind: "para", text: "Musterstadt, den 16. Juni 2025. Der Oberbürgermeister." },
  ],
];

const MARGIN = 64;
const STYLE: Record<Block["kind"], { font: string; size: number; gapBefore: number; gapAfter: number }> = {
  title: { font: "Helvetica-Bold", size: 17, gapBefore: 0, gapAfter: 6 },
  subtitle: { font: "Helvetica", size: 10.5, gapBefore: 0, gapAfter: 10 },
  notice: { font: "Helvetica-Oblique", size: 10, gapBefore: 0, gapAfter: 14 },
  heading: { font: "Helvetica-Bold", size: 12, gapBefore: 10, gapAfter: 4 },
  para: { font: "Helvetica", size: 10.5, gapBefore: 0, gapAfter: 6 },
};

/**
 * Header and footer come first on each page, so text extraction lists them before the page's own text: an excerpt
 * runs forward from its best sentence and then never ends in "Seite 1 von 3".
 */
function drawHeaderAndFooter(doc: PDFKit.PDFDocument, page: number, total: number): void {
  const width = doc.page.width - 2 * MARGIN;
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0; // writing into the margin must not start a new page
  doc.font("Helvetica").fontSize(8).fillColor("#555555");
  doc.text(HEADER, MARGIN, MARGIN - 24, { width, align: "left" });
  doc.text(
    `DA 10/2025 · Seite ${page} von ${total} · Beispieldokument.`,
    MARGIN,
    doc.page.height - MARGIN + 20,
    { width, align: "right" },
  );
  doc.fillColor("black");
  doc.page.margins.bottom = bottom;
}

/** Renders the pages; a block that would overflow its page is an error, so each page stays as planned. */
async function writePdf(file: string): Promise<void> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: "Dienstanweisung Nachhaltige Beschaffung der Stadt Musterstadt (DA 10/2025)",
      Author: "Stadt Musterstadt (fiktives Beispiel)",
      Subject: "Beispieldokument für Lotse: Nachhaltigkeitscheck, Wertgrenzen, Zentrale Vergabestelle",
      CreationDate: ISSUED,
      ModDate: ISSUED,
    },
  });
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  doc.pipe(out);
  const width = doc.page.width - 2 * MARGIN;
  PAGES.forEach((blocks, i) => {
    if (i > 0) doc.addPage();
    drawHeaderAndFooter(doc, i + 1, PAGES.length);
    doc.y = MARGIN + 18;
    for (const block of blocks) {
      const s = STYLE[block.kind];
      doc.font(s.font).fontSize(s.size);
      doc.y += s.gapBefore;
      if (block.kind === "notice") {
        const height = doc.heightOfString(block.text, { width: width - 16 }) + 12;
        doc.rect(MARGIN, doc.y, width, height).fillAndStroke("#f3f3f3", "#999999").fillColor("black");
        doc.text(block.text, MARGIN + 8, doc.y + 6, { width: width - 16 });
        doc.y += 6;
      } else {
        doc.text(block.text, MARGIN, doc.y, { width, align: block.kind === "para" ? "justify" : "left" });
      }
      doc.y += s.gapAfter;
    }
    if (doc.bufferedPageRange().count !== i + 1)
      throw new Error(`Seite ${i + 1} läuft über: Text kürzen oder auf zwei Seiten verteilen.`);
  });
  doc.end();
  await done;
}

await writePdf(OUT);
// Read the file back the way `lotse ingest` does: one section per page, umlauts intact.
const sections = await pdfSections(new Uint8Array(await readFile(OUT)));
const text = sections.map((s) => s.text).join("\n");
if (
  sections.length !== PAGES.length ||
  !text.includes("Zentrale Vergabestelle") ||
  !text.includes("Überblick")
)
  throw new Error(`Textextraktion unvollständig: ${sections.length} Seiten gelesen.`);
console.log(`${path.relative(ROOT, OUT)}: ${sections.length} Seiten, ${text.split(/\s+/).length} Wörter`);

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Deterministic PRNG (mulberry32), so every run benchmarks the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "Beschaffung Vergabe Energieeffizienz Leistungsbeschreibung Zuschlag Ausführungsbedingungen Gütezeichen Kommune " +
  "Verwaltung Nachhaltigkeit Strategie Indikator Ziel Maßnahme Bericht Haushalt Kämmerei Fuhrpark Dienstwagen " +
  "Wärmeplanung Klimaschutz Klimaanpassung Gebäude Strom Papier Dienstreise Bahn Fahrrad Kantine Abfall Wasser " +
  "Stadtwerke Beteiligung Rat Ausschuss Steuerungsgruppe Kernteam Stabsstelle Frist Quote Schwellenwert Kriterien " +
  "Lebenszykluskosten Recycling Mehrweg Sozialstandard Lieferkette Schulung Workshop Einarbeitung Checkliste Formular " +
  "prüfen melden beschaffen planen berichten beachten festlegen dokumentieren bewerten einführen fördern sparen " +
  "jährlich verbindlich freiwillig städtisch regional öffentlich nachhaltig sozial ökologisch wirtschaftlich"
).split(" ");

const SYLLABLES =
  "ber ga mel stan trof kel wi zu ra ton lin dorf heim bau rat amt feld berg see hof ner lich ung keit schaft".split(
    " ",
  );

/**
 * A German-like vocabulary: the domain words plus 8,000 made-up words, drawn by Zipf's law as natural text is, so a
 * question's rare words occur in few chunks and its common words in many.
 */
function vocabulary(rand: () => number): { words: string[]; cdf: number[] } {
  const made = new Set<string>();
  while (made.size < 8000) {
    const n = 2 + Math.floor(rand() * 3);
    made.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join(""));
  }
  const words = [...WORDS, ...made];
  let sum = 0;
  const cdf = words.map((_, i) => {
    sum += 1 / (i + 1);
    return sum;
  });
  return { words, cdf: cdf.map((x) => x / sum) };
}

function draw(v: { words: string[]; cdf: number[] }, rand: () => number): string {
  const x = rand();
  let lo = 0;
  let hi = v.cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((v.cdf[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return v.words[lo] as string;
}

function sentence(v: { words: string[]; cdf: number[] }, rand: () => number): string {
  const n = 8 + Math.floor(rand() * 10);
  return `${Array.from({ length: n }, () => draw(v, rand)).join(" ")}.`;
}

/**
 * Writes files × sections Markdown sections of about 120 words each under dir/shared (one chunk per section), with
 * valid front matter, so ingest and retrieval can be measured at scale.
 */
export async function writeSyntheticCorpus(
  dir: string,
  files: number,
  sectionsPerFile: number,
  seed = 42,
): Promise<void> {
  const rand = prng(seed);
  const v = vocabulary(prng(1));
  await mkdir(path.join(dir, "shared"), { recursive: true });
  await writeFile(path.join(dir, "roles.yaml"), "nachhaltigkeit:\n  label: Nachhaltigkeitskoordination\n");
  for (let f = 0; f < files; f++) {
    const body: string[] = [`# Synthetisches Dokument ${f}`];
    for (let s = 0; s < sectionsPerFile; s++) {
      body.push(`\n## Abschnitt ${s} zu ${draw(v, rand)}`);
      body.push(Array.from({ length: 9 }, () => sentence(v, rand)).join(" "));
    }
    const fm = `---\nid: synth-${f}\ntitle: Synthetisches Dokument ${f}\ntype: guidance\ntenant: shared\nsources:\n  - title: Synthetisch\n    url: https://example.org/synth/${f}\ncontacts: [nachhaltigkeit]\nreviewed: 2026-11-01\n---\n`;
    await writeFile(path.join(dir, "shared", `synth-${String(f).padStart(5, "0")}.md`), fm + body.join("\n"));
  }
}

/** Random questions over the synthetic vocabulary. */
export function syntheticQuestions(n: number, seed = 7): string[] {
  const rand = prng(seed);
  const v = vocabulary(prng(1));
  return Array.from(
    { length: n },
    () => `Welche ${Array.from({ length: 3 + Math.floor(rand() * 5) }, () => draw(v, rand)).join(" ")}?`,
  );
}

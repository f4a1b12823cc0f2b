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

function sentence(rand: () => number): string {
  const n = 8 + Math.floor(rand() * 10);
  const ws = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)] as string);
  return `${ws.join(" ")}.`;
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
  await mkdir(path.join(dir, "shared"), { recursive: true });
  await writeFile(path.join(dir, "roles.yaml"), "nachhaltigkeit:\n  label: Nachhaltigkeitskoordination\n");
  for (let f = 0; f < files; f++) {
    const body: string[] = [`# Synthetisches Dokument ${f}`];
    for (let s = 0; s < sectionsPerFile; s++) {
      body.push(`\n## Abschnitt ${s} zu ${WORDS[Math.floor(rand() * WORDS.length)]}`);
      body.push(Array.from({ length: 9 }, () => sentence(rand)).join(" "));
    }
    const fm = `---\nid: synth-${f}\ntitle: Synthetisches Dokument ${f}\ntype: guidance\ntenant: shared\nsources:\n  - title: Synthetisch\n    url: https://example.org/synth/${f}\ncontacts: [nachhaltigkeit]\nreviewed: 2026-11-01\n---\n`;
    await writeFile(path.join(dir, "shared", `synth-${String(f).padStart(5, "0")}.md`), fm + body.join("\n"));
  }
}

/** Random questions over the synthetic vocabulary. */
export function syntheticQuestions(n: number, seed = 7): string[] {
  const rand = prng(seed);
  return Array.from({ length: n }, () => `Welche ${sentence(rand).slice(0, -1)}?`);
}

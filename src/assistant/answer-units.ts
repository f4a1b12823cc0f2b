import { blocks, splitSentences } from "../knowledge/chunk.ts";

const BULLET = /^([-*+]|\d+[.)])\s+/;
/** A list item up to this length is quoted whole. */
const SHORT_ITEM = 90;

/**
 * Sentences of a passage, where a sentence that introduces a list ("Ausnahmen gibt es bei:") carries its list items
 * along ("…: § 67 VgV; § 121 Abs. 2 GWB"), since the items are the answer it announces.
 */
export function answerUnits(body: string): string[] {
  const bs = blocks(body);
  const units: string[] = [];
  for (let i = 0; i < bs.length; i++) {
    const ss = splitSentences((bs[i] as string).replace(BULLET, ""));
    const last = ss.at(-1);
    const items: string[] = [];
    if (last?.endsWith(":"))
      while (i + 1 < bs.length && BULLET.test(bs[i + 1] as string)) {
        const item = splitSentences((bs[++i] as string).replace(BULLET, ""))[0] ?? "";
        // "Analyse (Bestandsaufnahme): Wo steht …" → its label is enough in a summary; but where the rest holds a
        // number or date ("Städte über 100.000 Einwohner: bis 30. Juni 2026"), that is the answer and stays.
        const m = /^(.{3,60}?):\s+(.*)$/.exec(item);
        const short = m && !/\d/.test(m[2] as string) && item.length > SHORT_ITEM ? (m[1] as string) : item;
        items.push(short.replace(/[\s.,;:]+$/, ""));
      }
    if (items.length > 0) ss[ss.length - 1] = `${last} ${items.join("; ")}.`;
    units.push(...ss);
  }
  return units;
}

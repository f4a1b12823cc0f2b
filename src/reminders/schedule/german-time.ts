import { cardinal } from "./german-words.ts";

/** A time of day read from the words at `i`, and how many words it took. */
export interface TimeMatch {
  hour: number;
  minute: number;
  next: number;
}

const SHIFT_PM = new Set(["nachmittags", "abends"]);
const KEEP = new Set(["morgens", "vormittags", "frueh", "nachts"]);

function hourWord(w: string | undefined): number | undefined {
  if (w === undefined) return undefined;
  const n = cardinal(w);
  return n !== undefined && n <= 99 ? n : undefined;
}

/**
 * Reads "um 9", "9 Uhr", "um 9:30", "9.30 Uhr", "14 Uhr 30", "halb zehn", "viertel nach neun", "viertel vor zehn",
 * optionally followed by "morgens"/"abends". A bare number needs "um"; "9.30" needs "um" or "Uhr" (else it is a date).
 * Returns hour 24+ or minute 60+ as they are, for the caller to refuse.
 */
export function matchTime(w: (i: number) => string | undefined, i: number): TimeMatch | undefined {
  let j = i;
  const um = w(j) === "um" || w(j) === "gegen";
  if (um) j++;
  const first = w(j);
  if (first === undefined) return undefined;
  let hour: number | undefined;
  let minute = 0;
  const hm = /^(\d{1,2})[:.](\d{2})$/.exec(first);
  if (first === "halb" && hourWord(w(j + 1)) !== undefined) {
    hour = (hourWord(w(j + 1)) ?? 0) - 1;
    minute = 30;
    j += 2;
  } else if (
    first === "viertel" &&
    (w(j + 1) === "nach" || w(j + 1) === "vor") &&
    hourWord(w(j + 2)) !== undefined
  ) {
    const h = hourWord(w(j + 2)) ?? 0;
    [hour, minute] = w(j + 1) === "nach" ? [h, 15] : [h - 1, 45];
    j += 3;
  } else if (first === "dreiviertel" && hourWord(w(j + 1)) !== undefined) {
    hour = (hourWord(w(j + 1)) ?? 0) - 1;
    minute = 45;
    j += 2;
  } else if (hm && (first.includes(":") || um || w(j + 1) === "uhr")) {
    hour = Number(hm[1]);
    minute = Number(hm[2]);
    j++;
    if (w(j) === "uhr") j++;
  } else if (hourWord(first) !== undefined && (um || w(j + 1) === "uhr")) {
    hour = hourWord(first);
    j++;
    if (w(j) === "uhr") {
      j++;
      const mm = w(j);
      if (mm && /^\d{2}$/.test(mm)) {
        minute = Number(mm);
        j++;
      }
    }
  }
  if (hour === undefined) return undefined;
  if (hour < 0) hour = 23; // "halb null" would be 23:30 the day before; read it as 23:30
  const q = w(j);
  if (q && SHIFT_PM.has(q)) {
    if (hour < 12) hour += 12;
    j++;
  } else if (q === "mittags") {
    if (hour <= 3) hour += 12;
    j++;
  } else if (q && KEEP.has(q)) j++;
  return { hour, minute, next: j };
}

import { blocks, splitSentences } from "../knowledge/chunk.ts";
import { markerSources, stripMarkers } from "../knowledge/footnotes.ts";

const BULLET = /^([-*+]|\d+[.)])\s+/;
/** A list item up to this length is quoted whole. */
const SHORT_ITEM = 90;
/** The rest of a labelled item up to this length is quoted whole where the label alone says too little. */
const SHORT_REST = 110;
/** A label of at most this many words says too little alone ("Geräte"): what follows it is quoted where it fits. */
const TERSE_LABEL_WORDS = 2;
/** A sentence that carries its list stays below this length; further items are counted, not quoted. */
const LIST_CHARS = 640;

/** One quotable unit of a passage: a sentence, or a sentence that introduces a list together with its items. */
export interface Unit {
  /** As the answer shows it: footnote markers removed. */
  text: string;
  /** 0-based indices into the document's sources, from the unit's footnotes. */
  sources: number[];
  /** The paragraph (or list item) of the passage it belongs to, counted from 0. */
  block: number;
  /** Position among the passage's units. */
  i: number;
  /** Carries list items. */
  list: boolean;
  /** Quoted only right after the unit before it (the items of a list that paragraph introduces without a colon). */
  leans?: boolean;
  /**
   * A heading or page furniture in text without Markdown structure (a PDF page): "§ 3 Wertgrenzen im Überblick.",
   * "DA 10/2025 · Seite 3 von 3". It says what the sentences after it are about but is no answer itself.
   */
  heading: boolean;
}

/** "§ 3 Wertgrenzen im Überblick." — a paragraph sign, a number and a noun phrase without a verb. */
const PARAGRAPH_HEADING = /^§\s*\d+[a-z]?\s+[A-ZÄÖÜ](?:[^.;:!?]|\.(?=\d)){0,80}\.?$/;
/** A lower-case word that may be a finite verb ("gilt", "regelt", "müssen"). */
const VERB_LIKE = /(?:^|\s)[a-zäöüß]{2,}(?:t|en)(?=[\s,.;:]|$)/;

/** Whether a sentence is a heading or page furniture rather than a statement. */
export function isHeadingLike(sentence: string): boolean {
  if (sentence.includes(" · ")) return true;
  return PARAGRAPH_HEADING.test(sentence) && !VERB_LIKE.test(sentence.replace(/^§\s*\d+[a-z]?/, ""));
}

/**
 * Units of a passage, where a sentence that introduces a list ("Ausnahmen gibt es bei:") carries its list items
 * along ("…: § 67 VgV; § 121 Abs. 2 GWB"), since the items are the answer it announces. Items keep their labels
 * ("Bauleistungen: 5.404.000 Euro"); a list too long to quote whole ends visibly ("und 3 weitere, siehe Quelle").
 */
export function answerUnits(body: string): Unit[] {
  const bs = blocks(body);
  const units: Unit[] = [];
  const push = (raw: string, block: number, list = false) => {
    const text = stripMarkers(raw);
    units.push({
      text,
      sources: markerSources(raw),
      block,
      i: units.length,
      list,
      heading: isHeadingLike(text),
    });
  };
  for (let b = 0; b < bs.length; b++) {
    const block = b;
    const paragraph = bs[b] as string;
    const ss = splitSentences(paragraph.replace(BULLET, ""));
    const last = ss.at(-1);
    const items: string[] = [];
    if (!BULLET.test(paragraph))
      while (b + 1 < bs.length && BULLET.test(bs[b + 1] as string))
        items.push(splitSentences((bs[++b] as string).replace(BULLET, ""))[0] ?? "");
    const introduces = items.length > 0 && last !== undefined && last.endsWith(":");
    for (const run of sentenceRuns(introduces ? ss.slice(0, -1) : ss)) {
      if (run.length === 1) push(run[0] as string, block);
      else push(runText(run), block, true);
    }
    if (introduces) push(listSentence(last, items), block, true);
    else if (items.length > 0) {
      // Items after a paragraph that does not end in a colon ("… aus sieben Bausteinen.") elaborate it: they make one
      // unit that is quoted only after that paragraph, never an item alone that has lost what it is an item of.
      push(
        closed(listItems(items, stripMarkers(last ?? "").length, (t) => itemText(t, "described")).join("; ")),
        block,
        true,
      );
      (units.at(-1) as Unit).leans = true;
    }
  }
  return units;
}

/**
 * A sentence that states one step of a scale ("Ab 10.000 Euro netto füllen Sie …", "Bis 30. September trägt …"):
 * a preposition of a threshold or deadline, then a figure.
 */
const SCALE_STEP =
  /^(Unter|Unterhalb|Ab|Bis|Über|Oberhalb|Mehr als|Weniger als|Höchstens|Mindestens|Zwischen|Von)\s+(rund\s+|etwa\s+|zu\s+|dem\s+|zum\s+)?\d/;

/**
 * Consecutive sentences that step through a scale (a PDF page's "Unter 1.000 Euro … Ab 1.000 Euro … Ab 10.000 Euro
 * … Ab 25.000 Euro …") are a list written as prose: they are quoted together or not at all, so that no step is
 * dropped silently. Other sentences stay on their own.
 */
function sentenceRuns(ss: string[]): string[][] {
  const out: string[][] = [];
  for (const s of ss) {
    const prev = out.at(-1);
    const step = SCALE_STEP.test(stripMarkers(s));
    if (step && prev && prev.length > 0 && SCALE_STEP.test(stripMarkers(prev[0] as string))) prev.push(s);
    else out.push([s]);
  }
  return out;
}

/** The steps of a scale within LIST_CHARS, counting the steps left out. */
function runText(run: string[]): string {
  let out = "";
  let length = 0;
  let taken = 0;
  for (const s of run) {
    const add = stripMarkers(s).length + 1;
    if (taken > 0 && length + add > LIST_CHARS - (taken < run.length - 1 ? 30 : 0)) break;
    out += `${taken === 0 ? "" : " "}${s}`;
    length += add;
    taken++;
  }
  const left = run.length - taken;
  return left > 0 ? `${out} … und ${left} weitere, siehe Quelle.` : out;
}

/** "Intro: a; b; c." within LIST_CHARS, counting the items left out. */
function listSentence(intro: string, items: string[]): string {
  if (items.every((t) => stripMarkers(t).trim() === "")) return intro;
  // A label with the first clause of what it stands for ("Geräte: Bildschirme, Computer … ganz ausschalten") where the
  // whole list fits so; the bare labels otherwise, so that no item is dropped for the sake of detail.
  const described = items.map((t) => itemText(t, "terse"));
  const fits =
    stripMarkers(intro).length + described.reduce((n, t) => n + stripMarkers(t).length + 2, 0) <= LIST_CHARS;
  const text = (t: string) => itemText(t, fits ? "terse" : "label");
  return closed(`${intro} ${listItems(items, stripMarkers(intro).length, text).join("; ")}`);
}

/** A list ends with a full stop, unless its last item ends with a question or exclamation mark. */
function closed(list: string): string {
  return /[.?!]$/.test(stripMarkers(list)) ? list : `${list}.`;
}

/** The items that fit within LIST_CHARS after `used` characters, and a last one counting those left out. */
function listItems(items: string[], used: number, text: (item: string) => string): string[] {
  const texts = items.map(text).filter((t) => stripMarkers(t).length > 0);
  const out: string[] = [];
  let length = used;
  for (const t of texts) {
    const add = stripMarkers(t).length + 2;
    // Room is kept for the note on the items left out.
    if (out.length > 0 && length + add > LIST_CHARS - (out.length < texts.length - 1 ? 30 : 0)) break;
    out.push(t);
    length += add;
  }
  const left = texts.length - out.length;
  if (left > 0) out.push(`und ${left} weitere, siehe Quelle`);
  return out;
}

/**
 * A list item as a summary quotes it. Short items stay whole. A long labelled item keeps its label, and also what
 * follows where that holds a figure or date ("Städte über 100.000 Einwohner: bis 30. Juni 2026") or where the label
 * is itself the figure ("216.000 Euro: Liefer- und Dienstleistungsaufträge …"); otherwise the label is enough
 * ("Analyse (Bestandsaufnahme)").
 */
function itemText(item: string, mode: "label" | "terse" | "described" = "label"): string {
  const clean = item.replace(/[\s.,;:]+$/, "");
  const plain = stripMarkers(clean);
  if (plain.length <= SHORT_ITEM) return clean;
  const m = /^(.{2,60}?):\s+(.*)$/.exec(clean);
  if (!m) return clean;
  const label = m[1] as string;
  const rest = m[2] as string;
  if (/\d/.test(stripMarkers(rest))) return clean;
  // Without an intro that says what the items are, or as a word or two ("Geräte"), a bare label says too little.
  const describe =
    mode === "described" || (mode === "terse" && label.split(/\s+/).length <= TERSE_LABEL_WORDS);
  if (!/\d/.test(stripMarkers(label)) && !describe) return label;
  return `${label}: ${stripMarkers(rest).length <= SHORT_REST ? rest : firstClause(rest)}`;
}

/** The first clause of a text (up to a comma, dash or parenthesis), never cut inside a word. */
function firstClause(text: string): string {
  const m = /^(.{20,}?)(?:,\s|\s[–-]\s|;\s|\s\()/.exec(text);
  if (m) return m[1] as string;
  const cut = text.slice(0, SHORT_REST);
  return cut.slice(0, cut.lastIndexOf(" ")).replace(/[\s,;:–-]+$/, "");
}

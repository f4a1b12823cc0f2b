/** Named entities that German documents written in Markdown or exported from HTML actually carry. */
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  shy: "\u00ad",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  bdquo: "„",
  ldquo: "“",
  rdquo: "”",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  laquo: "«",
  raquo: "»",
  euro: "€",
  sect: "§",
  deg: "°",
  auml: "ä",
  ouml: "ö",
  uuml: "ü",
  Auml: "Ä",
  Ouml: "Ö",
  Uuml: "Ü",
  szlig: "ß",
};

function fromCodePoint(cp: number, original: string): string {
  // NUL, surrogates, C0/C1 controls and beyond Unicode stay as written: they are no character a document means.
  const invalid =
    cp === 0 ||
    cp > 0x10ffff ||
    (cp >= 0xd800 && cp <= 0xdfff) ||
    (cp < 0x20 && cp !== 0x0a && cp !== 0x09) ||
    (cp >= 0x7f && cp <= 0x9f);
  return invalid ? original : String.fromCodePoint(cp);
}

/**
 * Known HTML entities decoded once, as a Markdown renderer shows them ("&amp;" is "&", "&amp;lt;" is "&lt;");
 * unknown ones and a bare "&" stay as they are.
 */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});/g, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return fromCodePoint(Number.parseInt(name.slice(2), 16), whole);
    if (name.startsWith("#")) return fromCodePoint(Number.parseInt(name.slice(1), 10), whole);
    return NAMED[name] ?? whole;
  });
}

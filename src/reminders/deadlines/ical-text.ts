/** RFC 5545 3.3.11: a TEXT value with backslash, semicolon, comma and line breaks escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

const MAX_OCTETS = 75;

/**
 * RFC 5545 3.1: a content line of at most 75 octets, longer ones folded with CRLF and a space (which counts towards the
 * next line's 75). Cut between characters only, never inside a UTF-8 sequence (code points, so a surrogate pair
 * stays whole too).
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = " ";
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n");
}

/** Content lines folded and joined with CRLF, ending with one. */
export function icalDocument(lines: string[]): string {
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

/** Only http(s), mailto and tel links reach a rendered answer; anything else (javascript:, data:) is dropped. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return ["https:", "http:", "mailto:", "tel:"].includes(u.protocol) ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Percent-encodes the given characters of a URL (those that would end a markup link early). */
export function encodeChars(url: string, chars: RegExp): string {
  return url.replace(chars, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

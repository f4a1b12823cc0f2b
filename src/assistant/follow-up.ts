/**
 * Follow-ups in a thread: "und für Busse?" after "Welche Quote gilt für saubere Pkw?" is read with the turn before
 * ("Welche Quote gilt für Busse?"). A message that stands on its own (a new topic) is left as it is.
 */

/** Openings that lean on the turn before: "und …", "aber …", "was ist mit …", "gilt das auch …", "and …". */
const LEANING =
  /^(?:und|aber|auch|sowie|oder|bzw\.?|and|what about|how about|was ist mit|wie ist es mit|wie sieht es (?:mit|bei|für) |gilt das auch|und wie|und was|und wer|und wann|und bis wann|und ab wann)\b\s*/i;
/** A prepositional phrase the follow-up puts in place of the previous question's one. */
const PHRASE = /^(für|bei|in|im|zu|zum|zur|ab|von|vom|mit|an|am|nach|aus)\s+(.+)$/i;
/** Longest follow-up (in words) read as leaning on the turn before without an opening such as "und". */
const BARE_MAX_WORDS = 3;

const stripEnd = (s: string) => s.replace(/[\s?!.…]+$/u, "");

/** The question as meant: the follow-up completed with the previous question, or the text unchanged. */
export function resolveFollowUp(text: string, previousQuestion: string | undefined): string {
  const t = text.trim();
  if (!previousQuestion || t === "") return text;
  const opening = LEANING.exec(t);
  const rest = stripEnd(opening ? t.slice(opening[0].length) : t);
  const words = rest.split(/\s+/).filter(Boolean);
  if (
    !opening &&
    (words.length > BARE_MAX_WORDS ||
      /^(wer|was|wie|wo|wann|welche[rsmn]?|warum|gibt|darf|muss|kann)\b/i.test(rest))
  )
    return text;
  if (words.length === 0) return text;
  const prev = stripEnd(previousQuestion.trim());
  const phrase = PHRASE.exec(rest);
  if (phrase) {
    const prep = (phrase[1] as string).toLowerCase();
    const at = prev.toLowerCase().lastIndexOf(` ${prep} `);
    if (at >= 0) return `${prev.slice(0, at + 1)}${rest}?`;
  }
  return `${prev}: ${rest}?`;
}

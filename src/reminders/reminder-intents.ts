/** What a message asks of the reminders: create one (with the free text after the keyword), list, (un)subscribe. */
export type ReminderIntent =
  | { kind: "create"; text: string }
  | { kind: "list" }
  | { kind: "subscribe" }
  | { kind: "unsubscribe" };

/** Lower case, umlauts and ß folded, runs of spaces collapsed: "Erinnerungen  Anzeigen" and "ERINNERUNGEN anzeigen". */
function fold(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .replace(/\s+/g, " ")
    .trim();
}

/** Whole-message commands (trailing punctuation allowed): "erinnerungen", "meine erinnerungen", … */
const LIST = /^(meine |alle )?erinnerungen( anzeigen| zeigen)?[.!]?$/;
const SUBSCRIBE = /^fristen abonnieren[.!]?$/;
const UNSUBSCRIBE = /^fristen (abbestellen|deabonnieren)[.!]?$/;
/**
 * Openings that create a reminder; the keyword must open the message and stand as a word, so that "Wie lege ich eine
 * Erinnerung an?" and "Erinnerungsfunktion?" stay questions.
 */
const CREATE = /^(neue erinnerung|erinnerung|erinnere? (mich|uns))(?=$|[\s:,–-])/;

/**
 * The reminder intent of a message (after adapters stripped "@Lotse" and "/lotse"), or undefined when the message is
 * not the reminders' business. Conservative on purpose: everything else is answered as a question.
 */
export function reminderIntent(text: string): ReminderIntent | undefined {
  const folded = fold(text);
  if (LIST.test(folded)) return { kind: "list" };
  if (SUBSCRIBE.test(folded)) return { kind: "subscribe" };
  if (UNSUBSCRIBE.test(folded)) return { kind: "unsubscribe" };
  const m = CREATE.exec(folded);
  if (!m) return undefined;
  // The keywords hold no umlaut or ß, so the keyword is exactly as long in the original (spaces collapsed alike).
  const original = text.normalize("NFC").replace(/\s+/g, " ").trim();
  const rest = original
    .slice(m[0].length)
    .replace(/^[\s:,–-]+/, "")
    .trim();
  return { kind: "create", text: rest };
}

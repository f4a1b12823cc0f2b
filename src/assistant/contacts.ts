import type { Contact } from "../knowledge/types.ts";
import { STOPWORDS, words } from "../text/normalize.ts";
import type { AnswerContact } from "./answer.ts";

/** Contact shape of the answer: the role's German label plus the person or office. */
export function toAnswerContact(c: Contact): AnswerContact {
  const out: AnswerContact = { role: c.label, name: c.name };
  if (c.unit) out.unit = c.unit;
  if (c.email) out.email = c.email;
  if (c.phone) out.phone = c.phone;
  if (c.teamsUpn) out.teamsUpn = c.teamsUpn;
  if (c.slackUserId) out.slackUserId = c.slackUserId;
  return out;
}

/** A contact for "wenden Sie sich an …": "die Nachhaltigkeitskoordination: Julia Sommer (E-Mail, Telefon)". */
export function describeContact(c: Contact | undefined): string {
  if (!c) return "die Nachhaltigkeitskoordination Ihrer Verwaltung";
  const reach = [c.email, c.phone].filter(Boolean).join(", ");
  return `${withArticle(c.label)}: ${c.name}${reach ? ` (${reach})` : ""}`;
}

const FEMININE =
  /(ung|ion|ei|heit|keit|schaft|t(ä|ae)t|stelle|beauftragte|kasse|beh(ö|oe)rde|agentur|zentrale|kammer|gruppe|einheit|leitung|kanzlei|registratur|hilfe)$/i;
const NEUTER =
  /(management|amt|b(ü|ue)ro|referat|zentrum|team|sekretariat|dezernat|center|labor|archiv|gremium)$/i;
const MASCULINE = /(service|dienst|rat|bereich|hof|betrieb|ausschuss|support|er|or)$/i;

/**
 * The role label with its accusative article, as "wenden Sie sich an …" needs it: "die Vergabestelle", "das
 * Gebäudemanagement", "den IT-Service". The gender follows the head noun's ending ("Verkehrsplanung und Radverkehr"
 * → Verkehrsplanung → die); labels whose ending says nothing get "die".
 */
export function withArticle(label: string): string {
  const phrase = label.split(/\s+(?:und|für|der|des)\s+|[,(]/)[0] ?? label;
  const head = (phrase.trim().split(/\s+/).at(-1) ?? "").split("-").at(-1) ?? "";
  const article = FEMININE.test(head)
    ? "die"
    : NEUTER.test(head)
      ? "das"
      : MASCULINE.test(head)
        ? "den"
        : "die";
  return `${article} ${label}`;
}

/**
 * The contact whose role topics (roles.yaml `topics`) the question names, e.g. the HR department for "Wie beantrage
 * ich Urlaub?"; undefined when no topic matches. A topic matches a word of the question that starts with it
 * ("Gehaltsabrechnung" ← Gehalt), that ends in it as a compound's head ("Jahresurlaub" ← Urlaub) or that is another
 * form of it ("verdient" ← verdienen).
 */
export function contactForQuestion(question: string, contacts: Map<string, Contact>): Contact | undefined {
  // Without German function words: "über 15.000 Euro" must not start "Überstunden" (English ones stay for "working from home").
  const qs = words(question).filter((w) => !STOPWORDS.has(w));
  let best: { c: Contact; score: number } | undefined;
  for (const c of [...contacts.values()].sort((a, b) => a.role.localeCompare(b.role))) {
    let score = 0;
    for (const topic of c.topics ?? []) {
      const parts = words(topic);
      if (parts.length > 0 && parts.every((t) => qs.some((w) => matches(w, t))))
        score += parts.join("").length;
    }
    if (score > 0 && (!best || score > best.score)) best = { c, score };
  }
  return best?.c;
}

/**
 * German compounds end in their head and begin with their first part: "Jahresurlaub" holds Urlaub,
 * "Gehaltsabrechnung" Gehalt, "eingehalten" no Gehalt. A question word that only begins a longer topic does not name
 * it ("Reise" is no Reisekosten, "benutzen" no Benutzerkonto): roles list the short word when they answer for it.
 */
function matches(word: string, topic: string): boolean {
  return word.startsWith(topic) || (topic.length >= 5 && endsWithHead(word, topic)) || sameWord(word, topic);
}

/** Endings by which two forms of one word differ ("verdient", "verdienen"; "krank", "kranke"). */
const FORM_ENDINGS = new Set([
  "",
  "e",
  "en",
  "n",
  "t",
  "et",
  "st",
  "est",
  "te",
  "ten",
  "er",
  "es",
  "s",
  "em",
]);

/** "verdient" and "verdienen": another form of the same word, the same beginning and an inflectional ending each. */
function sameWord(word: string, topic: string): boolean {
  let n = 0;
  while (n < word.length && n < topic.length && word[n] === topic[n]) n++;
  return n >= 4 && FORM_ENDINGS.has(word.slice(n)) && FORM_ENDINGS.has(topic.slice(n));
}

function endsWithHead(word: string, topic: string): boolean {
  // Not "-en": "eingehalten" ends in "gehalt" + "en" but holds no Gehalt.
  for (const suffix of ["", "e", "s", "n", "es"])
    if (word.endsWith(topic + suffix) && word.length > topic.length + suffix.length) return true;
  return false;
}

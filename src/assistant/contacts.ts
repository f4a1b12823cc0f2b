import type { Contact } from "../knowledge/types.ts";
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

/** The default contact as text for templates: "die Nachhaltigkeitskoordination (Name, E-Mail)". */
export function describeContact(c: Contact | undefined): string {
  if (!c) return "die Nachhaltigkeitskoordination Ihrer Verwaltung";
  const reach = [c.email, c.phone].filter(Boolean).join(", ");
  return `${c.label}: ${c.name}${reach ? ` (${reach})` : ""}`;
}

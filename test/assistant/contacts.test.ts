import { describe, expect, it } from "vitest";
import { contactForQuestion, describeContact, withArticle } from "../../src/assistant/contacts.ts";
import type { Contact } from "../../src/knowledge/types.ts";
import { musterstadtContacts } from "./compose-fixtures.ts";

describe("describeContact", () => {
  it('puts the role\'s article before it, as "wenden Sie sich an …" needs', () => {
    const c: Contact = {
      role: "nachhaltigkeit",
      label: "Nachhaltigkeitskoordination",
      name: "Julia Sommer",
      email: "julia.sommer@musterstadt.example",
    };
    expect(describeContact(c)).toBe(
      "die Nachhaltigkeitskoordination: Julia Sommer (julia.sommer@musterstadt.example)",
    );
    expect(describeContact(undefined)).toBe("die Nachhaltigkeitskoordination Ihrer Verwaltung");
  });

  it("chooses the accusative article by the head noun of every bundled role", async () => {
    const labels = [...(await musterstadtContacts()).values()].map((c) => withArticle(c.label));
    expect(labels.sort()).toEqual(
      [
        "das Beteiligungsmanagement",
        "das Fuhrparkmanagement",
        "das Gebäudemanagement",
        "das Klimaschutzmanagement",
        "den IT-Service",
        "die Gleichstellungsbeauftragte",
        "die Kämmerei",
        "die Nachhaltigkeitskoordination",
        "die Personalabteilung",
        "die Personalentwicklung",
        "die Stadtplanung",
        "die Vergabestelle",
        "die Verkehrsplanung und Radverkehr",
      ].sort(),
    );
    expect(withArticle("Bauhof")).toBe("den Bauhof");
    expect(withArticle("Amt für Umwelt")).toBe("das Amt für Umwelt");
  });
});

describe("contactForQuestion", () => {
  it("names the contact whose role topics the question mentions", async () => {
    const contacts = await musterstadtContacts();
    const role = (q: string) => contactForQuestion(q, contacts)?.role;
    expect(role("Wie beantrage ich meinen Jahresurlaub?")).toBe("personalabteilung");
    expect(role("Ich bin krank, wem schicke ich die Krankmeldung?")).toBe("personalabteilung");
    expect(role("Wann bekomme ich meine Gehaltsabrechnung?")).toBe("personalabteilung");
    expect(role("wie viel verdient man in e9 ungefähr")).toBe("personalabteilung");
    expect(role("mein vpn geht nicht, wer hilft mir?")).toBe("it");
    expect(role("How do I reset my password?")).toBe("it");
  });

  it("names nobody where no topic matches, so that the default contact answers", async () => {
    const contacts = await musterstadtContacts();
    for (const q of [
      "Was gibt es heute in der Kantine zu essen?",
      "Wird die Frist für den Bericht eingehalten?",
      "wo krieg ich druckerpapier her?",
      "Lohnt sich eine Dienstreise mit der Bahn?",
      // "Reise" begins "Reisekosten", "benutzen" begins "Benutzerkonto": neither names that topic
      "Soll ich statt der Reise lieber einen Videocall machen?",
      "Darf ich einen Wasserkocher im Büro benutzen?",
      // "über" starts "Überstunden", but is a function word
      "Brauche ich für eine Möbelbestellung über 15.000 Euro den Nachhaltigkeitscheck?",
    ])
      expect(contactForQuestion(q, contacts), q).toBeUndefined();
  });
});

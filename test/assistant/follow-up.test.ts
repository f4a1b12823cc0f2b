import { describe, expect, it } from "vitest";
import { resolveFollowUp } from "../../src/assistant/follow-up.ts";

const PKW = "Welche Quote für saubere Fahrzeuge gilt für Pkw?";

describe("resolveFollowUp", () => {
  it("leaves a message alone without a turn before, and an empty one", () => {
    expect(resolveFollowUp("und für Busse?", undefined)).toBe("und für Busse?");
    expect(resolveFollowUp("und für Busse?", "  ")).toBe("und für Busse?");
    expect(resolveFollowUp("  ", PKW)).toBe("  ");
  });

  it("leaves thanks, greetings and messages without words alone: there is nothing to complete", () => {
    for (const small of ["Danke!", "Vielen Dank", "Hallo", "super, danke", "👍", "..."])
      expect(resolveFollowUp(small, PKW), small).toBe(small);
  });

  it("reads the message without platform markup", () => {
    expect(resolveFollowUp("<@U0KOLLEGIN> und für Busse?", PKW)).toBe(
      "Welche Quote für saubere Fahrzeuge gilt für Busse?",
    );
  });

  it("replaces the previous question's prepositional phrase of the same kind", () => {
    expect(resolveFollowUp("und für Busse?", PKW)).toBe("Welche Quote für saubere Fahrzeuge gilt für Busse?");
    expect(resolveFollowUp("Und bei Lkw?", "Welche Quote gilt beim Kauf neuer Dienstwagen?")).toBe(
      "Welche Quote gilt bei Lkw?",
    );
    expect(resolveFollowUp("und ins Schulessen?", "Wie viel Bio muss in die Kantine?")).toBe(
      "Wie viel Bio muss ins Schulessen?",
    );
    expect(resolveFollowUp("und beim Ökostrom?", "Welches Ziel hat Musterstadt beim Radverkehr?")).toBe(
      "Welches Ziel hat Musterstadt beim Ökostrom?",
    );
  });

  it("keeps the verb after the replaced phrase", () => {
    expect(resolveFollowUp("und in den Fluren?", "Wie warm darf es im Büro sein?")).toBe(
      "Wie warm darf es in den Fluren sein?",
    );
  });

  it("reads 'gilt das auch', 'was ist mit', 'wie sieht es … aus' and 'trifft das auch … zu' as leaning", () => {
    expect(resolveFollowUp("Gilt das auch für Landkreise?", "Welche Frist gilt für Gemeinden?")).toBe(
      "Welche Frist gilt für Landkreise?",
    );
    expect(resolveFollowUp("Was ist mit Bussen?", PKW)).toBe(`${PKW.slice(0, -1)}: Bussen?`);
    expect(resolveFollowUp("Und wie sieht es bei Lkw aus?", "Welche Quote gilt bei Pkw?")).toBe(
      "Welche Quote gilt bei Lkw?",
    );
    expect(resolveFollowUp("trifft das auch auf Kreise zu?", "Welche Pflicht gilt auf Landesebene?")).toBe(
      "Welche Pflicht gilt auf Kreise?",
    );
  });

  it("reads 'ist das bei … auch so', 'wie ist das bei …', 'wie sieht's …' and trailing 'auch' as leaning", () => {
    const quota = "Welche Quote gilt bei Pkw?";
    for (const follow of [
      "Ist das bei Lkw auch so?",
      "Wie ist das bei Lkw?",
      "Und wie sieht's bei Lkw aus?",
      "und bei Lkw auch?",
      "Gilt das bei Lkw ebenfalls?",
    ])
      expect(resolveFollowUp(follow, quota), follow).toBe("Welche Quote gilt bei Lkw?");
  });

  it("takes 'das' before a noun as an article: 'Gilt das Gesetz …', 'Ist das Energiemanagement …' are own questions", () => {
    for (const own of [
      "Gilt das Bundestariftreuegesetz auch für Kommunen?",
      "Ist das Energiemanagement für uns Pflicht?",
      "Gilt die CSRD auch für Stadtwerke?",
    ])
      expect(resolveFollowUp(own, PKW), own).toBe(own);
  });

  it("spells out a pointing adverb with what the previous question is about, even when the follow-up names something", () => {
    expect(resolveFollowUp("Welche Siegel gibt es dafür?", "Was gilt für Dienstkleidung?")).toBe(
      "Welche Siegel gibt es für Dienstkleidung?",
    );
    expect(resolveFollowUp("Gibt es dazu ein Formular?", "Wie beantrage ich eine Dienstreise?")).toBe(
      "Gibt es zu Dienstreise ein Formular?",
    );
    expect(resolveFollowUp("und wer ist dafür zuständig?", "Darf ich für eine Dienstreise fliegen?")).toBe(
      "Wer ist für Dienstreise fliegen zuständig?",
    );
    expect(
      resolveFollowUp(
        "und wie viele Kernindikatoren gehören dazu?",
        "Was ist der Berichtsrahmen Nachhaltige Kommune?",
      ),
    ).toBe("Wie viele Kernindikatoren gehören zu Berichtsrahmen Nachhaltige Kommune?");
    // A previous question without nouns: the follow-up is appended instead.
    expect(resolveFollowUp("Wer ist dafür zuständig?", "Was muss ich tun?")).toBe(
      "Was muss ich tun: Wer ist dafür zuständig?",
    );
  });

  it("appends what has no phrase to replace", () => {
    expect(resolveFollowUp("und bis wann?", "Welche Quote gilt ab 2026 für Busse?")).toBe(
      "Welche Quote gilt ab 2026 für Busse: bis wann?",
    );
    expect(resolveFollowUp("und Silber?", "Was bedeutet Bronze beim Bio-Logo?")).toBe(
      "Was bedeutet Bronze beim Bio-Logo: Silber?",
    );
    expect(
      resolveFollowUp("gilt das auch für Kommunen?", "Was verlangt § 45 KrWG von öffentlichen Stellen?"),
    ).toBe("Was verlangt § 45 KrWG von öffentlichen Stellen: für Kommunen?");
  });

  it("understands English connectors and prepositions in a German thread", () => {
    expect(resolveFollowUp("what about buses?", PKW)).toBe(`${PKW.slice(0, -1)}: buses?`);
    expect(resolveFollowUp("and for trucks?", "Welche Quote gilt ab 2026 für Busse?")).toBe(
      "Welche Quote gilt ab 2026 für trucks?",
    );
    expect(resolveFollowUp("and by when?", "Welches Ziel hat Musterstadt beim Radverkehr?")).toBe(
      "Welches Ziel hat Musterstadt beim Radverkehr: by when?",
    );
  });

  it("reads a question that points back as leaning, with or without 'und'", () => {
    const flight = "Darf ich für eine Dienstreise fliegen?";
    expect(resolveFollowUp("und wer muss das genehmigen?", flight)).toBe(
      "Darf ich für eine Dienstreise fliegen: wer muss das genehmigen?",
    );
    expect(resolveFollowUp("Wer kann das?", flight)).toBe(
      "Darf ich für eine Dienstreise fliegen: Wer kann das?",
    );
    expect(resolveFollowUp("und wann kommt der nächste?", "Wie oft erscheint der Bericht?")).toBe(
      "Wie oft erscheint der Bericht: wann kommt der nächste?",
    );
    expect(resolveFollowUp("und ab welcher Größe?", "Gilt die CSRD für Stadtwerke?")).toBe(
      "Gilt die CSRD für Stadtwerke: ab welcher Größe?",
    );
    expect(resolveFollowUp("Bis wann?", "Welche Quote gilt für Busse?")).toBe(
      "Welche Quote gilt für Busse: Bis wann?",
    );
  });

  it("leaves questions of their own alone, also after 'und', 'aber' or 'and'", () => {
    for (const own of [
      "Wie viel Bio muss in die Kantine?",
      "Welche Quote gilt für Lkw?",
      "Darf ich für eine Dienstreise fliegen?",
      "Was ist BNK?",
      "und wie viel Bio muss ins Schulessen?",
      "Aber wie warm darf es eigentlich im Büro sein?",
      "und was ist eigentlich ein Voluntary Local Review?",
      "and which paper should we buy for the office?",
      "Which paper do we buy for the office?",
      "Gilt die CSRD auch für unsere Stadtwerke?",
    ])
      expect(resolveFollowUp(own, PKW), own).toBe(own);
  });

  it("reads 'das' before a noun as an article, not as pointing back", () => {
    const own = "und wie viel Papier verbraucht das Rathaus im Jahr?";
    expect(resolveFollowUp(own, PKW)).toBe(own);
  });

  it("builds on the previous question without its own opening (chains of follow-ups)", () => {
    expect(resolveFollowUp("und für Kitas?", "und wie viel Bio muss ins Schulessen für Schulen?")).toBe(
      "Wie viel Bio muss ins Schulessen für Kitas?",
    );
    const second = resolveFollowUp("und für Busse?", PKW);
    expect(resolveFollowUp("und für Lkw?", second)).toBe("Welche Quote für saubere Fahrzeuge gilt für Lkw?");
  });

  it("reads a bare keyword query as leaning: it cannot be told from an elliptic one by its words (known limit)", () => {
    expect(resolveFollowUp("Bio-Quote Kantine?", PKW)).toBe(`${PKW.slice(0, -1)}: Bio-Quote Kantine?`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageInbound } from "../../src/core/inbound.ts";
import type { Runtime } from "../../src/runtime.ts";
import { fixtureRuntime } from "../helpers.ts";

let rt: Runtime;
let mapped: Runtime;
beforeAll(async () => {
  rt = await fixtureRuntime();
  mapped = await fixtureRuntime({
    LOTSE_TENANT_MAP: "slack:T0MUSTER=musterstadt;teams:aaaa-bbbb=otherstadt",
  });
});
afterAll(async () => {
  await rt.close();
  await mapped.close();
});

const msg = (text: string, extra: Partial<MessageInbound> = {}): MessageInbound => ({
  kind: "message",
  platform: "cli",
  user: { id: "u1" },
  conversation: { id: "c1", kind: "personal", channel: "c1" },
  text,
  receivedAt: new Date("2026-11-25T09:00:00Z"),
  ...extra,
});

describe("Router", () => {
  it("answers a question with sources, next steps and the contact of the cited document", async () => {
    const a = await rt.router.handle(
      msg("Ab welchem Betrag brauche ich den Nachhaltigkeitscheck bei einer Bestellung?"),
    );
    expect(a.kind).toBe("answer");
    expect(a.text).toContain("10.000 Euro");
    expect(a.citations[0]).toMatchObject({
      docId: "musterstadt-nachhaltigkeitscheck",
      url: expect.stringMatching(/^https:/),
    });
    expect(a.nextSteps).toContainEqual({
      label: "Formular Nachhaltigkeitscheck",
      url: "https://intranet.musterstadt.example/formulare/nachhaltigkeitscheck",
    });
    expect(a.contacts[0]).toMatchObject({ role: "Vergabestelle", email: "vergabe@musterstadt.example" });
    expect(a.generatedBy).toBe("extractive");
  });

  it("attaches the tenant's goals that apply", async () => {
    const a = await rt.router.handle(msg("Wie viele Dienstwagen sollen bis 2030 emissionsfrei sein?"));
    expect(a.kind).toBe("answer");
    expect(a.goals).toContainEqual(
      expect.objectContaining({
        docId: "musterstadt-ziel-fuhrpark",
        text: expect.stringContaining("80 Prozent"),
      }),
    );
    expect(a.contacts[0]?.role).toBe("Fuhrparkmanagement");
  });

  it("says plainly when the knowledge base does not cover a question and names the default contact", async () => {
    const a = await rt.router.handle(msg("Wie beantrage ich meinen Jahresurlaub?"));
    expect(a.kind).toBe("no_answer");
    expect(a.citations).toEqual([]);
    expect(a.text).toContain("keine verlässliche Antwort");
    expect(a.text).toContain("Nachhaltigkeitskoordination");
    expect(a.contacts[0]?.name).toBe("Dr. Anna Grün");
  });

  it.each([
    ["Hallo", "Guten Tag"],
    ["danke!", "Gern geschehen"],
    ["hilfe", "So helfe ich Ihnen"],
  ])("replies to smalltalk %s", async (text, expected) => {
    const a = await rt.router.handle(msg(text));
    expect(a.kind).toBe("smalltalk");
    expect(a.text).toContain(expected);
  });

  it.each([
    ["", "INPUT_EMPTY", "leer"],
    ["   \n\t ", "INPUT_EMPTY", "leer"],
    ["🌍🌱♻️", "INPUT_NO_TEXT", "Worten"],
    ["Wärme ".repeat(2000), "INPUT_TOO_LONG", "zu lang"],
  ])("answers bad input %# with a clear German message", async (text, code, phrase) => {
    const a = await rt.router.handle(msg(text));
    expect(a.kind).toBe("error");
    expect(a.errorCode).toBe(code);
    expect(a.text).toContain(phrase);
  });

  it("reads HTML in a question as plain text", async () => {
    const a = await rt.router.handle(msg("<p>Bis wann gilt die <b>Frist</b> für die Wärmeplanung?</p>"));
    expect(a.kind).toBe("answer");
    expect(a.citations[0]?.docId).toBe("waermeplanung");
  });

  it("treats SQL metacharacters and quotes as text, without an error", async () => {
    for (const text of [
      "Wärmeplanung' OR '1'='1",
      "'); DROP TABLE chunks; --",
      '"Frist" \\ % _ :* & | ! <>',
    ]) {
      const a = await rt.router.handle(msg(text));
      expect(a.kind).not.toBe("error");
    }
    expect((await rt.router.handle(msg("Bis wann ist die Frist der Wärmeplanung?"))).kind).toBe("answer");
  });

  it("uses the mapping once one is configured and refuses unmapped platform ids", async () => {
    const other = await mapped.router.handle(
      msg("Solardächer Schuldächer Photovoltaik Ziel", { platform: "teams", externalTenantId: "aaaa-bbbb" }),
    );
    expect(other.citations[0]?.docId).toBe("otherstadt-ziel-solar");
    const refused = await mapped.router.handle(
      msg("Wärmeplanung", { platform: "slack", externalTenantId: "T0FREMD" }),
    );
    expect(refused).toMatchObject({ kind: "error", errorCode: "TENANT_UNKNOWN" });
    const unmappedDefault = await rt.router.handle(
      msg("Wärmeplanung Frist", { platform: "slack", externalTenantId: "T0FREMD" }),
    );
    expect(unmappedDefault.kind).toBe("answer");
  });

  it("turns an internal failure into an apology with the default contact", async () => {
    const broken = await fixtureRuntime();
    await broken.db.query("DROP TABLE chunks CASCADE");
    const a = await broken.router.handle(msg("Wärmeplanung Frist"));
    await broken.close();
    expect(a).toMatchObject({ kind: "error", errorCode: "INTERNAL" });
    expect(a.text).toContain("Entschuldigung");
    expect(a.text).toContain("nachhaltigkeit@musterstadt.example");
  });
});

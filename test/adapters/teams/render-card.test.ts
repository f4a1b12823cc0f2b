import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AdaptiveCard,
  escapeCardText,
  renderAnswer,
  renderCard,
  renderNotice,
  teamsChatLink,
  truncate,
} from "../../../adapters/teams/render-card.ts";
import { renderForm, requiredMessage, USERS_DATASET } from "../../../adapters/teams/render-form.ts";
import { cardOf, invokeResponseOf, replyActivity } from "../../../adapters/teams/render-reply.ts";
import { type Answer, plainAnswer } from "../../../src/assistant/answer.ts";
import { answerView } from "../../../src/assistant/answer-view.ts";
import { Templates } from "../../../src/assistant/templates.ts";
import type { Form, Reply } from "../../../src/core/replies.ts";
import { decodeFeedback } from "../../../src/feedback/feedback-codec.ts";
import { safeUrl } from "../../../src/text/safe-url.ts";
import { ROOT } from "../../helpers.ts";

let templates: Templates;
beforeAll(async () => {
  templates = await Templates.load(path.join(ROOT, "prompts/de"));
});

const view = (answer: Answer, question = "Frage?", extra: { notice?: string } = {}) =>
  answerView(answer, templates, { question, tenant: "musterstadt", ...extra });
/** Erika Mustermann's Entra object id (the people picker's value). */
const ERIKA_AAD = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const texts = (card: AdaptiveCard): string[] => card.body.map((e) => (e as { text?: string }).text ?? "");

describe("Teams card rendering: escaping and truncation", () => {
  it("escapes markdown so text from users and documents cannot add links, emphasis, lists or date functions", () => {
    expect(escapeCardText("[Klick hier](https://boese.example) **fett** _kursiv_")).toBe(
      "\\[Klick hier\\](https://boese.example) \\*\\*fett\\*\\* \\_kursiv\\_",
    );
    // Block markers get a zero-width space in front: Teams mobile would show a backslash before them.
    expect(escapeCardText("- kein Listenpunkt\n# keine Überschrift\n1. keine Nummer\n---")).toBe(
      "\u200b- kein Listenpunkt\n\u200b# keine Überschrift\n\u200b1. keine Nummer\n\u200b---",
    );
    // A backslash of the text stays literal instead of escaping the next character.
    expect(escapeCardText("\\[x\\](https://boese.example)")).toBe("\\\\\\[x\\\\\\](https://boese.example)");
    expect(escapeCardText("{{DATE(2026-11-25T10:00:00Z)}}")).not.toContain("{{");
  });

  it("leaves what Teams' card markdown does not use as it is: parentheses, dates, phone numbers, paths", () => {
    for (const plain of [
      "Integriertes Klimaschutzkonzept (IKSK) der Stadt (Beschluss 2024)",
      "Frist: 30.06.2026 (siehe § 4 Abs. 2)",
      "+49 30 1234-567",
      "Ablage: S:\\Umwelt\\Berichte",
      "Kosten ~ 12.000 € | netto",
    ])
      expect(escapeCardText(plain)).toBe(plain);
  });

  it("truncates to the bound with an ellipsis and never splits a surrogate pair", () => {
    expect(truncate("kurz", 10)).toBe("kurz");
    expect(truncate("a".repeat(400), 300)).toHaveLength(300);
    expect(truncate("a".repeat(400), 300).endsWith(" …")).toBe(true);
    const emoji = truncate(`${"a".repeat(7)}👍👍`, 10);
    expect(emoji).toBe("aaaaaaa …");
  });

  it("lets only http(s), mailto and tel links through", () => {
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("data:text/html,<b>x</b>")).toBeUndefined();
    expect(teamsChatLink("julia.sommer@musterstadt.example")).toBe(
      "https://teams.microsoft.com/l/chat/0/0?users=julia.sommer%40musterstadt.example",
    );
  });
});

describe("Teams renderer: answer view", () => {
  it("renders document text literally and drops unsafe next-step links", () => {
    const answer = plainAnswer("answer", "Lead [mit](https://x.example) Link\n- Punkt *eins*", {
      citations: [
        {
          docId: "d",
          title: "Titel ](javascript:x)",
          section: "Abschnitt",
          page: 2,
          url: "https://q.example/a(b)",
          excerpt: "Auszug",
        },
      ],
      nextSteps: [
        { label: "Gut", url: "https://intranet.musterstadt.example/formular" },
        { label: "Böse", url: "javascript:alert(1)" },
      ],
      contacts: [
        { role: "Vergabestelle", name: "Thomas Berger", teamsUpn: "thomas.berger@musterstadt.example" },
      ],
    });
    const card = renderAnswer(view(answer));
    const json = JSON.stringify(card);
    expect(card.version).toBe("1.5");
    expect(card.body[0]).toMatchObject({
      text: "Lead \\[mit\\](https://x.example) Link\n- Punkt \\*eins\\*",
    });
    expect(json).toContain("Titel \\\\](javascript:x)");
    expect(json).toContain("https://q.example/a%28b%29");
    expect(json).toContain("S. 2");
    expect(json).not.toContain("javascript:alert");
    expect(json).toContain("users=thomas.berger%40musterstadt.example");
    expect(card.body).toContainEqual({
      type: "ActionSet",
      actions: [
        { type: "Action.OpenUrl", title: "Gut", url: "https://intranet.musterstadt.example/formular" },
      ],
    });
  });

  it("takes every heading and button label from the view, and the actions as Action.Execute with verb and value", () => {
    const answer = plainAnswer("answer", "Text.", {
      citations: [{ docId: "w", title: "Wärmeplanung", section: "Fristen", excerpt: "x" }],
      goals: [{ title: "Klimaneutral 2035", text: "Ziel", docId: "z" }],
      nextSteps: [{ label: "Antrag", url: "https://intranet.musterstadt.example/" }],
      contacts: [{ role: "Koordination", name: "Julia Sommer" }],
    });
    const v = view(answer);
    v.headings = { sources: "QQ-Quellen", goals: "QQ-Ziele", nextSteps: "QQ-Schritte" };
    v.contacts = { heading: "QQ-Kontakte", contacts: answer.contacts };
    v.actions = [
      { label: "QQ-Daumen", actionId: "feedback.up", value: '{"q":"Frage?","d":["w"]}' },
      { label: "QQ-Link", url: "https://intranet.musterstadt.example/" },
    ];
    const card = renderAnswer(v);
    const t = texts(card);
    for (const h of ["QQ-Quellen", "QQ-Ziele", "QQ-Schritte", "QQ-Kontakte"]) expect(t).toContain(h);
    expect(JSON.stringify(card)).not.toMatch(/Ansprechpersonen|Nächste Schritte|Hilfreich|"Quellen"/);
    expect(card.actions).toEqual([
      {
        type: "Action.Execute",
        title: "QQ-Daumen",
        verb: "feedback.up",
        data: { value: '{"q":"Frage?","d":["w"]}' },
      },
      { type: "Action.OpenUrl", title: "QQ-Link", url: "https://intranet.musterstadt.example/" },
    ]);
  });

  it("carries the feedback codec's value on 👍/👎 and shows the first-contact notice on top", () => {
    const card = renderAnswer(
      view(plainAnswer("no_answer", "Dazu finde ich nichts."), "Wann ist Betriebsausflug?", {
        notice: templates.label("ai-notice"),
      }),
    );
    expect(texts(card)[0]).toBe(escapeCardText(templates.label("ai-notice")));
    const [up, down] = card.actions as { verb: string; title: string; data: { value: string } }[];
    expect([up?.verb, down?.verb]).toEqual(["feedback.up", "feedback.down"]);
    expect(up?.title).toBe(templates.label("button-feedback-up"));
    expect(decodeFeedback(up?.data.value)).toEqual({ question: "Wann ist Betriebsausflug?", docIds: [] });
  });

  it("shows the document's Stand next to its source and shortens long excerpts", () => {
    const answer = plainAnswer("answer", "Der Wärmeplan musste bis 30. Juni 2026 vorliegen.", {
      citations: [
        {
          docId: "w",
          title: "Kommunale Wärmeplanung",
          section: "Fristen",
          excerpt: "Auszug ".repeat(100),
          asOf: "2026-03-15",
        },
        { docId: "b", title: "Ohne Stand", section: "A", excerpt: "y" },
      ],
    });
    const t = texts(renderAnswer(view(answer)));
    expect(t).toContain("1. Kommunale Wärmeplanung – Fristen (Stand: März 2026)");
    expect(t).toContain("2. Ohne Stand – A");
    const excerpt = t.find((x) => x.startsWith("Auszug"));
    expect(excerpt?.length).toBeLessThanOrEqual(300);
    expect(excerpt?.endsWith(" …")).toBe(true);
  });

  it("labels an answer an LLM wrote as AI-generated, an extractive one not", () => {
    const llm: Reply = { kind: "answer", view: view(plainAnswer("answer", "x", { generatedBy: "llm" })) };
    const extractive: Reply = { kind: "answer", view: view(plainAnswer("answer", "x")) };
    expect(JSON.stringify(replyActivity(llm).entities)).toContain("AIGeneratedContent");
    expect(JSON.stringify(replyActivity(extractive).entities ?? [])).not.toContain("AIGeneratedContent");
  });
});

describe("Teams renderer: card, notice", () => {
  it("renders a card: title, sections with heading, text (bullets kept), facts and items, contacts, buttons", () => {
    const card = renderCard({
      title: "Erinnerungen",
      sections: [
        { heading: "Nächster Termin", text: "Bitte melden:\n- Indikatoren *bis* März" },
        { facts: [{ label: "Wann", value: "31.03.2026" }], items: ["- eins", "zwei_drei"] },
      ],
      contacts: { heading: "Wer hilft", contacts: [{ role: "Koordination", name: "Julia Sommer" }] },
      buttons: [
        { label: "Pausieren", actionId: "reminder.pause", value: "r1", style: "danger" },
        { label: "Ohne Ziel", url: "javascript:alert(1)" },
      ],
    });
    expect(card.body[0]).toMatchObject({ text: "Erinnerungen", size: "Large", weight: "Bolder" });
    const t = texts(card);
    expect(t).toContain("Nächster Termin");
    expect(t).toContain("Bitte melden:\n- Indikatoren \\*bis\\* März");
    expect(t).toContain("- \u200b- eins\n- zwei\\_drei");
    expect(t).toContain("Wer hilft");
    expect(card.body).toContainEqual({ type: "FactSet", facts: [{ title: "Wann", value: "31.03.2026" }] });
    expect(card.actions).toEqual([
      {
        type: "Action.Execute",
        title: "Pausieren",
        verb: "reminder.pause",
        data: { value: "r1" },
        style: "destructive",
      },
    ]);
  });

  it("renders a notice as a text card with its contacts under the notice's heading", () => {
    const card = renderNotice({
      kind: "notice",
      text: "Entschuldigung, etwas ging schief.",
      contacts: {
        heading: "Wer Ihnen weiterhilft",
        contacts: [{ role: "Koordination", name: "Julia Sommer", email: "julia.sommer@musterstadt.example" }],
      },
    });
    expect(texts(card)).toEqual([
      "Entschuldigung, etwas ging schief.",
      "Wer Ihnen weiterhilft",
      "**Koordination:** Julia Sommer · [julia.sommer@musterstadt.example](mailto:julia.sommer@musterstadt.example)",
    ]);
    expect(card.actions).toBeUndefined();
  });
});

describe("Teams renderer: form", () => {
  const form: Form = {
    id: "reminder.create",
    title: "Erinnerung anlegen",
    intro: "Lotse erinnert Sie.",
    state: '{"v":1}',
    submitLabel: "Anlegen",
    errors: { date: "Das Datum liegt in der Vergangenheit." },
    fields: [
      { id: "title", type: "text", label: "Titel", required: true, maxLength: 80, initial: "Indikatoren" },
      { id: "note", type: "longtext", label: "Notiz", hint: "Optional", placeholder: "…" },
      { id: "date", type: "date", label: "Datum", required: true, initial: "2026-03-31" },
      { id: "time", type: "time", label: "Uhrzeit", initial: "09:00" },
      {
        id: "repeat",
        type: "select",
        label: "Wiederholen",
        options: [
          { label: "Nie", value: "never" },
          { label: "Monatlich", value: "monthly" },
        ],
        initial: "never",
      },
      { id: "who", type: "user", label: "Für wen", required: true, initial: ERIKA_AAD },
      {
        id: "where",
        type: "conversation",
        label: "Wo",
        hint: "Link zum Kanal",
        initial: "19:abc@thread.tacv2",
        defaultToCurrent: true,
      },
    ],
  };

  it("renders each field type as its Input.*, with required flags, initial values and the errors at the field", () => {
    const card = renderForm(form);
    const byId = Object.fromEntries(
      card.body.filter((e) => typeof e.id === "string").map((e) => [e.id as string, e]),
    );
    expect(byId.title).toEqual({
      type: "Input.Text",
      id: "title",
      label: "Titel",
      isRequired: true,
      errorMessage: requiredMessage("Titel"),
      maxLength: 80,
      value: "Indikatoren",
    });
    expect(requiredMessage("Titel")).toBe("Bitte füllen Sie „Titel“ aus.");
    expect(byId.note).toEqual({
      type: "Input.Text",
      id: "note",
      label: "Notiz",
      isMultiline: true,
      placeholder: "…",
    });
    expect(byId.date).toEqual({
      type: "Input.Date",
      id: "date",
      label: "Datum",
      isRequired: true,
      errorMessage: "Das Datum liegt in der Vergangenheit.",
      value: "2026-03-31",
    });
    expect(byId.time).toEqual({ type: "Input.Time", id: "time", label: "Uhrzeit", value: "09:00" });
    expect(byId.repeat).toEqual({
      id: "repeat",
      label: "Wiederholen",
      type: "Input.ChoiceSet",
      style: "compact",
      choices: [
        { title: "Nie", value: "never" },
        { title: "Monatlich", value: "monthly" },
      ],
      value: "never",
    });
    expect(byId.who).toEqual({
      type: "Input.ChoiceSet",
      id: "who",
      label: "Für wen",
      isRequired: true,
      errorMessage: requiredMessage("Für wen"),
      choices: [],
      "choices.data": { type: "Data.Query", dataset: USERS_DATASET },
      value: ERIKA_AAD,
    });
    // Teams has no conversation picker: the field is not shown (nor its hint), to-inbound fills it in.
    expect(byId.where).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain("Link zum Kanal");
    // The validation error right under its field, the hint under its field.
    const ids = card.body.map((e) => (e.id as string | undefined) ?? (e as { text?: string }).text);
    expect(ids.indexOf("Das Datum liegt in der Vergangenheit.")).toBe(ids.indexOf("date") + 1);
    expect(ids.indexOf("Optional")).toBe(ids.indexOf("note") + 1);
    expect(card.actions).toEqual([
      {
        type: "Action.Execute",
        title: "Anlegen",
        verb: "reminder.create",
        style: "positive",
        associatedInputs: "auto",
        data: { formId: "reminder.create", state: '{"v":1}', conversationFields: ["where"] },
      },
    ]);
    // Without a conversation field the submit's data names none.
    const plain = renderForm({ ...form, fields: form.fields.filter((f) => f.type !== "conversation") });
    expect(plain.actions?.[0]?.data).toEqual({ formId: "reminder.create", state: '{"v":1}' });
  });

  it("shows a conversation field's validation error under the last input, in red", () => {
    const card = renderForm({
      ...form,
      errors: { where: "In diesem Chat dürfen Sie keine Erinnerung anlegen." },
    });
    const last = card.body.at(-1) as { type: string; text: string; color?: string };
    expect(last).toMatchObject({
      type: "TextBlock",
      text: "In diesem Chat dürfen Sie keine Erinnerung anlegen.",
      color: "Attention",
    });
  });

  it("sends a form answering a normal message as a card message with its Action.Execute", () => {
    const activity = replyActivity({ kind: "form", form });
    expect(activity.type).toBe("message");
    expect(activity.attachments?.[0]).toMatchObject({
      contentType: "application/vnd.microsoft.card.adaptive",
      content: { version: "1.5", actions: [{ type: "Action.Execute", verb: "reminder.create" }] },
    });
  });

  it("refuses a form whose field ids collide with the submit's data keys", () => {
    for (const id of ["state", "formId", "conversationFields"])
      expect(() => renderForm({ ...form, fields: [{ id, type: "text", label: "Bundesland" }] })).toThrow(
        /reserved/,
      );
  });
});

describe("Teams renderer: many buttons", () => {
  it("shows every button of a card with more than six, in order, as action sets in the body", () => {
    const labels = ["A", "B", "C", "Weiter", "Zurück", "Später fortsetzen", "Leitfaden", "Formular"];
    const card = renderCard({
      title: "Onboarding Modul 2: Ziele der Kommune",
      sections: [{ text: "Welche Quote gilt?" }],
      buttons: labels.map((label, i) => ({ label, actionId: "onboarding.answer", value: `a:m2:${i}` })),
    });
    expect(card.actions).toBeUndefined();
    const sets = card.body.filter((e) => e.type === "ActionSet") as { actions: { title: string }[] }[];
    expect(sets.map((s) => s.actions.length)).toEqual([6, 2]);
    expect(sets.flatMap((s) => s.actions.map((a) => a.title))).toEqual(labels);
  });

  it("keeps six or fewer as the card's own actions", () => {
    const card = renderCard({
      sections: [{ text: "Weiter?" }],
      buttons: [{ label: "Weiter", actionId: "onboarding.next", value: "m:x" }],
    });
    expect((card.actions as { title: string }[]).map((a) => a.title)).toEqual(["Weiter"]);
  });
});

describe("Teams renderer: invoke responses", () => {
  it("answers an action with the updated card, or the private notice as the invoke's message", () => {
    const update: Reply = { kind: "update", card: { sections: [{ text: "Erledigt." }] } };
    const thanks: Reply = { kind: "notice", text: "Danke!", private: true };
    const both = invokeResponseOf([thanks, update], false);
    expect(both.response).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
      value: renderCard({ sections: [{ text: "Erledigt." }] }),
    });
    // A private notice is never posted for everyone when the response is taken.
    expect(both.rest).toEqual([]);
    expect(both.unshown).toBe(1);
    expect(invokeResponseOf([thanks], false)).toEqual({
      response: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "Danke!" },
      rest: [],
      unshown: 0,
    });
  });

  it("shows a form again in place when it answers a submission, and posts other replies as messages", () => {
    const again: Reply = { kind: "form", form: { id: "f.x", title: "T", fields: [], submitLabel: "OK" } };
    const answer: Reply = { kind: "notice", text: "Öffentlich" };
    const onSubmit = invokeResponseOf([again, answer], true);
    expect(onSubmit.response).toMatchObject({ type: "application/vnd.microsoft.card.adaptive" });
    expect(onSubmit.rest).toEqual([answer]);
    const onAction = invokeResponseOf([again], false);
    expect(onAction.response).toBeUndefined();
    expect(onAction.rest).toEqual([again]);
  });

  it("answers a button with a private form as the invoke's card (the user who acted alone sees it), not a message", () => {
    const comment: Reply = {
      kind: "form",
      form: { id: "feedback.comment", title: "Was hat nicht gepasst?", fields: [], submitLabel: "Senden" },
      private: true,
    };
    const thanks: Reply = { kind: "notice", text: "Danke!", private: true };
    const onAction = invokeResponseOf([comment, thanks], false);
    expect(onAction).toEqual({
      response: {
        statusCode: 200,
        type: "application/vnd.microsoft.card.adaptive",
        value: cardOf(comment),
      },
      rest: [],
      unshown: 0,
    });
  });

  it("replaces a submitted form with the confirmation card; a button's card is posted as a message", () => {
    const confirmation = {
      kind: "card",
      card: { title: "Erinnerung gespeichert", sections: [{ text: "Nächster Termin: 31. März 2027" }] },
    } satisfies Reply;
    const onSubmit = invokeResponseOf([confirmation], true);
    expect(onSubmit).toEqual({
      response: {
        statusCode: 200,
        type: "application/vnd.microsoft.card.adaptive",
        value: renderCard(confirmation.card),
      },
      rest: [],
      unshown: 0,
    });
    const onAction = invokeResponseOf([confirmation], false);
    expect(onAction.response).toBeUndefined();
    expect(onAction.rest).toEqual([confirmation]);
  });

  it("names the contacts of a private notice in the invoke's plain-text message", () => {
    const { response } = invokeResponseOf(
      [
        {
          kind: "notice",
          text: "Entschuldigung.",
          private: true,
          contacts: {
            heading: "Wer Ihnen weiterhilft",
            contacts: [{ role: "Koordination", name: "Julia Sommer", email: "j@musterstadt.example" }],
          },
        },
      ],
      false,
    );
    expect(response?.value).toBe(
      "Entschuldigung.\nWer Ihnen weiterhilft\nKoordination: Julia Sommer, j@musterstadt.example",
    );
  });
});

describe("renderAnswer within Teams' message size", () => {
  it("keeps a very long answer under MAX_CARD_BYTES: excerpts, then extra sources, then the text's end go; 👍/👎 stay", async () => {
    const { renderAnswer, MAX_CARD_BYTES } = await import("../../../adapters/teams/render-card.ts");
    const long = Array.from(
      { length: 400 },
      (_, i) => `- Punkt ${i + 1}: ${"Nachhaltige Beschaffung ".repeat(6)}`,
    ).join("\n");
    const citations = Array.from({ length: 10 }, (_, i) => ({
      docId: `doc-${i}`,
      title: `Dokument ${i}`,
      section: "Abschnitt",
      url: `https://example.org/${i}`,
      excerpt: "Ein langer Auszug. ".repeat(40),
    }));
    const card = renderAnswer({
      answer: {
        kind: "answer",
        text: long,
        citations,
        goals: [],
        nextSteps: [],
        contacts: [],
        generatedBy: "extractive",
        confidence: 0.9,
      },
      question: "Welche Kriterien?",
      headings: { sources: "Quellen", goals: "Ziele", nextSteps: "Nächste Schritte" },
      actions: [
        { label: "👍 Hilfreich", actionId: "feedback.up", value: "{}" },
        { label: "👎 Nicht hilfreich", actionId: "feedback.down", value: "{}" },
      ],
    });
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(json).toContain("Punkt 1:");
    expect(json).toContain("…");
    expect(card.actions?.map((a) => a.verb)).toEqual(["feedback.up", "feedback.down"]);
  });
});

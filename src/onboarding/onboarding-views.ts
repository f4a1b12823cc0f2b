import type { AnswerContact } from "../assistant/answer.ts";
import type { Templates } from "../assistant/templates.ts";
import type { Button, Card, CardSection } from "../core/replies.ts";
import {
  encodeAnswer,
  encodeModule,
  encodeRole,
  ONBOARDING_ACTIONS,
  START_VALUE,
} from "./onboarding-codec.ts";
import type { OnboardingModule, OnboardingPath, RoleAddOn } from "./onboarding-paths.ts";

/** Where a module stands in the person's path (1-based). */
export interface Position {
  index: number;
  total: number;
}

/** The fewest buttons of one card a platform shows (Teams renders six card actions): the rest may be cut. */
export const FEWEST_ACTIONS = 6;

/** An option shorter than this is its own button label; longer options are listed above letter-only buttons. */
const MAX_OPTION_LABEL = 60;

const navButtons = (t: Templates, m: OnboardingModule, pos: Position): Button[] => [
  {
    label: t.label("onboarding-button-next"),
    actionId: ONBOARDING_ACTIONS.next,
    value: encodeModule(m.id),
    style: "primary",
  },
  ...(pos.index > 1
    ? [
        {
          label: t.label("onboarding-button-back"),
          actionId: ONBOARDING_ACTIONS.back,
          value: encodeModule(m.id),
        },
      ]
    : []),
  {
    label: t.label("onboarding-button-later"),
    actionId: ONBOARDING_ACTIONS.later,
    value: encodeModule(m.id),
  },
];

/** "Onboarding starten" (or "Fortsetzen"), the button welcome, Home tab and nudges carry. */
export function startButton(t: Templates, resume = false): Button {
  return {
    label: t.label(resume ? "onboarding-button-resume" : "onboarding-button-start"),
    actionId: ONBOARDING_ACTIONS.start,
    value: START_VALUE,
    style: "primary",
  };
}

/** The start: what the path is, and the role add-ons offered (never inferred), plus "Ohne Zusatzmodul". */
export function roleChoiceCard(t: Templates, path: OnboardingPath): Card {
  return {
    title: t.label("onboarding-title"),
    sections: [
      { text: t.label("onboarding-intro", { count: path.common.length }) },
      ...(path.roles.length > 0 ? [{ text: t.label("onboarding-role-question") }] : []),
    ],
    buttons: [
      ...path.roles.map((r: RoleAddOn) => ({
        label: t.label("onboarding-button-role", { label: r.label }),
        actionId: ONBOARDING_ACTIONS.role,
        value: encodeRole(r.role),
      })),
      {
        label: t.label("onboarding-button-no-role"),
        actionId: ONBOARDING_ACTIONS.role,
        value: encodeRole(null),
        ...(path.roles.length === 0 ? { style: "primary" as const } : {}),
      },
    ],
  };
}

/**
 * A module: its position (and "Sie waren bei …" when resumed), its text, its links, its sources, then its check
 * question with one button per option. A module answered before also offers "Weiter"/"Zurück".
 */
export function moduleCard(
  t: Templates,
  m: OnboardingModule,
  pos: Position,
  opts: { completed?: boolean; resumed?: boolean; stale?: boolean } = {},
): Card {
  const long = m.check.options.some((o) => o.text.length > MAX_OPTION_LABEL);
  const lead = [
    ...(opts.stale ? [t.label("onboarding-stale")] : []),
    opts.resumed ? t.label("onboarding-resume-line", { ...pos }) : t.label("onboarding-position", { ...pos }),
  ];
  return {
    title: m.title,
    sections: [
      { text: lead.join("\n") },
      ...m.sections.map((s): CardSection => ({ ...(s.heading ? { heading: s.heading } : {}), text: s.text })),
      {
        heading: t.label("onboarding-heading-question"),
        text: m.check.question,
        ...(long ? { items: m.check.options.map((o) => `${o.letter}) ${o.text}`) } : {}),
      },
    ],
    ...sourcesOf(t, m),
    // What keeps the path going first: the options, then "Weiter"/"Zurück"/"Später fortsetzen", the links last.
    // Teams shows only the first FEWEST_ACTIONS buttons of a card; a module answered before (after "Zurück", or
    // resumed) would otherwise lose its way on behind two or three links.
    buttons: [
      ...m.check.options.map((o) => ({
        label: long ? o.letter : `${o.letter}) ${o.text}`,
        actionId: ONBOARDING_ACTIONS.answer,
        value: encodeAnswer(m.id, o.letter),
      })),
      ...(opts.completed ? navButtons(t, m, pos) : []),
      ...m.links.map((l) => ({ label: l.label, url: l.url })),
    ],
  };
}

/** After a choice: the question, the choice, right or "Nicht ganz. Richtig ist …" with why, then the way on. */
export function answeredCard(t: Templates, m: OnboardingModule, pos: Position, letter: string): Card {
  const chosen = m.check.options.find((o) => o.letter === letter);
  const right = m.check.options.find((o) => o.letter === m.check.correct);
  const verdict =
    letter === m.check.correct
      ? t.label("onboarding-answer-right", { letter, text: right?.text ?? "" })
      : t.label("onboarding-answer-wrong", { letter: m.check.correct, text: right?.text ?? "" });
  return {
    title: m.title,
    sections: [
      { text: t.label("onboarding-position", { ...pos }) },
      {
        heading: t.label("onboarding-heading-question"),
        text: [
          m.check.question,
          t.label("onboarding-your-choice", { letter, text: chosen?.text ?? "" }),
        ].join("\n"),
      },
      { text: `${verdict}\n${m.check.explanation}` },
    ],
    buttons: navButtons(t, m, pos),
  };
}

/** The end: done, the role add-on, and the contacts that matter for the path taken. */
export function doneCard(
  t: Templates,
  total: number,
  role: RoleAddOn | undefined,
  contacts: AnswerContact[],
): Card {
  return {
    title: t.label("onboarding-done-title"),
    sections: [
      { text: t.label("onboarding-done-text", { total }) },
      ...(role ? [{ text: t.label("onboarding-done-role", { label: role.label }) }] : []),
    ],
    ...(contacts.length > 0
      ? {
          contacts: {
            heading: t.label("onboarding-heading-contacts"),
            contacts,
            chatLabel: t.label("link-chat-teams"),
          },
        }
      : {}),
  };
}

/** The nudge: "Weiter mit Modul N: …", how much is left, "Fortsetzen" and "Keine Erinnerungen mehr". */
export function nudgeCard(t: Templates, m: OnboardingModule, pos: Position, left: number): Card {
  return {
    title: t.label("onboarding-nudge-title", { index: pos.index, title: m.shortTitle }),
    sections: [{ text: t.label("onboarding-nudge-text", { left, total: pos.total }) }],
    buttons: [
      startButton(t, true),
      {
        label: t.label("onboarding-button-stop-nudges"),
        actionId: ONBOARDING_ACTIONS.stopNudges,
        value: "stop",
      },
    ],
  };
}

/** "am Freitag, 4. Dezember, um 9:00 Uhr" in Berlin time. */
export function whenText(at: Date): string {
  const day = new Intl.DateTimeFormat("de-DE", {
    timeZone: "Europe/Berlin",
    weekday: "long",
    day: "numeric",
    month: "long",
  }).format(at);
  const time = new Intl.DateTimeFormat("de-DE", {
    timeZone: "Europe/Berlin",
    hour: "numeric",
    minute: "2-digit",
  }).format(at);
  return `am ${day}, um ${time} Uhr`;
}

function sourcesOf(t: Templates, m: OnboardingModule): Pick<Card, "sources"> {
  if (m.sources.length === 0) return {};
  return {
    sources: {
      heading: t.label("onboarding-heading-sources"),
      citations: m.sources.map((s) => ({
        docId: m.id,
        title: s.title,
        section: "",
        url: s.url,
        excerpt: "",
      })),
    },
  };
}

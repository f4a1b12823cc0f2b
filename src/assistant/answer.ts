import type { Contact } from "../knowledge/types.ts";

/** The platform-neutral answer every adapter renders and the CLI prints as JSON. */
export interface Citation {
  docId: string;
  title: string;
  section: string;
  page?: number;
  url?: string;
  excerpt: string;
  /** Stand der Rechtslage / des Sachstands of the document (YYYY-MM-DD or YYYY-MM); shown as "Stand: März 2026". */
  asOf?: string;
}

export interface GoalRef {
  title: string;
  text: string;
  docId: string;
}

export interface NextStep {
  label: string;
  url: string;
}

/** A contact as answers show it: the role's German label ("Vergabestelle") and how to reach the person or office. */
export type AnswerContact = { role: string } & Pick<
  Contact,
  "name" | "unit" | "email" | "phone" | "teamsUpn" | "slackUserId"
>;

export interface Answer {
  kind: "answer" | "no_answer" | "smalltalk" | "error";
  text: string;
  citations: Citation[];
  goals: GoalRef[];
  nextSteps: NextStep[];
  contacts: AnswerContact[];
  generatedBy: "extractive" | "llm";
  /** 0..1; for smalltalk and errors 1 (no retrieval involved). */
  confidence: number;
  /** Stable error code when kind is "error". */
  errorCode?: string;
}

/** An answer without retrieval content (smalltalk, errors). */
export function plainAnswer(kind: Answer["kind"], text: string, extra: Partial<Answer> = {}): Answer {
  return {
    kind,
    text,
    citations: [],
    goals: [],
    nextSteps: [],
    contacts: [],
    generatedBy: "extractive",
    confidence: 1,
    ...extra,
  };
}

import type { Contact } from "../knowledge/types.ts";
import type { RetrievalResult } from "../retrieval/retriever.ts";
import type { Answer } from "./answer.ts";

/** A goal document of the tenant, to attach where it shares the answer's topic. */
export interface GoalContext {
  docId: string;
  title: string;
  /** The goal itself: the first sentence of its first section. */
  text: string;
  tags: string[];
}

/** What a composer gets: the question, the passages and the asking tenant's context. */
export interface ComposeInput {
  question: string;
  tenant: string;
  retrieval: RetrievalResult;
  contacts: Map<string, Contact>;
  /** The tenant's goal documents, to attach those that apply. */
  goals: GoalContext[];
}

/** Turns retrieved passages into an Answer. The extractive default and the LLM composer implement it. */
export interface Composer {
  compose(input: ComposeInput): Promise<Answer>;
}

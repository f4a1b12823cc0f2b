import { z } from "zod";
import type { Feedback } from "../../src/feedback/feedback-store.ts";

const schema = z.object({
  action: z.object({
    type: z.literal("Action.Execute"),
    verb: z.literal("feedback"),
    data: z.object({
      action: z.literal("feedback"),
      rating: z.enum(["up", "down"]),
      question: z.string().max(10000),
      docIds: z.array(z.string().max(200)).max(20),
    }),
  }),
});

/** The 👍/👎 of an adaptiveCard/action invoke's value, or undefined for any other action. */
export function parseFeedback(value: unknown): Pick<Feedback, "rating" | "question" | "docIds"> | undefined {
  const r = schema.safeParse(value);
  if (!r.success) return undefined;
  const { rating, question, docIds } = r.data.action.data;
  return { rating, question, docIds };
}

import { asks } from "./question-asks.ts";

/**
 * Units a question can ask a figure in ("Wie viele Tonnen CO2 …", "Wie viel pro Kilowattstunde …"), each with how an
 * answer states an amount in it. An answer that quotes no amount in the asked unit does not answer the question,
 * however well its topic words match ("Kilowattstunde" in an energy-saving rule is no price per kWh).
 */
const UNITS: { asked: RegExp; amount: RegExp }[] = [
  { asked: /\b(tonnen?|t\s?co2)\b/i, amount: /\d[\d.,]*\s*(tonnen?|t\b|t\s?co2)/i },
  {
    asked: /\b(kilowattstunden?|kwh|megawattstunden?|mwh|gigawattstunden?|gwh)\b/i,
    amount:
      /\d[\d.,]*\s*(ct|cent|euro|€)?\s*(\/|pro|je)?\s*(kilowattstunden?|kwh|mwh|gwh|megawattstunden?|gigawattstunden?)\b/i,
  },
  { asked: /\b(cent|ct)\b/i, amount: /\d[\d.,]*\s*(cent|ct)\b/i },
  { asked: /\b(euro|€)\b/i, amount: /\d[\d.,]*\s*(euro|€|mio\.?|millionen)/i },
  { asked: /\b(kilometer|km)\b/i, amount: /\d[\d.,]*\s*(kilometer|km)\b/i },
  { asked: /\b(grad|°c)\b/i, amount: /\d[\d.,]*\s*(grad|°\s?c)/i },
  { asked: /\b(prozent|%)/i, amount: /\d[\d.,]*\s*(prozent|%)/i },
];

/**
 * Whether a question asks for a figure in a unit that the answer text gives no amount in: then the knowledge base
 * does not hold the figure asked for, and Lotse says so instead of quoting what merely shares the topic.
 */
export function lacksAskedUnit(question: string, answerText: string): boolean {
  if (!asks(question).has("figure")) return false;
  const wanted = UNITS.filter((u) => u.asked.test(question));
  return wanted.length > 0 && !wanted.some((u) => u.amount.test(answerText));
}

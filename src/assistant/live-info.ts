/**
 * Questions about what happens today or right now ("Was gibt es heute in der Kantine zu essen?", "Ist der Aufzug
 * gerade kaputt?"): the knowledge base holds guidance, rules and goals, never the day's operations, so Lotse names
 * who can help instead of quoting what shares a topic word. A question about what applies today ("Welche Quote gilt
 * heute?") is about a rule and is answered.
 */
const NOW = /\b(heute|heut|morgen|übermorgen|uebermorgen|gerade|jetzt|grad|today|tomorrow|right now)\b/i;
const ABOUT_A_RULE =
  /\b(gilt|gelten|galt|muss|müssen|muessen|darf|dürfen|duerfen|soll|sollen|sollte|regel\w*|pflicht\w*|frist\w*|erlaubt|verboten|vorgeschrieben|ziel\w*|rules?|must|allowed)\b/i;

/** Whether a question asks about the day's operations rather than about guidance, rules or goals. */
export function asksForLiveInformation(question: string): boolean {
  return NOW.test(question) && !ABOUT_A_RULE.test(question);
}

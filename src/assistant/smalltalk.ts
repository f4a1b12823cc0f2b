import { words } from "../text/normalize.ts";

export type Smalltalk = "greeting" | "thanks" | "help";

const GREETINGS = new Set([
  "hallo",
  "hi",
  "hey",
  "moin",
  "servus",
  "gruess",
  "gruessgott",
  "morgen",
  "tag",
  "abend",
  "guten",
  "gott",
  "lotse",
  "ihr",
  "dich",
  "zusammen",
]);
const THANKS = new Set([
  "danke",
  "dankeschoen",
  "vielen",
  "dank",
  "merci",
  "super",
  "prima",
  "toll",
  "schoen",
  "sehr",
  "lotse",
  "besten",
]);
const HELP = new Set([
  "hilfe",
  "help",
  "was",
  "kannst",
  "du",
  "koennen",
  "sie",
  "wie",
  "funktioniert",
  "das",
  "lotse",
  "bitte",
]);

/** Recognises short greetings, thanks and requests for help; anything with more content is a question. */
export function classifySmalltalk(text: string): Smalltalk | undefined {
  const ws = words(text);
  if (ws.length === 0 || ws.length > 6) return undefined;
  if (ws.includes("hilfe") || ws.includes("help") || (ws.includes("kannst") && ws.includes("was")))
    return ws.every((w) => HELP.has(w)) ? "help" : undefined;
  if (
    (ws.includes("danke") || ws.includes("dank") || ws.includes("dankeschoen")) &&
    ws.every((w) => THANKS.has(w))
  )
    return "thanks";
  if (
    ws.some((w) => ["hallo", "hi", "hey", "moin", "servus", "guten", "gruess"].includes(w)) &&
    ws.every((w) => GREETINGS.has(w))
  )
    return "greeting";
  return undefined;
}

import { type Command, Help } from "commander";

/** Commander's headings, in the order its help prints them. */
const TITLES: Record<string, string> = {
  "Usage:": "Aufruf:",
  "Arguments:": "Argumente:",
  "Options:": "Optionen:",
  "Global Options:": "Globale Optionen:",
  "Commands:": "Befehle:",
};

const placeholders = (s: string) => s.replace("[options]", "[optionen]").replace("[command]", "[befehl]");

/** The "(default: …, choices: …)" commander appends to a description. */
const extraInfo = (s: string) =>
  s.replace(/\((?:(?:default|choices|env|preset): [^)]*)\)$/, (info) =>
    info
      .replace(/\bdefault: /g, "Standard: ")
      .replace(/\bchoices: /g, "Werte: ")
      .replace(/\benv: /g, "Variable: ")
      .replace(/\bpreset: /g, "ohne Wert: "),
  );

/** Commander's error messages (commander 14) and what a German user reads instead. */
const ERRORS: [RegExp, (...m: string[]) => string][] = [
  [/^error: unknown command '(.*)'$/, (c) => `Fehler: unbekannter Befehl „${c}“.`],
  [/^error: unknown option '(.*)'$/, (o) => `Fehler: unbekannte Option „${o}“.`],
  [/^error: missing required argument '(.*)'$/, (a) => `Fehler: Es fehlt <${a}>.`],
  [/^error: option '(.*)' argument missing$/, (o) => `Fehler: Die Option ${o} braucht einen Wert.`],
  [/^error: required option '(.*)' not specified$/, (o) => `Fehler: Die Option ${o} ist erforderlich.`],
  [
    /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (cmd, expected, got) =>
      `Fehler: zu viele Argumente${cmd ? ` für „${cmd}“` : ""}: erwartet ${expected}, erhalten ${got}.`,
  ],
  [
    /^error: option '(.*)' argument '(.*)' is invalid\. ?(.*)$/,
    (o, v, why) => `Fehler: ungültiger Wert „${v}“ für ${o}.${why ? ` ${why}` : ""}`,
  ],
  [
    /^error: command-argument value '(.*)' is invalid for argument '(.*)'\. ?(.*)$/,
    (v, a, why) => `Fehler: ungültiger Wert „${v}“ für <${a}>.${why ? ` ${why}` : ""}`,
  ],
  [/^\(Did you mean (.*)\?\)$/, (s) => `(Meinten Sie ${s}?)`],
];

/** One of commander's error outputs in German; an unknown message keeps its text behind "Fehler:". */
export function germanError(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      for (const [pattern, german] of ERRORS) {
        const m = pattern.exec(line);
        if (m) return german(...m.slice(1).map((g) => g ?? ""));
      }
      return line.replace(/^error: /, "Fehler: ");
    })
    .join("\n");
}

/**
 * Makes commander speak German: headings, placeholders, the help option and command, --version, and error
 * messages. Call it before adding subcommands: they inherit these settings.
 */
export function germanCommander(program: Command, version: string): Command {
  return program
    .configureHelp({
      styleTitle: (title) => TITLES[title] ?? title,
      commandUsage(cmd) {
        return placeholders(Help.prototype.commandUsage.call(this, cmd));
      },
      subcommandTerm(cmd) {
        return placeholders(Help.prototype.subcommandTerm.call(this, cmd));
      },
      optionDescription(option) {
        return extraInfo(Help.prototype.optionDescription.call(this, option));
      },
      argumentDescription(argument) {
        return extraInfo(Help.prototype.argumentDescription.call(this, argument));
      },
    })
    .helpOption("-h, --help", "diese Hilfe anzeigen")
    .helpCommand("help [befehl]", "Hilfe zu einem Befehl anzeigen")
    .version(version, "-V, --version", "die Versionsnummer ausgeben");
}

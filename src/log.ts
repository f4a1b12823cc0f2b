import pino from "pino";

export type Logger = pino.Logger;

/** JSON logs on stderr, so stdout stays free for machine output. Secrets are redacted by key. */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      base: { app: "lotse" },
      redact: {
        paths: [
          "databaseUrl",
          "*.databaseUrl",
          "password",
          "*.password",
          "token",
          "*.token",
          "authorization",
          "clientSecret",
          "botToken",
          "appToken",
          "signingSecret",
          "*.botToken",
          "*.appToken",
          "*.signingSecret",
          "*.clientSecret",
          "*.*.clientSecret",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = pino({ level: "silent" });

/** Removes the password from a connection string before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "[unparsable url]";
  }
}

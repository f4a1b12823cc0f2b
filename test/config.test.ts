import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, loadConfig } from "../src/config.ts";
import { SECRET_MIN_LENGTH } from "../src/config-secrets.ts";
import { LotseError } from "../src/errors.ts";

// Shaped like the real values (lengths and alphabets), but made up.
const BOT_TOKEN = "xoxb-2847193650-9182736450-Qm7Zr2Xk9Lp4Vt8Nw3Hy6Bd1";
const APP_TOKEN =
  "xapp-1-A07LOTSE9KQ-7391826450193-3f9a1c7e5b2d8064a7c3e91f5d2b6a08c4e7f1a3d9b5c2e8f6a4d1b7c3e9f5a2";
const SIGNING_SECRET = "4c9e2a7f1b8d3e6a0f5c2b9d7e4a1f38";
const TEAMS_SECRET = "Vq78Q~kR3zT.p9Lw_2xN5mB8vH4cJ6dF1gS0aYeU";
const TEAMS_IDS = {
  TEAMS_CLIENT_ID: "8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b",
  TEAMS_TENANT_ID: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10",
};

/** The CONFIG_INVALID message for an environment that must be refused. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env, "/tmp");
  } catch (err) {
    expect(err).toBeInstanceOf(LotseError);
    expect((err as LotseError).code).toBe("CONFIG_INVALID");
    return (err as LotseError).message;
  }
  return expect.unreachable("configuration accepted");
}

/** Every run of 4 characters of the value after its public prefix (xoxp-, xapp-, …): none may be in the message. */
function fragments(value: string): string[] {
  const tail = value.replace(/^(xoxe\.)?(xox[a-z]|xapp)-/, "");
  return Array.from({ length: Math.max(0, tail.length - 3) }, (_, i) => tail.slice(i, i + 4));
}

describe("loadConfig", () => {
  it("has working defaults for the embedded setup", () => {
    const c = loadConfig({}, "/srv/lotse");
    expect(c.port).toBe(3978);
    expect(c.dataDir).toBe("/srv/lotse/data");
    expect(c.defaultTenant).toBe("musterstadt");
    expect(c.databaseUrl).toBeUndefined();
    expect(c.autoIngest).toBe(true);
    expect(c.tenantMap).toEqual([]);
  });

  it("does not auto-ingest against a server unless asked", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@db:5432/lotse" }).autoIngest).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: "postgres://u@db:5432/lotse", LOTSE_AUTO_INGEST: "true" }).autoIngest,
    ).toBe(true);
  });

  it("parses the tenant mapping", () => {
    const c = loadConfig({
      LOTSE_TENANT_MAP: "teams:72f988bf-86f1=musterstadt; slack:T0123ABC=beispielkreis",
    });
    expect(c.tenantMap).toEqual([
      { platform: "teams", externalId: "72f988bf-86f1", tenant: "musterstadt" },
      { platform: "slack", externalId: "T0123ABC", tenant: "beispielkreis" },
    ]);
  });

  it.each([
    ["PORT", "achtzig"],
    ["DATABASE_URL", "mysql://x"],
    ["LOTSE_TENANT_MAP", "musterstadt"],
    ["LOTSE_MIN_CONFIDENCE", "2"],
    ["LOTSE_DEFAULT_TENANT", "Muster Stadt"],
  ])("names the variable %s when its value is bad", (name, value) => {
    try {
      loadConfig({ [name]: value });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LotseError);
      expect((err as LotseError).code).toBe("CONFIG_INVALID");
      expect((err as LotseError).message).toContain(name);
    }
  });
});

describe("confidence floors", () => {
  it("answers with a note of doubt from 0.33, never above the floor of sure answers", () => {
    expect(loadConfig({}, "/tmp").tentativeConfidence).toBe(0.33);
    expect(loadConfig({ LOTSE_MIN_CONFIDENCE: "0.3" }, "/tmp").tentativeConfidence).toBe(0.3);
    expect(loadConfig({ LOTSE_TENTATIVE_CONFIDENCE: "0.4" }, "/tmp").tentativeConfidence).toBe(0.4);
    expect(() => loadConfig({ LOTSE_TENTATIVE_CONFIDENCE: "0.5" }, "/tmp")).toThrow(
      /LOTSE_TENTATIVE_CONFIDENCE \(0.5\) liegt über LOTSE_MIN_CONFIDENCE \(0.4\)/,
    );
  });
});

describe("Teams configuration", () => {
  it("takes the three Bot credentials together or not at all", () => {
    const env = {
      TEAMS_CLIENT_ID: "8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b",
      TEAMS_CLIENT_SECRET: TEAMS_SECRET,
    };
    expect(() => loadConfig(env, "/tmp")).toThrow(/TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID/);
    const full = loadConfig({ ...env, TEAMS_TENANT_ID: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10" }, "/tmp");
    expect(full.teamsAuth?.clientId).toBe("8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b");
    expect(loadConfig({}, "/tmp").teamsAuth).toBeUndefined();
  });

  it("names the variable when a Teams id is not a GUID", () => {
    expect(() => loadConfig({ TEAMS_TENANT_ID: "musterstadt" }, "/tmp")).toThrow(
      /TEAMS_TENANT_ID: eine GUID/,
    );
  });
});

describe("secrets in configuration errors", () => {
  it.each([
    [
      "SLACK_BOT_TOKEN",
      "xoxp-2847193650-9182736450-5647382910-a8f3c2e1d4b5a697b8c9d0e1f2a3b4c5",
      /User-Token \(xoxp-…\).*xoxb-/,
    ],
    ["SLACK_BOT_TOKEN", "xoxb-2847193650-91827", /zu kurz.*mindestens 40 Zeichen/],
    ["SLACK_BOT_TOKEN", APP_TOKEN, /App-Level-Token.*SLACK_APP_TOKEN/],
    ["SLACK_BOT_TOKEN", `${BOT_TOKEN}\n`, /Leerzeichen, Zeilenumbrüche/],
    ["SLACK_BOT_TOKEN", "Qm7Zr2Xk9Lp4Vt8Nw3Hy6Bd1Qm7Zr2Xk9Lp4Vt8Nw3", /beginnt mit xoxb-/],
    ["SLACK_APP_TOKEN", BOT_TOKEN, /Bot-Token \(xoxb-…\).*SLACK_BOT_TOKEN/],
    ["SLACK_APP_TOKEN", "xapp-1-A07LOTSE9KQ-7391826450193-3f9a", /zu kurz.*mindestens 50 Zeichen/],
    ["SLACK_SIGNING_SECRET", "Zp4Kq9Wm2Xr7Tb5Nc8Vd3Hy", /zu kurz.*32 Hexadezimalzeichen.*Verification Token/],
    ["SLACK_SIGNING_SECRET", "4c9e2a7f-1b8d-3e6a-0f5c-2b9d7e4a1f38", /nur Buchstaben und Ziffern/],
    ["SLACK_SIGNING_SECRET", BOT_TOKEN, /Slack-Token/],
    ["TEAMS_CLIENT_SECRET", "b1e7c3d9-4f2a-4e8b-9c6d-0a5f3e7b2c1d", /ID des geheimen Clientschlüssels.*Wert/],
    ["TEAMS_CLIENT_SECRET", "Vq78Q~kR3zT.p9", /zu kurz.*Zertifikate & Geheimnisse/],
  ])("%s: names the variable and the expected shape, never the value (%#)", (name, value, shape) => {
    const slack: Record<string, string> = name.startsWith("SLACK_")
      ? { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET }
      : {};
    const teams: Record<string, string> = name.startsWith("TEAMS_") ? TEAMS_IDS : {};
    const message = refusal({ ...slack, ...teams, [name]: value });
    expect(message).toContain(`${name}:`);
    expect(message).toMatch(shape);
    expect(message).toContain("Wert nicht angezeigt");
    expect(message).not.toContain("aktueller Wert");
    for (const part of fragments(value)) expect(message).not.toContain(part);
  });

  it("masks the password of a bad DATABASE_URL and shows no value that carries credentials without a scheme", () => {
    const url = refusal({ DATABASE_URL: "mysql://lotse:Pa55-Wort7@db.intern:3306/lotse" });
    expect(url).toContain('aktueller Wert: "mysql://lotse:***@db.intern:3306/lotse"');
    expect(url).not.toContain("Pa55");
    const bare = refusal({ DATABASE_URL: "lotse:Pa55-Wort7@db.intern/lotse" });
    expect(bare).toContain("DATABASE_URL: eine PostgreSQL-URL");
    expect(bare).not.toContain("Pa55");
  });

  it("shows no value of a Teams or Slack variable, and nothing secret-like elsewhere (a secret in the wrong place)", () => {
    const secretValue = "Vq78Q~kR3zT.p9mXb2LwY6nF0sJd4HgA1cE5uI";
    const inId = refusal({
      ...TEAMS_IDS,
      TEAMS_CLIENT_SECRET: "Vq78Q~kR3zT.p9mXb2LwY6nF0sJd4HgA1",
      TEAMS_CLIENT_ID: secretValue,
    });
    expect(inId).toContain("TEAMS_CLIENT_ID:");
    for (const part of fragments(secretValue)) expect(inId).not.toContain(part);
    const inUrl = refusal({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: SIGNING_SECRET,
    });
    expect(inUrl).toContain("SLACK_API_URL:");
    for (const part of fragments(SIGNING_SECRET)) expect(inUrl).not.toContain(part);
    const inMap = refusal({ LOTSE_TENANT_MAP: `teams=${secretValue}` });
    for (const part of fragments(secretValue)) expect(inMap).not.toContain(part);
  });

  it("accepts TEAMS_SERVICE_HOSTS with a leading *. only", () => {
    expect(
      loadConfig({ TEAMS_SERVICE_HOSTS: "smba.example.net, *.botframework.us" }).teamsServiceHosts,
    ).toEqual(["smba.example.net", "*.botframework.us"]);
    expect(refusal({ TEAMS_SERVICE_HOSTS: "smba*.net" })).toMatch(/TEAMS_SERVICE_HOSTS: .*nur ganz vorn/);
  });

  it("still quotes a bad value that is not secret, with zod's messages in German", () => {
    expect(refusal({ PORT: "achtzig" })).toMatch(/PORT: .*Zahl.*aktueller Wert: "achtzig"/);
    expect(refusal({ TEAMS_APP_NAME: "x".repeat(31) })).toMatch(/TEAMS_APP_NAME: Zu groß/);
  });

  it("accepts real-shaped secrets, the minimum lengths included", () => {
    const http = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(http.slack).toMatchObject({ mode: "http", botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    // Slack's documented example secret, and a bot token with token rotation enabled.
    const rotated = `xoxe.xoxb-1-${"MS0yLTI4NDcxOTM2NTAtOTE4MjczNjQ1MC0".repeat(3)}`;
    expect(
      loadConfig({ SLACK_BOT_TOKEN: rotated, SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5" })
        .slack,
    ).toMatchObject({ botToken: rotated });
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN }).slack?.mode).toBe("socket");
    const shortest = {
      SLACK_BOT_TOKEN: `xoxb-1-2-${"a".repeat(SECRET_MIN_LENGTH.SLACK_BOT_TOKEN - 9)}`,
      SLACK_APP_TOKEN: `xapp-1-${"a".repeat(SECRET_MIN_LENGTH.SLACK_APP_TOKEN - 7)}`,
      SLACK_SIGNING_SECRET: "a".repeat(SECRET_MIN_LENGTH.SLACK_SIGNING_SECRET),
    };
    expect(loadConfig(shortest).slack?.mode).toBe("socket");
    const teams = loadConfig({ ...TEAMS_IDS, TEAMS_CLIENT_SECRET: TEAMS_SECRET });
    expect(teams.teamsAuth?.clientSecret).toBe(TEAMS_SECRET);
  });
});

/** A pseudonym key as an operator makes one (openssl rand -hex 32). */
const KEY = { LOTSE_PSEUDONYM_KEY: "5f0c2e8a9b7d4c3e1a6f8b2d0c9e7a5b3d1f6e8c0a2b4d6e8f0a1c3e5b7d9f1a" };

describe("Teams start-up checks, before any database is opened", () => {
  it("refuses NODE_ENV=production without Bot credentials, naming the variables", () => {
    expect(refusal({ NODE_ENV: "production" })).toMatch(
      /NODE_ENV=production, aber die Teams-Zugangsdaten fehlen: Setzen Sie TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID/,
    );
  });

  it("accepts unauthenticated Teams only on a loopback HOST or with NODE_ENV=development/test", () => {
    expect(refusal({ HOST: "0.0.0.0" })).toMatch(
      /nur lokal \(HOST=127\.0\.0\.1, aktuell 0\.0\.0\.0\) oder mit NODE_ENV=development/,
    );
    for (const HOST of ["127.0.0.1", "::1", "localhost"])
      expect(loadConfig({ HOST }).teamsAuth).toBeUndefined();
    for (const NODE_ENV of ["development", "test"])
      expect(loadConfig({ HOST: "0.0.0.0", NODE_ENV }).host).toBe("0.0.0.0");
  });

  it("does not apply without Teams or with Bot credentials", () => {
    expect(
      loadConfig({ LOTSE_TEAMS_ENABLED: "false", NODE_ENV: "production", HOST: "0.0.0.0", ...KEY })
        .teamsEnabled,
    ).toBe(false);
    const auth = {
      ...TEAMS_IDS,
      TEAMS_CLIENT_SECRET: TEAMS_SECRET,
      NODE_ENV: "production",
      HOST: "0.0.0.0",
      ...KEY,
    };
    expect(loadConfig(auth).teamsAuth?.clientId).toBe(TEAMS_IDS.TEAMS_CLIENT_ID);
  });
});

describe("pseudonym key in production", () => {
  it("refuses NODE_ENV=production without LOTSE_PSEUDONYM_KEY, naming it and how to make one, never a value", () => {
    const message = refusal({ NODE_ENV: "production", LOTSE_TEAMS_ENABLED: "false" });
    expect(message).toMatch(/NODE_ENV=production, aber LOTSE_PSEUDONYM_KEY fehlt/);
    expect(message).toContain("openssl rand -hex 32");
    expect(loadConfig({ NODE_ENV: "production", LOTSE_TEAMS_ENABLED: "false", ...KEY }).pseudonymKey).toBe(
      KEY.LOTSE_PSEUDONYM_KEY,
    );
  });

  it("keeps the key optional outside production (a random one is kept in the database)", () => {
    expect(loadConfig({}).pseudonymKey).toBeUndefined();
    expect(loadConfig({ NODE_ENV: "development" }).pseudonymKey).toBeUndefined();
  });
});

describe(".env.example", () => {
  it("documents every variable that config.ts reads, and no other", () => {
    const text = readFileSync(path.join(import.meta.dirname, "../.env.example"), "utf8");
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});

describe("Agents SDK variables", () => {
  it("refuses settings of the Agents SDK that would change the Teams sign-in, before any database opens", () => {
    expect(() => loadConfig({ clientId: "00000000-0000-0000-0000-000000000001" })).toThrow(
      /clientId: diese Variablen des Agents SDK/,
    );
    expect(() => loadConfig({ clientId: "x", LOTSE_TEAMS_ENABLED: "false" })).not.toThrow();
  });
});

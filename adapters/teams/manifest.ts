/**
 * The Teams app manifest (manifest.json of the app package, `npm run teams:package`): one bot, the Azure Bot
 * registration's app id, in personal chats, group chats and team channels. German texts; publisher and links from
 * the configuration (TEAMS_APP_NAME, TEAMS_DEVELOPER_NAME, TEAMS_*_URL).
 */
import type { Config } from "../../src/config.ts";
import { ACCENT_COLOR } from "./icons.ts";

export const MANIFEST_VERSION = "1.22";
export const MANIFEST_SCHEMA = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** File names of the icons inside the package (root of the zip, next to manifest.json). */
export const ICON_FILES = { color: "color.png", outline: "outline.png" } as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The schema's pattern for `version`: three numbers without leading zeros, nothing else. */
const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

const SHORT_DESCRIPTION = "Nachhaltigkeitsfragen der Verwaltung kurz beantwortet, mit Quellen.";
const FULL_DESCRIPTION =
  "Lotse ist der Nachhaltigkeitsassistent für die Beschäftigten der Verwaltung. Stellen Sie eine Frage in ganzen " +
  "Sätzen, zum Beispiel „Welche Kriterien gelten für die Beschaffung von Laptops?“ oder „Bis wann muss die " +
  "Wärmeplanung fertig sein?“. Lotse antwortet kurz aus einer kuratierten Wissensbasis – Leitfäden zum kommunalen " +
  "Nachhaltigkeitsmanagement, Vergaberecht und Klimapflichten sowie die Ziele, Regeln und Ansprechpersonen Ihrer " +
  "Kommune – und nennt die Quellen, die passenden Ziele, nächste Schritte und die zuständige Ansprechperson. " +
  "Deckt die Wissensbasis eine Frage nicht ab, sagt Lotse das offen und nennt, wer weiterhelfen kann; Lotse " +
  "erfindet nichts. In Kanälen und Gruppenchats erwähnen Sie Lotse mit @.";

/** Example commands Teams suggests in the compose box (title ≤ 32, description ≤ 128 characters). */
const COMMANDS = [
  { title: "hilfe", description: "Zeigt, wie Sie Lotse fragen und was Lotse beantwortet." },
  {
    title: "Kriterien für Laptops",
    description: "Welche Nachhaltigkeitskriterien gelten für die Beschaffung von Laptops und IT-Hardware?",
  },
  { title: "Frist der Wärmeplanung", description: "Bis wann muss die kommunale Wärmeplanung fertig sein?" },
];

const SCOPES = ["personal", "team", "groupChat"] as const;

export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  localizationInfo: { defaultLanguageTag: string };
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: {
    botId: string;
    scopes: (typeof SCOPES)[number][];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists: { scopes: (typeof SCOPES)[number][]; commands: { title: string; description: string }[] }[];
  }[];
  validDomains: string[];
}

/**
 * The manifest object for the app package. `clientId` is the app id of the single-tenant Azure Bot registration
 * (TEAMS_CLIENT_ID); it is both the Teams app id and the bot id. `version` is the package version (x.y.z).
 */
export function buildManifest(app: Config["teamsApp"], clientId: string, version: string): TeamsManifest {
  if (!GUID.test(clientId))
    throw new Error(`TEAMS_CLIENT_ID muss eine GUID sein (aktueller Wert: ${JSON.stringify(clientId)}).`);
  if (!VERSION.test(version))
    throw new Error(
      `Die Version ${JSON.stringify(version)} passt nicht zum Teams-Manifest: erlaubt sind drei Zahlen wie 1.2.3.`,
    );
  const fullName = `${app.name} – Nachhaltigkeitsassistent`;
  return {
    $schema: MANIFEST_SCHEMA,
    manifestVersion: MANIFEST_VERSION,
    version,
    id: clientId,
    localizationInfo: { defaultLanguageTag: "de-de" },
    developer: {
      name: app.developerName,
      websiteUrl: app.websiteUrl,
      privacyUrl: app.privacyUrl,
      termsOfUseUrl: app.termsUrl,
    },
    name: { short: app.name, full: fullName.length <= 100 ? fullName : app.name },
    description: { short: SHORT_DESCRIPTION, full: FULL_DESCRIPTION },
    icons: { color: ICON_FILES.color, outline: ICON_FILES.outline },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: clientId,
        scopes: [...SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: [...SCOPES], commands: COMMANDS.map((c) => ({ ...c })) }],
      },
    ],
    validDomains: [],
  };
}

/**
 * `npm run teams:package`: writes the Teams app package (manifest.json, color.png, outline.png at the root of a
 * zip) from the configuration, for upload in Teams or the Teams admin center. Default output dist/lotse-teams.zip;
 * `-- --out FILE` writes elsewhere. Exit code 2 when the configuration is invalid or TEAMS_CLIENT_ID is missing.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { strToU8, zipSync } from "fflate";
import { colorIcon, outlineIcon } from "../adapters/teams/icons.ts";
import { buildManifest, ICON_FILES } from "../adapters/teams/manifest.ts";
import { loadConfig, loadDotEnv } from "../src/config.ts";
import { LotseError } from "../src/errors.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const DEFAULT_OUT = path.join(ROOT, "dist", "lotse-teams.zip");

const HELP = `Aufruf: npm run teams:package [-- --out DATEI]

Baut das Teams-App-Paket für Lotse: eine ZIP-Datei mit manifest.json (Teams-Manifest 1.22),
color.png (192×192) und outline.png (32×32). Die Symbole werden beim Bauen erzeugt.

Das Paket laden Sie in Teams hoch (Apps → Apps verwalten → App hochladen) oder stellen es im
Teams Admin Center für die ganze Verwaltung bereit.

Optionen:
  --out DATEI   Zieldatei (Standard: dist/lotse-teams.zip)
  --help        diese Hilfe

Konfiguration (Umgebung oder .env, siehe .env.example):
  TEAMS_CLIENT_ID        App-ID der Azure-Bot-Registrierung (Single Tenant), Pflicht;
                         sie wird App-ID und Bot-ID im Manifest. Wie beim Server gehören
                         TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID dazu.
  TEAMS_APP_NAME         Name der App in Teams (höchstens 30 Zeichen, Standard: Lotse)
  TEAMS_DEVELOPER_NAME   Herausgeber, z. B. Stadt Musterstadt
  TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL
                         Website, Datenschutzerklärung und Nutzungsbedingungen (https)

Die Version des Manifests ist die Version aus package.json.
Exit-Code 2: Konfiguration ungültig oder TEAMS_CLIENT_ID fehlt.
`;

const OPTIONS = { out: { type: "string" }, help: { type: "boolean" } } as const;

function parseCli() {
  return parseArgs({ options: OPTIONS, allowPositionals: false });
}

/** A path as the user would type it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

function fail(message: string, code = 2): number {
  process.stderr.write(`${message}\n`);
  return code;
}

function main(): number {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli();
  } catch (err) {
    return fail(`Unbekannter Aufruf (${err instanceof Error ? err.message : String(err)}).\n\n${HELP}`);
  }
  if (args.values.help) {
    process.stdout.write(HELP);
    return 0;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    return fail(err instanceof LotseError ? err.message : String(err));
  }
  const clientId = config.teamsAuth?.clientId;
  if (!clientId)
    return fail(
      "TEAMS_CLIENT_ID fehlt: Das Teams-App-Paket braucht die App-ID der Azure-Bot-Registrierung. " +
        "Setzen Sie TEAMS_CLIENT_ID (mit TEAMS_CLIENT_SECRET und TEAMS_TENANT_ID) in .env oder in der Umgebung " +
        "und rufen Sie npm run teams:package erneut auf.",
    );

  const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  let manifest: ReturnType<typeof buildManifest>;
  try {
    manifest = buildManifest(config.teamsApp, clientId, version);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }

  const zip = zipSync({
    "manifest.json": strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
    [ICON_FILES.color]: colorIcon(),
    [ICON_FILES.outline]: outlineIcon(),
  });
  const out = args.values.out ? path.resolve(args.values.out) : DEFAULT_OUT;
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zip);
  process.stdout.write(
    `Teams-App-Paket geschrieben: ${shown(out)}\n` +
      `  App ${manifest.name.short} ${manifest.version}, App-/Bot-ID ${manifest.id}, Herausgeber ${manifest.developer.name}\n`,
  );
  return 0;
}

process.exitCode = main();

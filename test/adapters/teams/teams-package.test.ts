import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32, inflateSync } from "node:zlib";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COLOR_ICON_SIZE, colorIcon, OUTLINE_ICON_SIZE, outlineIcon } from "../../../adapters/teams/icons.ts";
import { buildManifest, MANIFEST_SCHEMA } from "../../../adapters/teams/manifest.ts";
import { loadConfig } from "../../../src/config.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SCRIPT = path.join(ROOT, "scripts/teams-package.ts");
const CLIENT_ID = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const teamsApp = loadConfig({}, ROOT).teamsApp;

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlace: number;
  /** Straight RGBA, 4 bytes per pixel. */
  pixels: Uint8Array;
}

/** Decodes an 8-bit RGBA, non-interlaced PNG, checking the signature and every chunk's CRC. */
function decodePng(bytes: Uint8Array): Png {
  const buf = Buffer.from(bytes);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("ascii", offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    expect(buf.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(
      crc32(buf.subarray(offset + 4, offset + 8 + length)),
    );
    types.push(type);
    if (type === "IHDR") ihdr = data;
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe("IHDR");
  expect(types.at(-1)).toBe("IEND");
  if (!ihdr) throw new Error("no IHDR");
  const png = {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8] as number,
    colourType: ihdr[9] as number,
    interlace: ihdr[12] as number,
  };
  const raw = inflateSync(Buffer.concat(idat));
  const stride = png.width * 4;
  expect(raw.length).toBe((stride + 1) * png.height);
  const pixels = new Uint8Array(stride * png.height);
  for (let y = 0; y < png.height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] as number;
      const left = x >= 4 ? (pixels[y * stride + x - 4] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const upLeft = x >= 4 && y > 0 ? (pixels[(y - 1) * stride + x - 4] as number) : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else expect(filter).toBe(0);
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { ...png, pixels };
}

function pixel(png: Png, x: number, y: number): [number, number, number, number] {
  const i = (y * png.width + x) * 4;
  return [...png.pixels.subarray(i, i + 4)] as [number, number, number, number];
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Only PATH from the parent: no TEAMS_* of the developer's shell, and cwd has no .env.
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("Teams app manifest", () => {
  const manifest = buildManifest(teamsApp, CLIENT_ID, "0.1.0");

  it("has the schema, version, ids and the publisher from the configuration", () => {
    expect(manifest.$schema).toBe(MANIFEST_SCHEMA);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    expect(manifest.manifestVersion).toBe("1.22");
    expect(manifest.version).toBe("0.1.0");
    expect(manifest.id).toBe(CLIENT_ID);
    expect(manifest.developer).toEqual({
      name: teamsApp.developerName,
      websiteUrl: teamsApp.websiteUrl,
      privacyUrl: teamsApp.privacyUrl,
      termsOfUseUrl: teamsApp.termsUrl,
    });
    expect(manifest.name.short).toBe(teamsApp.name);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    expect(manifest.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
    expect(manifest.validDomains).toEqual([]);
  });

  it("describes the app in German within Teams' limits", () => {
    expect(manifest.description.short.length).toBeGreaterThan(0);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.description.full).toContain("Nachhaltigkeit");
    expect(manifest.localizationInfo.defaultLanguageTag).toBe("de-de");
  });

  it("declares one conversational bot with the Azure Bot's app id in all three scopes", () => {
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots[0];
    expect(bot?.botId).toBe(CLIENT_ID);
    expect(bot?.scopes).toEqual(["personal", "team", "groupChat"]);
    expect(bot?.supportsFiles).toBe(false);
    expect(bot?.isNotificationOnly).toBe(false);
    const commands = bot?.commandLists.flatMap((l) => l.commands) ?? [];
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands.length).toBeLessThanOrEqual(3);
    expect(commands.map((c) => c.title)).toContain("hilfe");
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
  });

  it("uses the configured app name and refuses an id that is not a GUID or a version Teams rejects", () => {
    const custom = buildManifest({ ...teamsApp, name: "Nachhaltig fragen" }, CLIENT_ID, "2.10.0");
    expect(custom.name.short).toBe("Nachhaltig fragen");
    expect(() => buildManifest(teamsApp, "not-a-guid", "0.1.0")).toThrow(/TEAMS_CLIENT_ID/);
    expect(() => buildManifest(teamsApp, CLIENT_ID, "1.0.0-beta.1")).toThrow(/Version/);
  });
});

describe("Teams app icons", () => {
  it("color.png is a 192×192 RGBA PNG, opaque, in the accent colour at the corners", () => {
    const png = decodePng(colorIcon());
    expect(png).toMatchObject({
      width: COLOR_ICON_SIZE,
      height: COLOR_ICON_SIZE,
      bitDepth: 8,
      colourType: 6,
      interlace: 0,
    });
    expect(COLOR_ICON_SIZE).toBe(192);
    expect(pixel(png, 0, 0)).toEqual([0x0e, 0x7c, 0x66, 255]);
    expect(pixel(png, 191, 191)).toEqual([0x0e, 0x7c, 0x66, 255]);
    expect(png.pixels.every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
    // The emblem is drawn: white appears.
    const white = png.pixels.some(
      (_, i) =>
        i % 4 === 0 && png.pixels[i] === 255 && png.pixels[i + 1] === 255 && png.pixels[i + 2] === 255,
    );
    expect(white).toBe(true);
  });

  it("outline.png is a 32×32 RGBA PNG, white where drawn and transparent elsewhere", () => {
    const png = decodePng(outlineIcon());
    expect(png).toMatchObject({
      width: OUTLINE_ICON_SIZE,
      height: OUTLINE_ICON_SIZE,
      bitDepth: 8,
      colourType: 6,
      interlace: 0,
    });
    expect(OUTLINE_ICON_SIZE).toBe(32);
    for (const [x, y] of [
      [0, 0],
      [31, 0],
      [0, 31],
      [31, 31],
      [16, 16], // the hub of the compass rose is cut out
    ] as const)
      expect(pixel(png, x, y)[3], `alpha at ${x},${y}`).toBe(0);
    let drawn = 0;
    let transparent = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      const alpha = png.pixels[i + 3] as number;
      if (alpha === 0) transparent++;
      else {
        drawn++;
        expect([png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]]).toEqual([255, 255, 255]);
      }
    }
    expect(drawn).toBeGreaterThan(100);
    expect(transparent).toBeGreaterThan(100);
  });

  it("draws the same bytes every time", () => {
    expect(Buffer.from(colorIcon()).equals(Buffer.from(colorIcon()))).toBe(true);
    expect(Buffer.from(outlineIcon()).equals(Buffer.from(outlineIcon()))).toBe(true);
  });
});

describe("npm run teams:package", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lotse-teams-package-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a zip with exactly manifest.json, color.png and outline.png at the root", async () => {
    const out = path.join(dir, "sub", "paket.zip");
    // The configuration takes the three Teams credentials together (src/config.ts).
    const { code, stdout, stderr } = await run(
      ["--out", out],
      {
        TEAMS_CLIENT_ID: CLIENT_ID,
        TEAMS_CLIENT_SECRET: "Vq78Q~kR3zT.p9Lw_2xN5mB8vH4cJ6dF1gS0aYeU",
        TEAMS_TENANT_ID: "11111111-2222-4333-8444-555555555555",
        TEAMS_APP_NAME: "Lotse Test",
      },
      dir,
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("paket.zip");
    const files = unzipSync(new Uint8Array(await readFile(out)));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(strFromU8(files["manifest.json"] as Uint8Array));
    const { version } = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8"));
    expect(manifest.id).toBe(CLIENT_ID);
    expect(manifest.bots[0].botId).toBe(CLIENT_ID);
    expect(manifest.version).toBe(version);
    expect(manifest.name.short).toBe("Lotse Test");
    expect(decodePng(files["color.png"] as Uint8Array)).toMatchObject({ width: 192, height: 192 });
    expect(decodePng(files["outline.png"] as Uint8Array)).toMatchObject({ width: 32, height: 32 });
  });

  it("stops with exit code 2 and names TEAMS_CLIENT_ID when it is missing", async () => {
    const out = path.join(dir, "fehlt.zip");
    const { code, stderr } = await run(["--out", out], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain("TEAMS_CLIENT_ID");
    await expect(readFile(out)).rejects.toThrow();
  });

  it("explains itself in German with --help", async () => {
    const { code, stdout } = await run(["--help"], {}, dir);
    expect(code).toBe(0);
    expect(stdout).toContain("Teams-App-Paket");
    expect(stdout).toContain("--out DATEI");
  });
});

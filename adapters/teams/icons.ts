/**
 * The two icons of the Teams app package, drawn in code (no binary files in the repository): a compass rose in a
 * ring — the "Lotse" (pilot) who shows the way. `color.png` is 192×192 with the emblem in white and amber on the
 * accent colour; `outline.png` is 32×32, white on transparent, as Teams requires. A minimal PNG encoder (RGBA, 8 bit,
 * no interlace) on node:zlib writes them.
 */
import { crc32, deflateSync } from "node:zlib";

/** Accent colour of the app (manifest `accentColor`, background of the colour icon). */
export const ACCENT_COLOR = "#0E7C66";

type Rgba = readonly [r: number, g: number, b: number, a: number];
type Point = readonly [x: number, y: number];
/** Whether a point in unit coordinates (0..1, y downwards) lies inside the shape. */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  shape: Shape;
  color: Rgba;
}

function hex(color: string, alpha = 255): Rgba {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, alpha];
}

const WHITE = hex("#FFFFFF");
const TRANSPARENT: Rgba = [0, 0, 0, 0];

const square: Shape = () => true;

function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function ring(cx: number, cy: number, outer: number, inner: number): Shape {
  return (x, y) => {
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    return d <= outer * outer && d >= inner * inner;
  };
}

/** Even-odd point-in-polygon test. */
function polygon(points: readonly Point[]): Shape {
  return (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i] as Point;
      const [xj, yj] = points[j] as Point;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((s) => s(x, y));
}

/** Maps the unit square onto a centred square of side `scale` (the emblem's safe area inside the icon). */
function scaled(shape: Shape, scale: number): Shape {
  const offset = (1 - scale) / 2;
  return (x, y) => shape((x - offset) / scale, (y - offset) / scale);
}

function polar(angleDeg: number, radius: number): Point {
  const a = (angleDeg * Math.PI) / 180;
  return [0.5 + radius * Math.cos(a), 0.5 + radius * Math.sin(a)];
}

const CENTRE: Point = [0.5, 0.5];

/**
 * One point of the compass rose as two triangles (left and right half), so that the halves can be shaded apart.
 * Angle 0° points east, -90° north (y grows downwards).
 */
function compassPoint(angleDeg: number, length: number, waist: number): { left: Shape; right: Shape } {
  const tip = polar(angleDeg, length);
  return {
    left: polygon([CENTRE, polar(angleDeg - 45, waist), tip]),
    right: polygon([CENTRE, tip, polar(angleDeg + 45, waist)]),
  };
}

const NORTH = -90;
const CARDINALS = [NORTH, 0, 90, 180];

/** The colour icon: accent background, white ring, four-point rose with shaded halves, amber north point. */
function colorLayers(): Layer[] {
  const light = WHITE;
  const shade = hex("#CDEBE4");
  const amber = hex("#FFC857");
  const amberShade = hex("#E89F0C");
  const emblem: Layer[] = [{ shape: ring(0.5, 0.5, 0.44, 0.37), color: light }];
  // Intercardinal points behind the main rose, in the shaded tone.
  for (const angle of [-135, -45, 45, 135]) {
    const p = compassPoint(angle, 0.3, 0.07);
    emblem.push({ shape: union(p.left, p.right), color: shade });
  }
  for (const angle of CARDINALS) {
    const p = compassPoint(angle, 0.5, 0.1);
    const north = angle === NORTH;
    emblem.push({ shape: p.left, color: north ? amber : light });
    emblem.push({ shape: p.right, color: north ? amberShade : shade });
  }
  emblem.push({ shape: circle(0.5, 0.5, 0.05), color: hex(ACCENT_COLOR) });
  // The emblem fills the central 130 px of 192, leaving the margin Teams crops or rounds.
  return [
    { shape: square, color: hex(ACCENT_COLOR) },
    ...emblem.map((l) => ({ shape: scaled(l.shape, 0.68), color: l.color })),
  ];
}

/** The outline icon: the same ring and four-point rose in white, the hub cut out, everything else transparent. */
function outlineLayers(): Layer[] {
  const rose = union(...CARDINALS.map((a) => compassPoint(a, 0.5, 0.17)).flatMap((p) => [p.left, p.right]));
  const hub = circle(0.5, 0.5, 0.075);
  const shape = union(ring(0.5, 0.5, 0.44, 0.35), rose);
  return [{ shape: (x, y) => shape(x, y) && !hub(x, y), color: WHITE }];
}

/**
 * Rasterises layers (painted in order, source-over) into straight RGBA, anti-aliased by sampling each pixel on a
 * `samples`×`samples` grid.
 */
export function rasterize(size: number, layers: Layer[], samples = 4): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied accumulation in 0..1.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of layers) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy++)
          for (let sx = 0; sx < samples; sx++)
            if (layer.shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits++;
        if (hits === 0) continue;
        const [cr, cg, cb, ca] = layer.color;
        const sa = (ca / 255) * (hits / (samples * samples));
        r = (cr / 255) * sa + r * (1 - sa);
        g = (cg / 255) * sa + g * (1 - sa);
        b = (cb / 255) * sa + b * (1 - sa);
        a = sa + a * (1 - sa);
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round((r / a) * 255);
        out[i + 1] = Math.round((g / a) * 255);
        out[i + 2] = Math.round((b / a) * 255);
        out[i + 3] = Math.round(a * 255);
      } else {
        [out[i], out[i + 1], out[i + 2], out[i + 3]] = TRANSPARENT;
      }
    }
  }
  return out;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes straight RGBA pixels (row by row, 4 bytes each) as a PNG: colour type 6, 8 bit, filter 0 on each row. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  if (rgba.length !== width * height * 4)
    throw new RangeError(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return new Uint8Array(
    Buffer.concat([
      PNG_SIGNATURE,
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(raw, { level: 9 })),
      chunk("IEND", new Uint8Array(0)),
    ]),
  );
}

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** color.png: 192×192, the emblem on the accent colour. */
export function colorIcon(): Uint8Array {
  return encodePng(COLOR_ICON_SIZE, COLOR_ICON_SIZE, rasterize(COLOR_ICON_SIZE, colorLayers()));
}

/** outline.png: 32×32, white on transparent. */
export function outlineIcon(): Uint8Array {
  return encodePng(OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE, rasterize(OUTLINE_ICON_SIZE, outlineLayers()));
}

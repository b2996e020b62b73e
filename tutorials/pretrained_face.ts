// The `pretrained` tutorial's test picture, drawn procedurally (so nothing binary is committed and every
// run sees the same pixels): a face — skin-coloured oval, hair, eyebrows, eyes with irises, a nose
// shadow and a mouth — on a soft background, 4×4 supersampled for smooth edges. Plus a small PNG encoder
// (zlib from Node) to embed the picture in the tutorial's SVG.
import * as zlib from 'zlib';

/** An RGB picture, values 0–255, row-major [height, width, 3]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Where the face is drawn (pixels), for the tutorial's check that the detection lands on it. */
export interface FaceLayout {
  cx: number;
  cy: number;
  /** Half-width and half-height of the face oval. */
  rx: number;
  ry: number;
}

type Rgb = [number, number, number];

interface Shape {
  /** Whether (x, y) is inside. */
  inside: (x: number, y: number) => boolean;
  color: Rgb;
}

const ellipse = (cx: number, cy: number, rx: number, ry: number, color: Rgb): Shape => ({
  inside: (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1,
  color,
});

/** The face for a square picture of `size` pixels, centred at (cx, cy) with half-width rx. */
function faceShapes(f: FaceLayout): Shape[] {
  const { cx, cy, rx, ry } = f;
  const skin: Rgb = [224, 172, 138];
  const eyeY = cy - 0.12 * ry;
  const eyeDx = 0.38 * rx;
  const shapes: Shape[] = [
    ellipse(cx, cy - 0.3 * ry, 1.08 * rx, 0.82 * ry, [70, 45, 30]), // hair behind the head
    ellipse(cx - 1.0 * rx, cy, 0.14 * rx, 0.22 * ry, [214, 160, 128]), // ears
    ellipse(cx + 1.0 * rx, cy, 0.14 * rx, 0.22 * ry, [214, 160, 128]),
    ellipse(cx, cy, rx, ry, skin),
    {
      // fringe: the hair covers the top of the oval
      inside: (x, y) =>
        ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 &&
        y < cy - 0.62 * ry + 0.1 * ry * Math.cos((x - cx) / (0.25 * rx)),
      color: [70, 45, 30],
    },
  ];
  for (const side of [-1, 1]) {
    const ex = cx + side * eyeDx;
    shapes.push(
      {
        inside: (x, y) =>
          Math.abs(x - ex) <= 0.2 * rx &&
          Math.abs(y - (eyeY - 0.17 * ry) + 0.03 * ry * Math.cos((x - ex) / (0.1 * rx))) <= 0.025 * ry,
        color: [60, 40, 28],
      }, // eyebrow
      ellipse(ex, eyeY, 0.17 * rx, 0.075 * ry, [245, 245, 240]), // eye white
      ellipse(ex, eyeY, 0.075 * rx, 0.07 * ry, [80, 55, 35]), // iris
      ellipse(ex, eyeY, 0.035 * rx, 0.035 * ry, [15, 10, 10]), // pupil
    );
  }
  shapes.push(
    ellipse(cx, cy + 0.16 * ry, 0.1 * rx, 0.05 * ry, [190, 130, 105]), // nose
    {
      // mouth: a crescent (the lower part of an ellipse minus an upper ellipse)
      inside: (x, y) =>
        ((x - cx) / (0.34 * rx)) ** 2 + ((y - (cy + 0.42 * ry)) / (0.12 * ry)) ** 2 <= 1 &&
        ((x - cx) / (0.34 * rx)) ** 2 + ((y - (cy + 0.36 * ry)) / (0.1 * ry)) ** 2 > 1,
      color: [170, 50, 60],
    },
  );
  return shapes;
}

/** The face's placement in a `size`×`size` picture. */
export function faceLayout(size: number): FaceLayout {
  return { cx: 0.5 * size, cy: 0.53 * size, rx: 0.27 * size, ry: 0.34 * size };
}

/**
 * Draws the test picture: `size`×`size` pixels, the face of `faceLayout(size)` on a vertical blue-grey
 * gradient with a shoulder silhouette. Deterministic (no randomness).
 */
export function drawFace(size: number): RgbImage {
  const layout = faceLayout(size);
  const shapes = faceShapes(layout);
  const shoulders = ellipse(layout.cx, size * 1.08, size * 0.48, size * 0.3, [60, 80, 120]);
  const neck = ellipse(
    layout.cx,
    layout.cy + layout.ry * 1.05,
    layout.rx * 0.45,
    layout.ry * 0.4,
    [205, 150, 120],
  );
  const all = [shoulders, neck, ...shapes];
  const data = new Float32Array(size * size * 3);
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = px + (sx + 0.5) / ss;
          const y = py + (sy + 0.5) / ss;
          const t = y / size;
          let c: Rgb = [200 - 60 * t, 210 - 50 * t, 225 - 30 * t];
          for (const s of all) if (s.inside(x, y)) c = s.color;
          for (let k = 0; k < 3; k++) acc[k] = (acc[k] as number) + (c[k] as number);
        }
      }
      for (let k = 0; k < 3; k++) data[(py * size + px) * 3 + k] = Math.round((acc[k] as number) / (ss * ss));
    }
  }
  return { width: size, height: size, data };
}

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(body).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/** Encodes an RGB picture as an 8-bit PNG (filter 0 on every row, deflated by zlib). */
export function encodePng(img: RgbImage): Buffer {
  const { width, height, data } = img;
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0;
    for (let i = 0; i < width * 3; i++) {
      raw[row + 1 + i] = Math.max(0, Math.min(255, Math.round(data[y * width * 3 + i] as number)));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

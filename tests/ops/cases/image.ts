import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * tf.image resize ops (issue 18): ResizeBilinear and ResizeNearestNeighbor for every legal combination of
 * align_corners / half_pixel_centers, up- and down-sampling, non-square sizes, several channels and
 * batches, a fed size, and int32 images. The float64 references below follow TF's documented coordinate
 * rules (image_resizer_state.h: scale (in-1)/(out-1) with align_corners and out > 1, else in/out; source
 * x*scale, or (x+0.5)*scale-0.5 for bilinear with half_pixel_centers, (x+0.5)*scale for nearest), with
 * the scale and source coordinate rounded to float32 as TF computes them. Gradients (ResizeBilinearGrad,
 * ResizeNearestNeighborGrad) are checked numerically.
 */
const f32 = Math.fround;

function scaleOf(inSize: number, outSize: number, align: boolean): number {
  return align && outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : f32(inSize / outSize);
}

/** Bilinear source positions along one axis: [low index, high index, weight of high]. */
function linearAxis(
  inSize: number,
  outSize: number,
  align: boolean,
  half: boolean,
): [number, number, number][] {
  const s = scaleOf(inSize, outSize, align);
  const res: [number, number, number][] = [];
  for (let o = 0; o < outSize; o++) {
    const src = half ? f32(f32((o + 0.5) * s) - 0.5) : f32(o * s);
    const lo = Math.floor(src);
    res.push([Math.max(lo, 0), Math.min(Math.ceil(src), inSize - 1), src - lo]);
  }
  return res;
}

function nearestAxis(inSize: number, outSize: number, align: boolean, half: boolean): number[] {
  const s = scaleOf(inSize, outSize, align);
  const res: number[] = [];
  for (let o = 0; o < outSize; o++) {
    const src = half ? f32((o + 0.5) * s) : f32(o * s);
    const k = align ? Math.round(src) : Math.floor(src);
    res.push(Math.min(Math.max(k, 0), inSize - 1));
  }
  return res;
}

function px(x: NDArray, b: number, y: number, xx: number, c: number): number {
  const [, H, W, C] = x.shape as [number, number, number, number];
  return x.data[((b * H + y) * W + xx) * C + c] as number;
}

function refBilinear(x: NDArray, oh: number, ow: number, align: boolean, half: boolean): NDArray {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const ys = linearAxis(H, oh, align, half);
  const xs = linearAxis(W, ow, align, half);
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (const [y0, y1, wy] of ys)
      for (const [x0, x1, wx] of xs)
        for (let c = 0; c < C; c++) {
          const v00 = px(x, b, y0, x0, c);
          const v01 = px(x, b, y0, x1, c);
          const v10 = px(x, b, y1, x0, c);
          const v11 = px(x, b, y1, x1, c);
          out.push((1 - wy) * ((1 - wx) * v00 + wx * v01) + wy * ((1 - wx) * v10 + wx * v11));
        }
  return new NDArray(Float64Array.from(out), [B, oh, ow, C], 'float32');
}

function refNearest(x: NDArray, oh: number, ow: number, align: boolean, half: boolean): NDArray {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const ys = nearestAxis(H, oh, align, half);
  const xs = nearestAxis(W, ow, align, half);
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (const y of ys) for (const xx of xs) for (let c = 0; c < C; c++) out.push(px(x, b, y, xx, c));
  return new NDArray(Float64Array.from(out), [B, oh, ow, C], x.dtype);
}

type Mode = [align: boolean, half: boolean, label: string];
const MODES: Mode[] = [
  [false, false, 'legacy'],
  [true, false, 'alignCorners'],
  [false, true, 'halfPixelCenters'],
];
/** [input shape, output size]: upsampling, downsampling, mixed, non-integer ratios, size-1 outputs. */
const SIZES: [number[], [number, number]][] = [
  [
    [2, 3, 4, 2],
    [5, 7],
  ],
  [
    [1, 5, 7, 1],
    [2, 3],
  ],
  [
    [1, 4, 3, 3],
    [6, 2],
  ],
  [
    [1, 3, 3, 1],
    [1, 1],
  ],
];

const resizeCases: OpCase[] = [];
let seed = 300;
for (const [align, half, label] of MODES) {
  for (const [shape, [oh, ow]] of SIZES) {
    const x = randomArray(shape, seed++, -2, 2);
    const tag = `[${shape.join(',')}]->[${oh},${ow}] ${label}`;
    resizeCases.push({
      name: `ResizeBilinear ${tag}`,
      ops: ['ResizeBilinear'],
      inputs: [x],
      build: (t) => tf.image.resizeBilinear(t, [oh, ow], align, undefined, half),
      reference: (v) => refBilinear(v, oh, ow, align, half),
      shape: [shape[0] as number, oh, ow, shape[3] as number],
    });
    resizeCases.push({
      name: `ResizeNearestNeighbor ${tag}`,
      ops: ['ResizeNearestNeighbor'],
      inputs: [x],
      build: (t) =>
        tf.image.resizeNearestNeighbor(t, [oh, ow], { alignCorners: align, halfPixelCenters: half }),
      reference: (v) => refNearest(v, oh, ow, align, half),
      shape: [shape[0] as number, oh, ow, shape[3] as number],
    });
  }
}

const fedSize = new NDArray(Int32Array.from([4, 5]), [2], 'int32');
resizeCases.push(
  {
    name: 'ResizeBilinear fed size [1,3,2,2]->[4,5] alignCorners',
    ops: ['ResizeBilinear'],
    inputs: [randomArray([1, 3, 2, 2], 330), fedSize],
    build: (t, size) => tf.image.resizeBilinear(t, size as tf.Tensor, { alignCorners: true }),
    reference: (v) => refBilinear(v, 4, 5, true, false),
    shape: [1, null, null, 2],
    grad: { wrt: [0] },
  },
  {
    name: 'ResizeNearestNeighbor fed size [2,2,3,1]->[4,5] halfPixelCenters',
    ops: ['ResizeNearestNeighbor'],
    inputs: [randomArray([2, 2, 3, 1], 331), fedSize],
    build: (t, size) => tf.image.resizeNearestNeighbor(t, size as tf.Tensor, false, 'nn', true),
    reference: (v) => refNearest(v, 4, 5, false, true),
    shape: [2, null, null, 1],
    grad: { wrt: [0] },
  },
  {
    name: 'ResizeNearestNeighbor int32 image [1,2,3,1]->[3,5] alignCorners',
    ops: ['ResizeNearestNeighbor'],
    inputs: [new NDArray(Int32Array.from([1, -2, 3, 40, 5, -6]), [1, 2, 3, 1], 'int32')],
    build: (t) => tf.image.resizeNearestNeighbor(t, [3, 5], true),
    reference: (v) => refNearest(v, 3, 5, true, false),
    shape: [1, 3, 5, 1],
    grad: false,
  },
  {
    name: 'ResizeBilinear int32 image gives float32 [1,2,2,1]->[3,3]',
    ops: ['ResizeBilinear'],
    inputs: [new NDArray(Int32Array.from([0, 10, 20, 30]), [1, 2, 2, 1], 'int32')],
    build: (t) => tf.image.resizeBilinear(t, [3, 3]),
    reference: (v) => refBilinear(v, 3, 3, false, false),
    shape: [1, 3, 3, 1],
    grad: false,
  },
);

export { resizeCases };

// ---- Non-maximum suppression (NonMaxSuppressionV5) ----

/** IOU of boxes [y1, x1, y2, x2] with corners in any order (0 when either box has no area). */
function refIou(a: number[], b: number[]): number {
  const [ay1, ax1, ay2, ax2] = [
    Math.min(a[0] as number, a[2] as number),
    Math.min(a[1] as number, a[3] as number),
    Math.max(a[0] as number, a[2] as number),
    Math.max(a[1] as number, a[3] as number),
  ];
  const [by1, bx1, by2, bx2] = [
    Math.min(b[0] as number, b[2] as number),
    Math.min(b[1] as number, b[3] as number),
    Math.max(b[0] as number, b[2] as number),
    Math.max(b[1] as number, b[3] as number),
  ];
  const areaA = (ay2 - ay1) * (ax2 - ax1);
  const areaB = (by2 - by1) * (bx2 - bx1);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter =
    Math.max(Math.min(ay2, by2) - Math.max(ay1, by1), 0) *
    Math.max(Math.min(ax2, bx2) - Math.max(ax1, bx1), 0);
  return inter / (areaA + areaB - inter);
}

/**
 * Eager (Soft-)NMS from the papers' definition: repeatedly select the remaining box of highest current
 * score (ties: lower index), drop the others whose IOU with it is >= iouThr, multiply the rest by
 * exp(-0.5 iou² / sigma) (sigma > 0), and drop those at or below scoreThr.
 */
export function refNms(
  boxes: NDArray,
  scores: NDArray,
  max: number,
  iouThr: number,
  scoreThr: number,
  sigma = 0,
): { indices: number[]; scores: number[] } {
  const box = (i: number): number[] => Array.from(boxes.data.slice(4 * i, 4 * i + 4));
  let live = Array.from(scores.data, (s, i) => ({ i, s })).filter((c) => c.s > scoreThr);
  const indices: number[] = [];
  const kept: number[] = [];
  while (indices.length < max && live.length > 0) {
    let best = live[0] as { i: number; s: number };
    for (const c of live) if (c.s > best.s || (c.s === best.s && c.i < best.i)) best = c;
    indices.push(best.i);
    kept.push(best.s);
    const sel = box(best.i);
    live = live
      .filter((c) => c !== best)
      .map((c) => {
        const o = refIou(box(c.i), sel);
        return {
          i: c.i,
          s: o >= iouThr ? -Infinity : sigma > 0 ? c.s * Math.exp((-0.5 * o * o) / sigma) : c.s,
        };
      })
      .filter((c) => c.s > scoreThr);
  }
  return { indices, scores: kept };
}

const q = (v: number): number => Math.round(v * 64) / 64; // exact in float32
const CLUSTER_BOXES = new NDArray(
  Float64Array.from([
    0, 0, 1, 1, 0, 0.125, 1, 1.125, 0, -0.125, 1, 0.875, 0, 10, 1, 11, 0, 10.125, 1, 11.125, 0, 100, 1, 101,
  ]),
  [6, 4],
  'float32',
);
const CLUSTER_SCORES = new NDArray(
  Float64Array.from([0.90625, 0.75, 0.59375, 0.953125, 0.5, 0.296875]),
  [6],
  'float32',
);

/** n boxes (corners on a 1/64 grid, some given in flipped order) packed in a 3x3 area, and scores. */
function randomBoxes(n: number, seed: number): [NDArray, NDArray] {
  const u = randomArray([n, 5], seed, 0, 1).data;
  const s = randomArray([n], seed + 1, 0, 1);
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    const [y, x, h, w, f] = Array.from(u.slice(5 * i, 5 * i + 5));
    const y1 = q(3 * (y as number));
    const x1 = q(3 * (x as number));
    const y2 = q(y1 + 0.5 + 1.5 * (h as number));
    const x2 = q(x1 + 0.5 + 1.5 * (w as number));
    data.push(...((f as number) < 0.5 ? [y1, x1, y2, x2] : [y2, x2, y1, x1]));
  }
  return [
    new NDArray(Float64Array.from(data), [n, 4], 'float32'),
    new NDArray(s.data.map(q) as Float64Array, [n], 'float32'),
  ];
}
const [RB, RS] = randomBoxes(14, 340);

const indicesOf = (r: { indices: number[] }): NDArray =>
  new NDArray(Int32Array.from(r.indices), [r.indices.length], 'int32');

export const nmsCases: OpCase[] = [
  {
    name: 'NonMaxSuppressionV5 three clusters (TF docs), max 3, iou 0.5',
    ops: ['NonMaxSuppressionV5'],
    inputs: [CLUSTER_BOXES, CLUSTER_SCORES],
    build: (b, s) => tf.image.nonMaxSuppression(b, s, 3, 0.5),
    reference: (b, s) => indicesOf(refNms(b, s, 3, 0.5, -Infinity)),
    shape: [null],
    grad: false,
  },
  {
    name: 'NonMaxSuppressionV5 14 random boxes, iou 0.3, score threshold 0.25',
    ops: ['NonMaxSuppressionV5'],
    inputs: [RB, RS],
    build: (b, s) => tf.image.nonMaxSuppression(b, s, 10, 0.3, 0.25),
    reference: (b, s) => indicesOf(refNms(b, s, 10, 0.3, 0.25)),
    shape: [null],
    grad: false,
  },
  {
    name: 'NonMaxSuppressionV5 with scores (hard, iou 0.4), 14 random boxes',
    ops: ['NonMaxSuppressionV5'],
    inputs: [RB, RS],
    build: (b, s) => tf.image.nonMaxSuppressionWithScores(b, s, 20, 0.4)[1],
    reference: (b, s) => refNms(b, s, 20, 0.4, -Infinity).scores,
    shape: [null],
    grad: false,
  },
  {
    name: 'NonMaxSuppressionV5 Soft-NMS indices, sigma 0.5, iou 0.6, threshold 0.2',
    ops: ['NonMaxSuppressionV5'],
    inputs: [RB, RS],
    build: (b, s) => tf.image.nonMaxSuppressionWithScores(b, s, 14, 0.6, 0.2, 0.5)[0],
    reference: (b, s) => indicesOf(refNms(b, s, 14, 0.6, 0.2, 0.5)),
    shape: [null],
    grad: false,
  },
  {
    name: 'NonMaxSuppressionV5 padded to max_output_size 8',
    ops: ['NonMaxSuppressionV5'],
    inputs: [CLUSTER_BOXES, CLUSTER_SCORES],
    build: (b, s) => tf.image.nonMaxSuppressionV5(b, s, 8, 0.5, 0, 0, true)[0],
    reference: (b, s) => {
      const r = refNms(b, s, 8, 0.5, 0).indices;
      return new NDArray(Int32Array.from([...r, ...new Array<number>(8 - r.length).fill(0)]), [8], 'int32');
    },
    shape: [8],
    grad: false,
  },
  {
    name: 'NonMaxSuppressionV5 valid_outputs (padded)',
    ops: ['NonMaxSuppressionV5'],
    inputs: [RB, RS],
    build: (b, s) => tf.image.nonMaxSuppressionV5(b, s, 12, 0.2, 0.1, 0, true)[2],
    reference: (b, s) =>
      new NDArray(Int32Array.from([refNms(b, s, 12, 0.2, 0.1).indices.length]), [], 'int32'),
    shape: [],
    grad: false,
  },
];

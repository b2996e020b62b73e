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

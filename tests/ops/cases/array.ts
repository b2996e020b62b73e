import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * Shape ops (SPEC §6 "Shape"): every op on non-square shapes, negative axes, parameters given as
 * constants and as fed int32 tensors, multi-output ops combined into one output, and the gradient
 * primitives (ReshapeLike, SplitLike, SliceGrad, SliceLike, StridedSliceScatter, GatherGrad, TileGrad)
 * checked as the outputs of first-order gradients seeded with a random `u` — so their own gradients
 * (second derivatives of the forward ops) are checked numerically too.
 */

// ---- float64 references, written by index arithmetic (independent of the kernels) ----
const strides = (shape: number[]): number[] =>
  shape.map((_d, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
const at = (x: NDArray, idx: number[]): number => {
  const s = strides(x.shape);
  return x.data[idx.reduce((o, k, i) => o + k * (s[i] as number), 0)] as number;
};
/** Builds an array of `shape` whose element at idx is f(idx). */
function gen(shape: number[], f: (idx: number[]) => number): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  const s = strides(shape);
  for (let k = 0; k < n; k++) data[k] = f(shape.map((d, i) => Math.floor(k / (s[i] as number)) % d));
  return new NDArray(data, shape, 'float32');
}
const ints = (x: NDArray): number[] => Array.from(x.data);
const refReshape = (x: NDArray, shape: number[]): NDArray =>
  new NDArray(Float64Array.from(x.data), shape, 'float32');
const refTranspose = (x: NDArray, perm: number[]): NDArray =>
  gen(
    perm.map((p) => x.shape[p] as number),
    (idx) => {
      const src = new Array<number>(perm.length);
      perm.forEach((p, i) => (src[p] = idx[i] as number));
      return at(x, src);
    },
  );
const refSlice = (x: NDArray, begin: number[], size: number[]): NDArray =>
  gen(size, (idx) =>
    at(
      x,
      idx.map((k, i) => k + (begin[i] as number)),
    ),
  );
function refConcat(parts: NDArray[], axis: number): NDArray {
  const shape = (parts[0] as NDArray).shape.slice();
  shape[axis] = parts.reduce((n, p) => n + (p.shape[axis] as number), 0);
  return gen(shape, (idx) => {
    let k = idx[axis] as number;
    for (const p of parts) {
      if (k < (p.shape[axis] as number))
        return at(
          p,
          idx.map((v, i) => (i === axis ? k : v)),
        );
      k -= p.shape[axis] as number;
    }
    throw new Error('unreachable');
  });
}
function refSplit(x: NDArray, sizes: number[], axis: number): NDArray[] {
  let off = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_d, i) => (i === axis ? off : 0));
    off += n;
    return refSlice(
      x,
      begin,
      x.shape.map((d, i) => (i === axis ? n : d)),
    );
  });
}
const scale = (x: NDArray, c: number): NDArray =>
  new NDArray(x.data.map((v) => v * c) as Float64Array, x.shape, 'float32');
const refPad = (x: NDArray, p: number[][], c: number): NDArray =>
  gen(
    x.shape.map((d, i) => d + (p[i]?.[0] as number) + (p[i]?.[1] as number)),
    (idx) => {
      const src = idx.map((k, i) => k - (p[i]?.[0] as number));
      return src.every((k, i) => k >= 0 && k < (x.shape[i] as number)) ? at(x, src) : c;
    },
  );
const refGather = (x: NDArray, ind: NDArray, axis: number): NDArray => {
  const r = ind.shape.length;
  return gen([...x.shape.slice(0, axis), ...ind.shape, ...x.shape.slice(axis + 1)], (idx) =>
    at(x, [...idx.slice(0, axis), at(ind, idx.slice(axis, axis + r)), ...idx.slice(axis + r)]),
  );
};

// ---- inputs ----
const x234 = randomArray([2, 3, 4], 21);
const x23 = randomArray([2, 3], 22);
const x214 = randomArray([2, 1, 4], 23);
const x224 = randomArray([2, 2, 4], 24);
const x2131 = randomArray([2, 1, 3, 1], 25);
const x264 = randomArray([2, 6, 4], 26);
const x235 = randomArray([2, 3, 5], 27);
const x53 = randomArray([5, 3], 28);
const x253 = randomArray([2, 5, 3], 29);
const x3770 = randomArray([37, 70], 30);
const x213 = randomArray([2, 1, 3], 31);
/** The input index that padded index `p` mirrors (independent of the kernels' helper). */
const refMirror = (p: number, before: number, d: number, reflect: boolean): number => {
  let s = p - before;
  if (s < 0) s = reflect ? -s : -s - 1;
  else if (s >= d) s = reflect ? 2 * d - 2 - s : 2 * d - 1 - s;
  return s;
};
/** Mirror-pad gradient by brute force: every padded element adds its dy to the input element it copies. */
function refMirrorGrad(g: NDArray, xShape: number[], before: number[], reflect: boolean): NDArray {
  const out = gen(xShape, () => 0);
  const data = out.data as unknown as number[];
  const xs = strides(xShape);
  const gs = strides(g.shape);
  for (let k = 0; k < g.data.length; k++) {
    const idx = g.shape.map((d, i) => Math.floor(k / (gs[i] as number)) % d);
    const src = idx.map((c, i) => refMirror(c, before[i] as number, xShape[i] as number, reflect));
    const o = src.reduce((a, c, i) => a + c * (xs[i] as number), 0);
    data[o] = (data[o] as number) + (g.data[k] as number);
  }
  return out;
}
const i32 = (v: number[], shape: number[]): NDArray => tf.ndarray(Int32Array.from(v), shape, 'int32');
const u = (shape: number[], seed: number): NDArray => randomArray(shape, seed);

/** A gradient primitive as the output of `d<seed, f(x)>/dx`: its gradient check is a second derivative. */
const gradOf = (f: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, seed: tf.Tensor) =>
  tf.gradients(f(x), x, { gradYs: [seed] })[0] as tf.Tensor;

export const arrayCases: OpCase[] = [
  // Reshape
  {
    name: 'Reshape [2,3,4] to [4,-1]',
    ops: ['Reshape'],
    inputs: [x234],
    build: (x) => tf.reshape(x, [4, -1]),
    reference: (x) => refReshape(x, [4, 6]),
    shape: [4, 6],
  },
  {
    name: 'Reshape to [-1] and back via a method',
    ops: ['Reshape'],
    inputs: [x234],
    build: (x) => x.reshape([-1]).mul(2).reshape([3, 2, 4]),
    reference: (x) => refReshape(scale(x, 2), [3, 2, 4]),
    shape: [3, 2, 4],
  },
  {
    name: 'Reshape by a fed int32 shape tensor',
    ops: ['Reshape'],
    inputs: [x234, i32([6, 4], [2])],
    build: (x, s) => tf.reshape(x, s),
    reference: (x) => refReshape(x, [6, 4]),
    shape: [null, null],
  },
  {
    name: 'ReshapeLike (gradient of Reshape)',
    ops: ['ReshapeLike'],
    inputs: [x234, u([4, 6], 40)],
    build: gradOf((x) => tf.reshape(x, [4, 6])),
    reference: (_x, g) => refReshape(g, [2, 3, 4]),
    shape: [2, 3, 4],
  },
  // Transpose
  {
    name: 'Transpose default perm [2,3,4]',
    ops: ['Transpose'],
    inputs: [x234],
    build: (x) => tf.transpose(x),
    reference: (x) => refTranspose(x, [2, 1, 0]),
    shape: [4, 3, 2],
  },
  {
    name: 'Transpose [1,0,2]',
    ops: ['Transpose'],
    inputs: [x234],
    build: (x) => tf.transpose(x, [1, 0, 2]),
    reference: (x) => refTranspose(x, [1, 0, 2]),
    shape: [3, 2, 4],
  },
  {
    name: 'Transpose [0,2,1] (batched 2-D)',
    ops: ['Transpose'],
    inputs: [x234],
    build: (x) => tf.transpose(x, [0, 2, 1]),
    reference: (x) => refTranspose(x, [0, 2, 1]),
    shape: [2, 4, 3],
  },
  {
    name: 'Transpose [2,0,1]',
    ops: ['Transpose'],
    inputs: [x234],
    build: (x) => tf.transpose(x, [2, 0, 1]),
    reference: (x) => refTranspose(x, [2, 0, 1]),
    shape: [4, 2, 3],
  },
  {
    name: 'Transpose [37,70] (blocked 2-D)',
    ops: ['Transpose'],
    inputs: [x3770],
    build: (x) => tf.transpose(x),
    reference: (x) => refTranspose(x, [1, 0]),
    shape: [70, 37],
  },
  {
    name: 'Transpose [2,1,3,1] by [3,2,0,1] (size-1 axes)',
    ops: ['Transpose'],
    inputs: [x2131],
    build: (x) => tf.transpose(x, [3, 2, 0, 1]),
    reference: (x) => refTranspose(x, [3, 2, 0, 1]),
    shape: [1, 3, 2, 1],
  },
  {
    name: 'Transpose by a fed perm (InvertPermutation in the gradient)',
    ops: ['Transpose', 'InvertPermutation'],
    inputs: [x234, i32([1, 2, 0], [3])],
    build: (x, p) => tf.transpose(x, p),
    reference: (x) => refTranspose(x, [1, 2, 0]),
    shape: [null, null, null],
  },
  // ExpandDims / Squeeze
  {
    name: 'ExpandDims axis 1',
    ops: ['ExpandDims'],
    inputs: [x23],
    build: (x) => tf.expandDims(x, 1),
    reference: (x) => refReshape(x, [2, 1, 3]),
    shape: [2, 1, 3],
  },
  {
    name: 'ExpandDims axis -1',
    ops: ['ExpandDims'],
    inputs: [x23],
    build: (x) => tf.expandDims(x, -1),
    reference: (x) => refReshape(x, [2, 3, 1]),
    shape: [2, 3, 1],
  },
  {
    name: 'Squeeze all size-1 dims',
    ops: ['Squeeze'],
    inputs: [x2131],
    build: (x) => tf.squeeze(x),
    reference: (x) => refReshape(x, [2, 3]),
    shape: [2, 3],
  },
  {
    name: 'Squeeze axis [-1]',
    ops: ['Squeeze'],
    inputs: [x2131],
    build: (x) => tf.squeeze(x, [-1]),
    reference: (x) => refReshape(x, [2, 1, 3]),
    shape: [2, 1, 3],
  },
  {
    name: 'Squeeze axis 1 (number)',
    ops: ['Squeeze'],
    inputs: [x2131],
    build: (x) => tf.squeeze(x, 1),
    reference: (x) => refReshape(x, [2, 3, 1]),
    shape: [2, 3, 1],
  },
  // ConcatV2 / Pack / Unpack / Split / SplitV
  {
    name: 'ConcatV2 axis 1 of [2,3,4],[2,1,4],[2,2,4]',
    ops: ['ConcatV2'],
    inputs: [x234, x214, x224],
    build: (a, b, c) => tf.concat([a, b, c], 1),
    reference: (a, b, c) => refConcat([a, b, c], 1),
    shape: [2, 6, 4],
  },
  {
    name: 'ConcatV2 axis -1',
    ops: ['ConcatV2'],
    inputs: [x23, x23],
    build: (a, b) => tf.concat([a, b.mul(3)], -1),
    reference: (a, b) => refConcat([a, scale(b, 3)], 1),
    shape: [2, 6],
  },
  {
    name: 'SplitLike (gradient of ConcatV2)',
    ops: ['SplitLike'],
    inputs: [x234, x214, u([2, 4, 4], 41)],
    build: (a, b, g) => {
      const [ga, gb] = tf.gradients(tf.concat([a, b], 1), [a, b], { gradYs: [g] }) as tf.Tensor[];
      return tf.concat([gb as tf.Tensor, (ga as tf.Tensor).mul(2)], 1);
    },
    reference: (_a, _b, g) => {
      const [ga, gb] = refSplit(g, [3, 1], 1) as [NDArray, NDArray];
      return refConcat([gb, scale(ga, 2)], 1);
    },
    shape: [2, 4, 4],
  },
  {
    name: 'Pack axis 0',
    ops: ['Pack'],
    inputs: [x23, x23],
    build: (a, b) => tf.stack([a, b.mul(2), a]),
    reference: (a, b) => refReshape(refConcat([a, scale(b, 2), a], 0), [3, 2, 3]),
    shape: [3, 2, 3],
  },
  {
    name: 'Pack axis -1',
    ops: ['Pack'],
    inputs: [x23, x23],
    build: (a, b) => tf.stack([a, b.mul(2)], -1),
    reference: (a, b) =>
      gen([2, 3, 2], ([i, j, k]) =>
        k === 0 ? at(a, [i as number, j as number]) : 2 * at(b, [i as number, j as number]),
      ),
    shape: [2, 3, 2],
  },
  {
    name: 'Unpack axis 1 into addN',
    ops: ['Unpack'],
    inputs: [x234],
    build: (x) => tf.addN(tf.unstack(x, { axis: 1 }).map((p, i) => p.mul(i + 1))),
    reference: (x) =>
      gen([2, 4], ([i, k]) =>
        [0, 1, 2].reduce((s, j) => s + (j + 1) * at(x, [i as number, j, k as number]), 0),
      ),
    shape: [2, 4],
  },
  {
    name: 'Unpack axis -1 with an unused output',
    ops: ['Unpack'],
    inputs: [x234],
    build: (x) => {
      const parts = tf.unstack(x, { axis: -1 });
      return tf.stack([parts[3] as tf.Tensor, (parts[0] as tf.Tensor).mul(2)]);
    },
    reference: (x) =>
      gen([2, 2, 3], ([p, i, j]) =>
        p === 0 ? at(x, [i as number, j as number, 3]) : 2 * at(x, [i as number, j as number, 0]),
      ),
    shape: [2, 2, 3],
  },
  {
    name: 'Split 3 ways along axis 1, reassembled reversed',
    ops: ['Split'],
    inputs: [x264],
    build: (x) =>
      tf.concat(
        tf
          .split(x, 3, 1)
          .map((p, i) => p.mul(i + 1))
          .reverse(),
        1,
      ),
    reference: (x) =>
      refConcat(
        refSplit(x, [2, 2, 2], 1)
          .map((p, i) => scale(p, i + 1))
          .reverse(),
        1,
      ),
    shape: [2, 6, 4],
  },
  {
    name: 'Split with unused outputs (null gradients)',
    ops: ['Split'],
    inputs: [x264],
    build: (x) => tf.split(x, 3, { axis: -2 })[1] as tf.Tensor,
    reference: (x) => refSplit(x, [2, 2, 2], 1)[1] as NDArray,
    shape: [2, 2, 4],
  },
  {
    name: 'SplitV sizes [1,-1,2] along -1',
    ops: ['SplitV'],
    inputs: [x235],
    build: (x) =>
      tf.concat(
        tf
          .split(x, [1, -1, 2], -1)
          .map((p, i) => p.mul(i + 1))
          .reverse(),
        2,
      ),
    reference: (x) =>
      refConcat(
        refSplit(x, [1, 2, 2], 2)
          .map((p, i) => scale(p, i + 1))
          .reverse(),
        2,
      ),
    shape: [2, 3, 5],
  },
  {
    name: 'SplitV with an unused piece',
    ops: ['SplitV'],
    inputs: [x235],
    build: (x) => tf.split(x, [2, 1], 1)[0] as tf.Tensor,
    reference: (x) => refSplit(x, [2, 1], 1)[0] as NDArray,
    shape: [2, 2, 5],
  },
  // Slice and its gradient primitives
  {
    name: 'Slice begin [1,0,1] size [1,-1,2]',
    ops: ['Slice'],
    inputs: [x234],
    build: (x) => tf.slice(x, [1, 0, 1], [1, -1, 2]),
    reference: (x) => refSlice(x, [1, 0, 1], [1, 3, 2]),
    shape: [1, 3, 2],
  },
  {
    name: 'Slice by fed begin/size tensors',
    ops: ['Slice'],
    inputs: [x234, i32([0, 1, 2], [3]), i32([2, 2, -1], [3])],
    build: (x, b, s) => tf.slice(x, b, s),
    reference: (x) => refSlice(x, [0, 1, 2], [2, 2, 2]),
    shape: [null, null, null],
  },
  {
    name: 'SliceGrad (gradient of Slice)',
    ops: ['SliceGrad'],
    inputs: [x234, u([1, 2, 3], 42)],
    build: gradOf((x) => tf.slice(x, [1, 1, 0], [1, 2, 3])),
    reference: (_x, g) =>
      refPad(
        g,
        [
          [1, 0],
          [1, 0],
          [0, 1],
        ],
        0,
      ),
    shape: [2, 3, 4],
  },
  {
    name: 'SliceLike (gradient of Pad)',
    ops: ['SliceLike'],
    inputs: [x23, u([5, 4], 43)],
    build: gradOf((x) =>
      tf.pad(x, [
        [1, 2],
        [0, 1],
      ]),
    ),
    reference: (_x, g) => refSlice(g, [1, 0], [2, 3]),
    shape: [2, 3],
  },
  // StridedSlice
  {
    name: 'StridedSlice x[:, ::-1, 1:3]',
    ops: ['StridedSlice'],
    inputs: [x234],
    build: (x) => tf.stridedSlice(x, [0, -1, 1], [0, 0, 3], [1, -1, 1], { beginMask: 3, endMask: 3 }),
    reference: (x) =>
      gen([2, 3, 2], ([i, j, k]) => at(x, [i as number, 2 - (j as number), (k as number) + 1])),
    shape: [2, 3, 2],
  },
  {
    name: 'StridedSlice x[1, :, -1] (shrink)',
    ops: ['StridedSlice'],
    inputs: [x234],
    build: (x) => tf.stridedSlice(x, [1, 0, -1], [2, 0, 0], [1, 1, 1], { endMask: 2, shrinkAxisMask: 5 }),
    reference: (x) => gen([3], ([j]) => at(x, [1, j as number, 3])),
    shape: [3],
  },
  {
    name: 'StridedSlice x[..., newaxis, 0:4:2]',
    ops: ['StridedSlice'],
    inputs: [x234],
    build: (x) => tf.stridedSlice(x, [0, 0, 0], [0, 0, 4], [1, 1, 2], { ellipsisMask: 1, newAxisMask: 2 }),
    reference: (x) =>
      gen([2, 3, 1, 2], ([i, j, , k]) => at(x, [i as number, j as number, 2 * (k as number)])),
    shape: [2, 3, 1, 2],
  },
  {
    name: 'StridedSlice clamped x[7:-9:-2] on [5,3] and x[:, -2:]',
    ops: ['StridedSlice'],
    inputs: [x53],
    build: (x) => tf.stridedSlice(x, [7, -2], [-9, 0], [-2, 1], { endMask: 2 }),
    reference: (x) => gen([3, 2], ([i, j]) => at(x, [4 - 2 * (i as number), 1 + (j as number)])),
    shape: [3, 2],
  },
  {
    name: 'StridedSliceScatter (gradient of StridedSlice)',
    ops: ['StridedSliceScatter'],
    inputs: [x234, u([2, 2, 2], 44)],
    build: gradOf((x) => tf.stridedSlice(x, [0, 2, 0], [2, 0, 4], [1, -2, 3], { endMask: 2 })),
    reference: (_x, g) =>
      gen([2, 3, 4], ([i, j, k]) =>
        (j === 2 || j === 0) && (k === 0 || k === 3)
          ? at(g, [i as number, j === 2 ? 0 : 1, k === 0 ? 0 : 1])
          : 0,
      ),
    shape: [2, 3, 4],
  },
  // GatherV2
  {
    name: 'GatherV2 axis 0 with [2,3] indices (repeats)',
    ops: ['GatherV2'],
    inputs: [x53, i32([4, 0, 4, 1, 1, 3], [2, 3])],
    build: (p, i) => tf.gather(p, i),
    reference: (p, i) => refGather(p, i, 0),
    shape: [2, 3, 3],
  },
  {
    name: 'GatherV2 axis 1 of [2,5,3]',
    ops: ['GatherV2'],
    inputs: [x253, i32([3, 1, 3, 0], [4])],
    build: (p, i) => tf.gather(p, i, { axis: 1 }),
    reference: (p, i) => refGather(p, i, 1),
    shape: [2, 4, 3],
  },
  {
    name: 'GatherV2 axis -1, scalar index',
    ops: ['GatherV2'],
    inputs: [x253, i32([2], [])],
    build: (p, i) => tf.gather(p, i, { axis: -1 }),
    reference: (p, i) => refGather(p, i, 2),
    shape: [2, 5],
  },
  {
    name: 'GatherGrad (gradient of GatherV2, repeated indices add up)',
    ops: ['GatherGrad'],
    inputs: [x253, u([2, 4, 3], 45)],
    build: gradOf((p) => tf.gather(p, [3, 1, 3, 0], { axis: 1 })),
    reference: (_p, g) =>
      gen([2, 5, 3], ([i, j, k]) =>
        [3, 1, 3, 0].reduce((s, t, n) => s + (t === j ? at(g, [i as number, n, k as number]) : 0), 0),
      ),
    shape: [2, 5, 3],
  },
  // Pad / PadV2
  {
    name: 'Pad [[1,2],[0,3]]',
    ops: ['Pad'],
    inputs: [x23],
    build: (x) =>
      tf.pad(x, [
        [1, 2],
        [0, 3],
      ]),
    reference: (x) =>
      refPad(
        x,
        [
          [1, 2],
          [0, 3],
        ],
        0,
      ),
    shape: [5, 6],
  },
  {
    name: 'PadV2 constant 1.5 on [2,3,5]',
    ops: ['PadV2'],
    inputs: [x235],
    build: (x) =>
      tf.pad(
        x,
        [
          [0, 1],
          [2, 0],
          [1, 1],
        ],
        { constantValues: 1.5 },
      ),
    reference: (x) =>
      refPad(
        x,
        [
          [0, 1],
          [2, 0],
          [1, 1],
        ],
        1.5,
      ),
    shape: [3, 5, 7],
  },
  {
    name: 'Pad by fed paddings (strided-slice gradient path)',
    ops: ['Pad'],
    inputs: [x23, i32([2, 0, 1, 1], [2, 2])],
    build: (x, p) => tf.pad(x, p),
    reference: (x) =>
      refPad(
        x,
        [
          [2, 0],
          [1, 1],
        ],
        0,
      ),
    shape: [null, null],
  },
  // MirrorPad (REFLECT / SYMMETRIC) and its gradient
  {
    name: 'MirrorPad REFLECT [[1,1],[2,2]] on [2,3,5]',
    ops: ['MirrorPad'],
    inputs: [x235],
    build: (x) =>
      tf.pad(
        x,
        [
          [1, 1],
          [2, 2],
          [0, 4],
        ],
        'REFLECT',
      ),
    reference: (x) =>
      gen([4, 7, 9], (idx) =>
        at(
          x,
          idx.map((c, k) => refMirror(c, [1, 2, 0][k] as number, x.shape[k] as number, true)),
        ),
      ),
    shape: [4, 7, 9],
  },
  {
    name: 'MirrorPad symmetric (lower case) [[2,0],[1,3]]',
    ops: ['MirrorPad'],
    inputs: [x23],
    build: (x) =>
      tf.pad(
        x,
        [
          [2, 0],
          [1, 3],
        ],
        'symmetric',
      ),
    reference: (x) =>
      gen([4, 7], (idx) =>
        at(
          x,
          idx.map((c, k) => refMirror(c, [2, 1][k] as number, x.shape[k] as number, false)),
        ),
      ),
    shape: [4, 7],
  },
  {
    name: 'MirrorPadGrad REFLECT (gradient of MirrorPad)',
    ops: ['MirrorPadGrad'],
    inputs: [x235, u([4, 7, 9], 61)],
    build: gradOf((x) =>
      tf.pad(
        x,
        [
          [1, 1],
          [2, 2],
          [0, 4],
        ],
        'REFLECT',
      ),
    ),
    reference: (x, g) => refMirrorGrad(g, x.shape, [1, 2, 0], true),
    shape: [2, 3, 5],
  },
  {
    name: 'MirrorPadGrad SYMMETRIC (gradient of MirrorPad)',
    ops: ['MirrorPadGrad'],
    inputs: [x23, u([4, 7], 62)],
    build: gradOf((x) =>
      tf.pad(
        x,
        [
          [2, 0],
          [1, 3],
        ],
        'SYMMETRIC',
      ),
    ),
    reference: (x, g) => refMirrorGrad(g, x.shape, [2, 1], false),
    shape: [2, 3],
  },
  // Tile
  {
    name: 'Tile [2,3] by [3,2]',
    ops: ['Tile'],
    inputs: [x23],
    build: (x) => tf.tile(x, [3, 2]),
    reference: (x) => gen([6, 6], ([i, j]) => at(x, [(i as number) % 2, (j as number) % 3])),
    shape: [6, 6],
  },
  {
    name: 'Tile [2,1,3] by [1,4,2]',
    ops: ['Tile'],
    inputs: [x213],
    build: (x) => tf.tile(x, [1, 4, 2]),
    reference: (x) => gen([2, 4, 6], ([i, , k]) => at(x, [i as number, 0, (k as number) % 3])),
    shape: [2, 4, 6],
  },
  {
    name: 'TileGrad (gradient of Tile)',
    ops: ['TileGrad'],
    inputs: [x23, u([4, 9], 46)],
    build: gradOf((x) => tf.tile(x, [2, 3])),
    reference: (_x, g) =>
      gen([2, 3], ([i, j]) =>
        [0, 1].reduce(
          (s, a) =>
            s + [0, 1, 2].reduce((t, b) => t + at(g, [a * 2 + (i as number), b * 3 + (j as number)]), 0),
          0,
        ),
      ),
    shape: [2, 3],
  },
  // OneHot (not differentiable)
  {
    name: 'OneHot depth 4 (out-of-range index gives zeros)',
    ops: ['OneHot'],
    inputs: [i32([0, 3, 1, 4, -1, 2], [2, 3])],
    build: (i) => tf.oneHot(i, 4),
    reference: (i) => gen([2, 3, 4], ([a, b, c]) => (at(i, [a as number, b as number]) === c ? 1 : 0)),
    shape: [2, 3, 4],
    grad: false,
  },
  {
    name: 'OneHot axis 0 with on/off values',
    ops: ['OneHot'],
    inputs: [i32([2, 0, 1], [3])],
    build: (i) => tf.oneHot(i, 4, { axis: 0, onValue: 5, offValue: -2 }),
    reference: (i) => gen([4, 3], ([d, k]) => (ints(i)[k as number] === d ? 5 : -2)),
    shape: [4, 3],
    grad: false,
  },
];

import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/** Float64 reference: batched op(a)·op(b) with numpy-broadcast batch dims. */
function refMatmul(a: NDArray, b: NDArray, ta: boolean, tb: boolean): NDArray {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = ta ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const n = (tb ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  const ba = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const pa = [...new Array<number>(rank - ba.length).fill(1), ...ba];
  const pb = [...new Array<number>(rank - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i] as number));
  const count = batch.reduce((x, y) => x * y, 1);
  const out = new Float64Array(count * (m as number) * n);
  for (let t = 0; t < count; t++) {
    let rem = t;
    let offA = 0;
    let offB = 0;
    let strideA = 1;
    let strideB = 1;
    for (let ax = rank - 1; ax >= 0; ax--) {
      const i = rem % (batch[ax] as number);
      rem = Math.floor(rem / (batch[ax] as number));
      offA += (pa[ax] === 1 ? 0 : i) * strideA;
      offB += (pb[ax] === 1 ? 0 : i) * strideB;
      strideA *= pa[ax] as number;
      strideB *= pb[ax] as number;
    }
    const A = offA * (m as number) * (k as number);
    const B = offB * (k as number) * n;
    for (let i = 0; i < (m as number); i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < (k as number); p++) {
          const av = a.data[A + (ta ? p * (m as number) + i : i * (k as number) + p)] as number;
          const bv = b.data[B + (tb ? j * (k as number) + p : p * n + j)] as number;
          s += av * bv;
        }
        out[t * (m as number) * n + i * n + j] = s;
      }
    }
  }
  return new NDArray(out, [...batch, m as number, n], 'float32');
}

const transposes: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

export const linalgCases: OpCase[] = [
  ...transposes.map(([ta, tb], i): OpCase => {
    const a = randomArray(ta ? [5, 3] : [3, 5], 40 + i);
    const b = randomArray(tb ? [4, 5] : [5, 4], 50 + i);
    return {
      name: `MatMul [3,5]x[5,4] transposeA=${ta} transposeB=${tb}`,
      ops: ['MatMul'],
      inputs: [a, b],
      build: (x, y) => tf.matmul(x, y, { transposeA: ta, transposeB: tb }),
      reference: (x, y) => refMatmul(x, y, ta, tb),
      shape: [3, 4],
    };
  }),
  {
    name: 'MatMul batched [2,3,5]x[2,5,4]',
    ops: ['MatMul'],
    inputs: [randomArray([2, 3, 5], 60), randomArray([2, 5, 4], 61)],
    build: (x, y) => tf.matmul(x, y),
    reference: (x, y) => refMatmul(x, y, false, false),
    shape: [2, 3, 4],
  },
  {
    name: 'MatMul broadcast batch [2,1,3,5]x[3,5,4] with transposeB',
    ops: ['MatMul'],
    inputs: [randomArray([2, 1, 3, 5], 62), randomArray([3, 4, 5], 63)],
    build: (x, y) => tf.matmul(x, y, { transposeB: true }),
    reference: (x, y) => refMatmul(x, y, false, true),
    shape: [2, 3, 3, 4],
  },
  {
    name: 'Identity and StopGradient',
    ops: ['Identity', 'StopGradient'],
    inputs: [randomArray([2, 3], 64)],
    build: (x) => tf.identity(x).mul(tf.stopGradient(x)),
    reference: (x) =>
      new NDArray(
        x.data.map((v) => v * v),
        x.shape,
        'float32',
      ),
    // d/dx [x · stop(x)] = stop(x): the check passes only if StopGradient blocks the second path.
    grad: false,
  },
  {
    name: 'Identity gradient passes through',
    ops: ['Identity'],
    inputs: [randomArray([3, 2], 65)],
    build: (x) => tf.identity(x).mul(x),
    reference: (x) =>
      new NDArray(
        x.data.map((v) => v * v),
        x.shape,
        'float32',
      ),
  },
];

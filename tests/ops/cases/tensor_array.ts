import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { makeTensor } from '../../../src/ops/op_def';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/*
 * TensorArray ops and the functional ops built on them (tf.mapFn, tf.scan, tf.foldl, tf.foldr). The
 * references are plain float64 loops over rows, written independently of the graph code.
 */

/** Rows of a float64 array [n, ...]. */
function rows(x: NDArray): Float64Array[] {
  const n = x.shape[0] as number;
  const len = x.size / n;
  return Array.from({ length: n }, (_v, i) => Float64Array.from(x.data.subarray(i * len, (i + 1) * len)));
}

/** Stacks equal-length rows into an NDArray of shape [rows.length, ...elem]. */
function stackRows(rs: ArrayLike<number>[], elem: number[]): NDArray {
  const len = elem.reduce((a, b) => a * b, 1);
  const out = new Float64Array(rs.length * len);
  rs.forEach((r, i) => out.set(Array.from(r), i * len));
  return new NDArray(out, [rs.length, ...elem], 'float32');
}

function mapRow(r: ArrayLike<number>, fn: (v: number, j: number) => number): Float64Array {
  return Float64Array.from(Array.from(r), fn);
}

const x32 = randomArray([3, 2], 401, -1, 1);
const x43 = randomArray([4, 3], 402, -1, 1);
const w3 = randomArray([3], 403, 0.5, 1.2);
const x6 = randomArray([6], 404, -1, 1);
const x322 = randomArray([3, 2, 2], 405, -1, 1);

const ta = (n: number | tf.Tensor, opts: Record<string, unknown> = {}): tf.TensorArray =>
  new tf.TensorArray('float32', { size: n, ...opts });

export const tensorArrayCases: OpCase[] = [
  {
    name: 'TensorArray unstack then read(1)·2 + read(2)',
    ops: ['TensorArrayNew', 'TensorArrayScatter', 'TensorArrayGather'],
    inputs: [x32],
    build: (x) => {
      const t = ta(3).unstack(x);
      return tf.add(tf.multiply(t.read(1), 2), t.read(2));
    },
    reference: (x) => {
      const [, r1, r2] = rows(x) as [Float64Array, Float64Array, Float64Array];
      return new NDArray(
        mapRow(r1, (v, j) => 2 * v + (r2[j] as number)),
        [2],
        'float32',
      );
    },
    shape: [2],
  },
  {
    name: 'TensorArray writes out of order (sin, product) then stack',
    ops: ['TensorArrayScatter', 'TensorArrayGather'],
    inputs: [x32],
    build: (x) => {
      const [a, b, c] = tf.unstack(x) as [tf.Tensor, tf.Tensor, tf.Tensor];
      let t = ta(3);
      t = t.write(2, a).write(0, tf.sin(b)).write(1, tf.multiply(c, a));
      return t.stack();
    },
    reference: (x) => {
      const [a, b, c] = rows(x) as [Float64Array, Float64Array, Float64Array];
      return stackRows([mapRow(b, Math.sin), mapRow(c, (v, j) => v * (a[j] as number)), a], [2]);
    },
    shape: [3, 2],
  },
  {
    name: 'TensorArray gather([2, 0]) of an unstacked [4,3]',
    ops: ['TensorArrayGather'],
    inputs: [x43],
    build: (x) => ta(4).unstack(x).gather([2, 0]),
    reference: (x) => {
      const r = rows(x);
      return stackRows([r[2] as Float64Array, r[0] as Float64Array], [3]);
    },
    shape: [2, 3],
  },
  {
    name: 'TensorArray scatter([2, 0, 1]) then stack, squared',
    ops: ['TensorArrayScatter', 'TensorArrayGather'],
    inputs: [x32],
    build: (x) => tf.square(ta(3).scatter([2, 0, 1], x).stack()),
    reference: (x) => {
      const r = rows(x).map((row) => mapRow(row, (v) => v * v));
      return stackRows([r[1] as Float64Array, r[2] as Float64Array, r[0] as Float64Array], [2]);
    },
    shape: [3, 2],
  },
  {
    name: 'TensorArray concat of [2,2] elements',
    ops: ['TensorArrayGather'],
    inputs: [x322],
    build: (x) => tf.multiply(ta(3).unstack(x).concat(), [1, 3]),
    reference: (x) => {
      const out = new Float64Array(12);
      for (let i = 0; i < 12; i++) out[i] = (x.data[i] as number) * (i % 2 === 0 ? 1 : 3);
      return new NDArray(out, [6, 2], 'float32');
    },
    shape: [6, 2],
  },
  {
    name: 'TensorArray dynamicSize grows from size 0 (writes at 1, 0, 2)',
    ops: ['TensorArrayNew', 'TensorArrayScatter', 'TensorArrayGather'],
    inputs: [x32],
    build: (x) => {
      const [a, b, c] = tf.unstack(x) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const t = ta(0, { dynamicSize: true }).write(1, a).write(0, tf.exp(b)).write(2, c);
      return t.stack();
    },
    reference: (x) => {
      const [a, b, c] = rows(x) as [Float64Array, Float64Array, Float64Array];
      return stackRows([mapRow(b, Math.exp), a, c], [2]);
    },
    shape: [null, 2],
  },
  {
    name: 'TensorArrayClearRows (gradient of a write w.r.t. the buffer)',
    ops: ['TensorArrayClearRows'],
    inputs: [x43],
    build: (x) => makeTensor('TensorArrayClearRows', [x, tf.zeros([4, 3]), tf.constant([1, 3], 'int32')], {}),
    reference: (x) => {
      const r = rows(x);
      return stackRows(
        [r[0] as Float64Array, new Float64Array(3), r[2] as Float64Array, new Float64Array(3)],
        [3],
      );
    },
    shape: [4, 3],
  },
  {
    name: 'TensorArray as a whileLoop variable: element i = sin(x_i)·w, element shape learnt in the body',
    ops: ['While', 'TensorArrayNew', 'TensorArrayScatter', 'TensorArrayGather'],
    inputs: [x43, w3],
    build: (x, w) => {
      const xs = ta(4).unstack(x);
      const [, out] = tf.whileLoop(
        (i: tf.Tensor) => tf.less(i, 4),
        (i: tf.Tensor, acc: tf.TensorArray) => [
          tf.add(i, 1),
          acc.write(i, tf.multiply(tf.sin(xs.read(i)), w)),
        ],
        [tf.constant(0, 'int32'), ta(4)],
      ) as unknown as [tf.Tensor, tf.TensorArray];
      return out.stack();
    },
    reference: (x, w) =>
      stackRows(
        rows(x).map((r) => mapRow(r, (v, j) => Math.sin(v) * (w.data[j] as number))),
        [3],
      ),
    shape: [4, 3],
  },
  {
    name: 'tf.scan cumulative product-sum a·w + x over rows (gradient w.r.t. elems and captured w)',
    ops: ['While', 'TensorArrayScatter', 'TensorArrayGather'],
    inputs: [x43, w3],
    build: (x, w) => tf.scan((a: tf.Tensor, r: tf.Tensor) => tf.add(tf.multiply(a, w), r), x) as tf.Tensor,
    reference: (x, w) => {
      const r = rows(x);
      const out: Float64Array[] = [r[0] as Float64Array];
      for (let i = 1; i < r.length; i++) {
        const prev = out[i - 1] as Float64Array;
        out.push(mapRow(r[i] as Float64Array, (v, j) => (prev[j] as number) * (w.data[j] as number) + v));
      }
      return stackRows(out, [3]);
    },
    shape: [4, 3],
  },
  {
    name: 'tf.scan reverse with an initializer (tanh(a + x))',
    ops: ['While', 'TensorArrayGather'],
    inputs: [x6],
    build: (x) =>
      tf.scan((a: tf.Tensor, v: tf.Tensor) => tf.tanh(tf.add(a, v)), x, 0.5, { reverse: true }) as tf.Tensor,
    reference: (x) => {
      const out = new Float64Array(6);
      let a = 0.5;
      for (let i = 5; i >= 0; i--) out[i] = a = Math.tanh(a + (x.data[i] as number));
      return new NDArray(out, [6], 'float32');
    },
    shape: [6],
  },
  {
    name: 'tf.mapFn x ↦ sin(x)·x over rows',
    ops: ['While', 'TensorArrayGather'],
    inputs: [x43],
    build: (x) => tf.mapFn((r: tf.Tensor) => tf.multiply(tf.sin(r), r), x) as tf.Tensor,
    reference: (x) =>
      stackRows(
        rows(x).map((r) => mapRow(r, (v) => Math.sin(v) * v)),
        [3],
      ),
    shape: [4, 3],
  },
  {
    name: 'tf.foldl and tf.foldr of a·x + 1 (order matters)',
    ops: ['While', 'TensorArrayGather'],
    inputs: [x6],
    build: (x) => {
      const f = (a: tf.Tensor, v: tf.Tensor): tf.Tensor => tf.add(tf.multiply(a, v), 1);
      // [foldl, foldr] without tf.stack of scalars (see the report: Pack of scalars on headless WebGL).
      return tf.add(
        tf.multiply(tf.foldl(f, x) as tf.Tensor, [1, 0]),
        tf.multiply(tf.foldr(f, x, 0.3) as tf.Tensor, [0, 1]),
      );
    },
    reference: (x) => {
      const d = Array.from(x.data as Float64Array);
      let l = d[0] as number;
      for (let i = 1; i < 6; i++) l = l * (d[i] as number) + 1;
      let r = 0.3;
      for (let i = 5; i >= 0; i--) r = r * (d[i] as number) + 1;
      return new NDArray(Float64Array.from([l, r]), [2], 'float32');
    },
    shape: [2],
  },
];

/**
 * Random graphs over the ops, with valid and invalid shapes, dtypes and attributes, run with random
 * feeds. Properties: only library errors; a failed run changes no variable; the passes on and off give
 * bitwise the same values (or the same error class); the TS and WASM matmul kernels agree.
 */
import * as fc from 'fast-check';
import * as tf from '../../src';
import { setKernelOptions, wasmAvailable } from '../../src/backends/cpu/wasm';
import { setPassesEnabled } from '../../src/session/passes';
import { guarded, params } from './fuzz_helpers';

type Build = (xs: tf.Tensor[], r: number[]) => tf.Tensor;

const dim = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 32 + 1, NaN) },
);
const shape = fc.array(dim, { maxLength: 3 });
const dtype = fc.constantFrom<tf.DType>('float32', 'float32', 'int32', 'bool');
const small = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -0.5, 2 ** 31, NaN, 1e10));

/** Op builders applied to the graph's tensors `xs` with random attribute numbers `r`. */
const OPS: [string, Build][] = [
  ['add', (x) => tf.add(x[0] as tf.Tensor, x[1] as tf.Tensor)],
  ['mul', (x) => tf.multiply(x[0] as tf.Tensor, x[1] as tf.Tensor)],
  ['sub', (x) => tf.subtract(x[1] as tf.Tensor, x[0] as tf.Tensor)],
  ['exp∘sin', (x) => tf.exp(tf.sin(x[0] as tf.Tensor))],
  ['square+1', (x) => tf.add(tf.square(x[0] as tf.Tensor), 1)],
  ['tanh', (x) => tf.tanh(x[0] as tf.Tensor)],
  ['maximum', (x) => tf.maximum(x[0] as tf.Tensor, x[1] as tf.Tensor)],
  ['matmul', (x) => tf.matmul(x[0] as tf.Tensor, x[1] as tf.Tensor)],
  ['matmul T', (x, r) => tf.matmul(x[0] as tf.Tensor, x[1] as tf.Tensor, r[0] !== 0, r[1] !== 0)],
  ['reduceSum', (x, r) => tf.reduceSum(x[0] as tf.Tensor, r[0])],
  ['reduceMean', (x, r) => tf.reduceMean(x[0] as tf.Tensor, r[0], r[1] === 1)],
  ['reduceMax', (x, r) => tf.reduceMax(x[0] as tf.Tensor, r[0])],
  ['argmax', (x, r) => tf.argmax(x[0] as tf.Tensor, r[0])],
  ['reshape', (x, r) => tf.reshape(x[0] as tf.Tensor, r.slice(0, 2))],
  ['transpose', (x, r) => tf.transpose(x[0] as tf.Tensor, r.slice(0, 2))],
  ['concat', (x, r) => tf.concat([x[0] as tf.Tensor, x[1] as tf.Tensor], r[0] as number)],
  ['split', (x, r) => tf.split(x[0] as tf.Tensor, r[0] as number, r[1])[0] as tf.Tensor],
  ['tile', (x, r) => tf.tile(x[0] as tf.Tensor, r.slice(0, 2))],
  ['oneHot', (x, r) => tf.oneHot(tf.cast(x[0] as tf.Tensor, 'int32'), r[0] as number)],
  ['slice', (x, r) => tf.slice(x[0] as tf.Tensor, r.slice(0, 1), r.slice(1, 2))],
  ['gather', (x, r) => tf.gather(x[0] as tf.Tensor, r.slice(0, 2))],
  ['expandDims', (x, r) => tf.expandDims(x[0] as tf.Tensor, r[0])],
  ['squeeze', (x) => tf.squeeze(x[0] as tf.Tensor)],
  ['fill', (_x, r) => tf.fill(r.slice(0, 2), 1.5)],
  ['stack', (x, r) => tf.stack([x[0] as tf.Tensor, x[1] as tf.Tensor], r[0])],
  ['softmax', (x) => tf.nn.softmax(x[0] as tf.Tensor)],
  ['relu', (x) => tf.nn.relu(x[0] as tf.Tensor)],
  ['clip', (x, r) => tf.clipByValue(x[0] as tf.Tensor, r[0] as number, r[1] as number)],
  ['range', (_x, r) => tf.range(r[0] as number, r[1] as number, r[2])],
  ['cast', (x) => tf.cast(x[0] as tf.Tensor, 'int32')],
];

interface Case {
  shapes: unknown[][];
  dtypes: tf.DType[];
  ops: { op: number; r: number[]; a: number; b: number }[];
  feedShapes: unknown[][];
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  shapes: fc.array(shape, { minLength: 2, maxLength: 3 }),
  dtypes: fc.array(dtype, { minLength: 3, maxLength: 3 }),
  ops: fc.array(
    fc.record({
      op: fc.nat(OPS.length - 1),
      r: fc.array(small, { minLength: 3, maxLength: 3 }),
      a: fc.nat(10),
      b: fc.nat(10),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  feedShapes: fc.array(shape, { minLength: 3, maxLength: 3 }),
  seed: fc.nat(1000),
});

function values(n: number, seed: number, dt: tf.DType): number[] {
  const out: number[] = [];
  let s = seed + 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const v = (s / 2147483648) * 6 - 3;
    out.push(dt === 'float32' ? v : dt === 'int32' ? Math.round(v) : v > 0 ? 1 : 0);
  }
  return out;
}

/** Builds the case's graph; returns the placeholders and the fetched tensors (or the build error). */
function build(c: Case): { phs: tf.Tensor[]; outs: tf.Tensor[] } {
  const phs: tf.Tensor[] = [];
  c.shapes.forEach((s, i) => {
    const shapeArg = s.map((d) => (d === -1 ? null : d)) as number[];
    const r = guarded(() => tf.placeholder(c.dtypes[i] ?? 'float32', shapeArg, `p${i}`));
    if (r.ok) phs.push(r.value);
  });
  if (phs.length === 0) return { phs, outs: [] };
  const pool: tf.Tensor[] = [...phs];
  const outs: tf.Tensor[] = [];
  for (const o of c.ops) {
    const [, fn] = OPS[o.op] as [string, Build];
    const xs = [pool[o.a % pool.length] as tf.Tensor, pool[o.b % pool.length] as tf.Tensor];
    const r = guarded(() => fn(xs, o.r));
    if (r.ok) {
      pool.push(r.value);
      outs.push(r.value);
    }
  }
  return { phs, outs };
}

function feedsFor(c: Case, phs: tf.Tensor[]): Map<tf.Tensor, tf.NDArray> | undefined {
  const r = guarded(() => {
    const m = new Map<tf.Tensor, tf.NDArray>();
    phs.forEach((p, i) => {
      const st = p.shape;
      const fs = c.feedShapes[i] as unknown[];
      const concrete = st && st.every((d) => d !== null) && (c.seed + i) % 3 !== 0 ? st : fs;
      const dims = (concrete as number[]).map((d) => (d === null ? 2 : d));
      const n = dims.reduce((a, d) => a * (Number.isFinite(d) ? d : 1), 1);
      m.set(p, tf.ndarray(values(Math.min(n, 1000), c.seed + i, p.dtype), dims, p.dtype));
    });
    return m;
  });
  return r.ok ? r.value : undefined;
}

type Outcome = { ok: true; bits: string } | { ok: false; name: string };

function runCase(c: Case, passes: boolean): Outcome[] {
  setPassesEnabled(passes);
  try {
    const g = new tf.Graph();
    return g.asDefault(() => {
      const { phs, outs } = build(c);
      const feeds = feedsFor(c, phs);
      if (!feeds) return [];
      const sess = new tf.Session({ graph: g });
      return outs.map((o) => {
        const r = guarded(() => sess.run(o, feeds));
        if (!r.ok) return { ok: false, name: r.error.name };
        const v = r.value;
        return {
          ok: true,
          bits: `${v.dtype}${JSON.stringify(v.shape)}:${Array.from(v.data, (x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : String(x))).join(',')}`,
        };
      });
    });
  } finally {
    setPassesEnabled(true);
  }
}

test('random graphs: only library errors; passes on and off agree', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const on = runCase(c, true);
      const off = runCase(c, false);
      expect(on).toEqual(off);
    }),
    params(150, 0.3),
  );
});

test('random matmuls: the TS and WASM kernels agree (float32 tolerance)', () => {
  const mm = fc.record({
    m: fc.integer({ min: 0, max: 40 }),
    k: fc.integer({ min: 0, max: 40 }),
    n: fc.integer({ min: 0, max: 40 }),
    ta: fc.boolean(),
    tb: fc.boolean(),
    seed: fc.nat(1000),
  });
  const run = (
    wasm: boolean,
    c: { m: number; k: number; n: number; ta: boolean; tb: boolean; seed: number },
  ): Float32Array => {
    setKernelOptions({ wasm });
    try {
      const g = new tf.Graph();
      return g.asDefault(() => {
        const as = c.ta ? [c.k, c.m] : [c.m, c.k];
        const bs = c.tb ? [c.n, c.k] : [c.k, c.n];
        const a = tf.placeholder('float32', as, 'a');
        const b = tf.placeholder('float32', bs, 'b');
        const y = tf.matmul(a, b, c.ta, c.tb);
        const feed = new Map([
          [a, tf.ndarray(Float32Array.from(values(c.m * c.k, c.seed, 'float32')), as)],
          [b, tf.ndarray(Float32Array.from(values(c.k * c.n, c.seed + 7, 'float32')), bs)],
        ]);
        return new tf.Session({ graph: g }).run(y, feed).data as Float32Array;
      });
    } finally {
      setKernelOptions({ wasm: true });
    }
  };
  if (!wasmAvailable()) {
    console.log('wasm kernels not built: TS/WASM agreement not checked');
    return;
  }
  fc.assert(
    fc.property(mm, (c) => {
      const ts = run(false, c);
      const wa = run(true, c);
      expect(wa.length).toBe(ts.length);
      for (let i = 0; i < ts.length; i++)
        expect(Math.abs((wa[i] as number) - (ts[i] as number))).toBeLessThanOrEqual(
          1e-4 * Math.max(1, Math.abs(ts[i] as number)),
        );
    }),
    params(60, 0.1),
  );
});

test('a failed run changes no variable', () => {
  fc.assert(
    fc.property(fc.array(dim, { maxLength: 2 }), fc.nat(100), (feedShape, seed) => {
      const g = new tf.Graph();
      g.asDefault(() => {
        const v = new tf.Variable(tf.constant([1, 2, 3]), { name: 'v' });
        const x = tf.placeholder('float32', [null], 'x');
        // The assign runs, then an op whose shapes fail: TF1 runs no assign of a failed step here since
        // every failing shape check comes before the assign in the plan (the feed is checked first).
        const upd = tf.assignAdd(v, tf.multiply(x, 2));
        const sess = new tf.Session({ graph: g });
        sess.run(tf.globalVariablesInitializer());
        const before = Array.from(sess.run(v).data);
        const dims = feedShape.map((d) => (typeof d === 'number' && d > 0 && d < 5 ? d : 2));
        const n = dims.reduce((a, d) => a * d, 1);
        const r = guarded(() =>
          sess.run(upd, { 'x:0': tf.ndarray(Float32Array.from(values(n, seed, 'float32')), dims) }),
        );
        if (!r.ok) expect(Array.from(sess.run(v).data)).toEqual(before);
      });
    }),
    params(60, 0.05),
  );
});

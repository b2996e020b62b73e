import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { createGpuBackend, GpuBackend, GpuMode } from '../../../src/backends/gpujs';
import { availableModes, chooseMode } from '../../../src/backends/gpujs/modes';
import type { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * Shared set-up of the GPU backend tests: which gpu.js modes run here, and the comparison of a graph's
 * results on the GPU backend with the float32 CPU backend.
 */

/** The gpu.js modes worth testing here: the best available one and the WebAssembly mode. */
export function testedModes(): GpuMode[] {
  const modes = availableModes().filter((m) => m !== 'cpu');
  const best = modes[0];
  return best === undefined ? [] : [...new Set<GpuMode>([best, ...modes.filter((m) => m === 'webasm')])];
}

/**
 * `describe` for GPU tests: one block per tested mode, or — when no gpu.js mode but plain `cpu` works —
 * one skipped test saying so (the tests never pass silently without a GPU mode).
 */
export function describeGpu(title: string, body: (mode: GpuMode) => void, modes = testedModes()): void {
  if (modes.length === 0) {
    const why = chooseMode(undefined, false).reason;
    test.skip(`${title}: no gpu.js mode other than plain cpu works here (${why})`, () => undefined);
    return;
  }
  for (const mode of modes) describe(`${title} [${mode}]`, () => body(mode));
}

export function gpuSession(
  graph: tf.Graph,
  mode: GpuMode,
  options: { fuse?: boolean; asyncKernels?: boolean } = {},
): tf.Session {
  return new tf.Session({ graph, backend: createGpuBackend({ mode, ...options }) });
}

export function backendOf(sess: tf.Session): GpuBackend {
  return (sess as unknown as { backend: GpuBackend }).backend;
}

/** Every case of the op case tables (tests/ops/cases/*.ts), unchanged. */
export function allCases(): { file: string; cases: OpCase[] }[] {
  const dir = path.join(__dirname, '../../ops/cases');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({
      file: f.replace(/\.ts$/, ''),
      cases: Object.values(require(path.join(dir, f)) as Record<string, unknown>)
        .filter(
          (v): v is OpCase[] => Array.isArray(v) && v.every((c) => typeof (c as OpCase).build === 'function'),
        )
        .flat(),
    }))
    .filter((f) => f.cases.length > 0);
}

function float32(a: NDArray): NDArray {
  return a.data instanceof Float64Array ? new NDArray(Float32Array.from(a.data), a.shape, a.dtype) : a;
}

/** Asserts `actual` matches `expected` within `tol` relative (NaN and ±∞ must match exactly). */
export function expectNear(actual: NDArray, expected: NDArray, tol: number, label: string): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(expected.dtype);
  for (let i = 0; i < expected.size; i++) {
    const a = actual.data[i] as number;
    const e = expected.data[i] as number;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e)))
        throw new Error(`${label} element ${i}: got ${a}, expected ${e}`);
      continue;
    }
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
      throw new Error(`${label} element ${i}: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/**
 * Builds case `c`'s graph: placeholders for its inputs, its output and — where the case checks gradients —
 * `tf.gradients` seeded with a random projection. Returns what to fetch and feed (float32 inputs).
 */
export function buildCase(c: OpCase): { g: tf.Graph; fetches: tf.Tensor[]; feed: Map<tf.Tensor, NDArray> } {
  const g = new tf.Graph();
  return g.asDefault(() => {
    const xs = c.inputs.map((v, i) => tf.placeholder(v.dtype, v.shape, `x${i}`));
    const y = c.build(...xs);
    // Every backend gets the same float32 inputs (the tables hold float64-backed ones).
    const feed = new Map<tf.Tensor, NDArray>(xs.map((x, i) => [x, float32(c.inputs[i] as NDArray)]));
    const fetches: tf.Tensor[] = [y];
    if (c.grad !== false && y.dtype === 'float32') {
      const y0 = new tf.Session({ graph: g }).run(y, feed);
      const wrt = xs.filter((x) => x.dtype === 'float32');
      const u = tf.constant(randomArray(y0.shape, 99));
      for (const d of tf.gradients(y, wrt, { gradYs: [u] })) if (d) fetches.push(d);
    }
    return { g, fetches, feed };
  });
}

/** Runs case `c` (forward and gradients) on the float32 CPU backend and on `makeGpu`'s session; compares. */
export function compareCase(c: OpCase, makeGpu: (g: tf.Graph) => tf.Session, tol = 1e-3): void {
  const { g, fetches, feed } = buildCase(c);
  const cpu = new tf.Session({ graph: g });
  const gpu = makeGpu(g);
  try {
    const expected = cpu.run(fetches, feed);
    const got = gpu.run(fetches, feed);
    got.forEach((a, k) =>
      expectNear(
        a,
        expected[k] as NDArray,
        Math.max(tol, c.tolerance ?? 0),
        `${c.name} ${k ? `gradient ${k}` : 'forward'}`,
      ),
    );
  } finally {
    gpu.close();
    cpu.close();
  }
}

/** Runs case `c` on the GPU with and without elementwise fusion; the results must agree. */
export function compareFusion(c: OpCase, mode: GpuMode): void {
  const { g, fetches, feed } = buildCase(c);
  const fused = gpuSession(g, mode);
  const unfused = gpuSession(g, mode, { fuse: false });
  try {
    const a = fused.run(fetches, feed);
    const b = unfused.run(fetches, feed);
    a.forEach((x, k) => expectNear(x, b[k] as NDArray, 1e-5, `${c.name} fused vs unfused ${k}`));
  } finally {
    fused.close();
    unfused.close();
  }
}

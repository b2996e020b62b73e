/**
 * Fixture of the pretrained-model tests: the @vladmandic/human@3.3.6 graph models (fetched once with
 * `npm pack` into the git-ignored `.cache/pretrained/`; see tutorials/pretrained_models.ts), loaded both
 * by @tensorflow/tfjs (CPU backend, from memory) and by tensorgraph's `tf.io.loadGraphModel`, run on the
 * same seeded input, outputs compared.
 *
 * No package, no test: when the package can be neither found nor fetched (offline), `humanModelPath`
 * throws an error saying so and how to point TENSORGRAPH_HUMAN_DIR at a copy — the tests fail loudly
 * instead of skipping.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import {
  HumanModel,
  humanModelPath,
  loadTfjsGraphModel,
  opTypes,
  readGraphModelFiles,
} from '../../tutorials/pretrained_models';

export {
  HUMAN_MODELS,
  HUMAN_SPEC,
  humanModelPath,
  opTypes,
  readGraphModelFiles,
} from '../../tutorials/pretrained_models';
export type { HumanModel } from '../../tutorials/pretrained_models';

/** A dense tensor value on the host: shape, dtype and row-major values. */
export interface HostTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** xorshift32 — the tests' own seeded generator (same numbers for both frameworks). */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * A seeded input for a model input of `shape` (unknown dims -1 → `fill`) and `dtype`: floats uniform in
 * [-1, 1) (the models scale pictures to [-1, 1] or [0, 1]); integers 0–255 (uint8/int32 pictures).
 */
export function seededInput(shape: readonly number[], dtype: string, seed: number, fill = 1): HostTensor {
  const dims = shape.map((d) => (d < 0 ? fill : d));
  const n = dims.reduce((a, b) => a * b, 1);
  const rand = xorshift32(seed);
  if (dtype === 'int32' || dtype === 'uint8') {
    const data = new Int32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.floor(rand() * 256);
    return { shape: dims, dtype: 'int32', data };
  }
  if (dtype !== 'float32') throw new Error(`no seeded input for dtype ${dtype}`);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = 2 * rand() - 1;
  return { shape: dims, dtype: 'float32', data };
}

let tfjsReady: Promise<void> | undefined;
/** Selects tfjs's pure-JS CPU backend (once). */
export function tfjsCpu(): Promise<void> {
  tfjsReady ??= (async () => {
    tfjs.env().set('PROD', true); // no debug checks, no "Hi there" banner about tfjs-node
    if (!(await tfjs.setBackend('cpu'))) throw new Error('tfjs cpu backend failed to initialize');
    await tfjs.ready();
  })();
  return tfjsReady;
}

/** A model loaded into tfjs, with its input signature. */
export interface TfjsModel {
  model: tfjs.GraphModel;
  inputs: { name: string; shape: number[]; dtype: string }[];
  outputNames: string[];
}

export async function loadTfjs(name: HumanModel): Promise<TfjsModel> {
  await tfjsCpu();
  const model = await loadTfjsGraphModel(tfjs, humanModelPath(name));
  return {
    model,
    inputs: model.inputs.map((i) => ({ name: i.name, shape: [...(i.shape ?? [])], dtype: i.dtype })),
    outputNames: model.outputs.map((o) => o.name),
  };
}

/** The model's seeded inputs (one per signature input, seeds `seed`, `seed + 1`, …). */
export function seededInputs(m: TfjsModel, seed: number): HostTensor[] {
  return m.inputs.map((i, k) => seededInput(i.shape, i.dtype, seed + k));
}

/** Runs a tfjs model (executeAsync: also control flow) and reads every output back. */
export async function runTfjs(m: TfjsModel, inputs: HostTensor[]): Promise<HostTensor[]> {
  const feeds = inputs.map((x) => tfjs.tensor(x.data, x.shape, x.dtype));
  let res: tfjs.Tensor | tfjs.Tensor[];
  try {
    res = m.model.execute(feeds);
  } catch {
    res = await m.model.executeAsync(feeds); // control flow / dynamic shapes
  }
  const outs = Array.isArray(res) ? res : [res];
  const host = outs.map((o) => ({
    shape: [...o.shape],
    dtype: o.dtype as 'float32' | 'int32',
    data: o.dataSync() as Float32Array | Int32Array,
  }));
  tfjs.dispose([...feeds, ...outs]);
  return host;
}

/** A model imported into a fresh tensorgraph graph by `tf.io.loadGraphModel`. */
export interface TgModel {
  graph: tf.Graph;
  inputs: tf.Tensor[];
  outputs: tf.Tensor[];
}

export async function loadTensorgraph(name: HumanModel): Promise<TgModel> {
  const graph = new tf.Graph();
  const path = humanModelPath(name);
  const loaded = await tf.io.loadGraphModel(path, { graph });
  return { graph, inputs: [...loaded.inputs], outputs: [...loaded.outputs] };
}

/** Runs the imported model in `sess` on `inputs` (fed to its inputs in order). */
export function runTensorgraph(sess: tf.Session, m: TgModel, inputs: HostTensor[]): HostTensor[] {
  const feed = new Map(
    m.inputs.map((t, i) => {
      const x = inputs[i] as HostTensor;
      return [t, tf.ndarray(x.data, x.shape, x.dtype)] as const;
    }),
  );
  const res = sess.run(m.outputs, feed) as tf.NDArray[];
  return res.map((r) => ({
    shape: [...r.shape],
    dtype: r.dtype as 'float32' | 'int32',
    data: r.data as Float32Array,
  }));
}

/** One output's comparison: max |ours − tfjs| against the tolerance 1e-4 × max(1, max |tfjs|). */
export interface OutputDiff {
  index: number;
  name: string;
  shape: number[];
  maxDiff: number;
  scale: number;
  tolerance: number;
}

export function compareOutputs(ours: HostTensor[], theirs: HostTensor[], names: string[]): OutputDiff[] {
  expect(ours.length).toBe(theirs.length);
  return theirs.map((t, index) => {
    const o = ours[index] as HostTensor;
    const name = names[index] ?? String(index);
    if (JSON.stringify(o.shape) !== JSON.stringify(t.shape)) {
      throw new Error(`output ${index} (${name}): shape [${o.shape}] but tfjs gives [${t.shape}]`);
    }
    let scale = 0;
    let maxDiff = 0;
    for (let i = 0; i < t.data.length; i++) {
      const a = o.data[i] as number;
      const b = t.data[i] as number;
      scale = Math.max(scale, Math.abs(b));
      const d = Math.abs(a - b);
      maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
    }
    return { index, name, shape: t.shape, maxDiff, scale, tolerance: 1e-4 * Math.max(1, scale) };
  });
}

/** Asserts every output is within its tolerance (the message names the output and the numbers). */
export function expectParity(diffs: OutputDiff[], label: string): void {
  const bad = diffs.filter((d) => !(d.maxDiff <= d.tolerance));
  const show = (d: OutputDiff): string =>
    `${d.name} [${d.shape}]: max |diff| ${d.maxDiff.toExponential(2)} vs tolerance ${d.tolerance.toExponential(2)} (scale ${d.scale.toPrecision(3)})`;
  if (bad.length) throw new Error(`${label}: outputs differ from tfjs:\n  ${bad.map(show).join('\n  ')}`);
  expect(bad).toEqual([]);
}

/** The largest diff relative to max(1, scale), for the report lines. */
export function worst(diffs: OutputDiff[]): number {
  return Math.max(...diffs.map((d) => d.maxDiff / Math.max(1, d.scale)));
}

export { opTypes as modelOpTypes };
export const modelOps = (name: HumanModel): string[] => opTypes(readGraphModelFiles(humanModelPath(name)));

import { KernelContext, registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { InvalidArgumentError } from '../../../errors';
import type { Random } from '../../../util/random';
import { expectedCount, logUniformProbability } from '../../../nn/candidate_sampling';

/** CPU kernels of TopKV2, InTopKV2 and the candidate samplers. */

/** Row order of top-k: larger value first, equal values by lower index. */
function before(x: ArrayLike<number>, i: number, j: number): boolean {
  const a = x[i] as number;
  const b = x[j] as number;
  return a > b || (a === b && i < j);
}

registerKernel('cpu', 'TopKV2', ([input, kIn], ctx) => {
  const x = (input as NDArray).data;
  const k = (kIn as NDArray).data[0] as number;
  const shape = (input as NDArray).shape;
  const n = shape.length ? (shape[shape.length - 1] as number) : 0;
  if (k > n) throw new InvalidArgumentError(`input must have at least k columns. Had ${n}, needed ${k}`);
  const rows = n === 0 ? sizeOf(shape.slice(0, -1)) : x.length / n;
  const [vSpec, iSpec] = ctx.outputs as { shape: number[]; dtype: NDArray['dtype'] }[];
  const values = ctx.alloc(vSpec!.dtype, rows * k);
  const indices = ctx.alloc('int32', rows * k);
  const order = new Array<number>(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let c = 0; c < n; c++) order[c] = base + c;
    order.sort((i, j) => (before(x, i, j) ? -1 : before(x, j, i) ? 1 : 0));
    for (let j = 0; j < k; j++) {
      const at = order[j] as number;
      values[r * k + j] = x[at] as number;
      indices[r * k + j] = at - base;
    }
  }
  return [new NDArray(values, vSpec!.shape, vSpec!.dtype), new NDArray(indices, iSpec!.shape, 'int32')];
});

registerKernel('cpu', 'InTopKV2', ([pred, targ, kIn], ctx) => {
  const p = (pred as NDArray).data;
  const t = (targ as NDArray).data;
  const k = (kIn as NDArray).data[0] as number;
  const [batch, classes] = (pred as NDArray).shape as [number, number];
  if (t.length !== batch)
    throw new InvalidArgumentError(
      `First dimension of predictions ${batch} must match length of targets ${t.length}`,
    );
  const out = ctx.alloc('bool', batch);
  for (let b = 0; b < batch; b++) {
    const target = t[b] as number;
    let ok = target >= 0 && target < classes && Number.isFinite(p[b * classes + target] as number);
    if (ok) {
      const tp = p[b * classes + target] as number;
      let more = 0;
      for (let c = 0; c < classes; c++) {
        const v = p[b * classes + c] as number;
        if (!Number.isFinite(v)) {
          ok = false;
          break;
        }
        if (v > tp) more++;
      }
      ok = ok && more < k;
    }
    out[b] = ok ? 1 : 0;
  }
  return [new NDArray(out, [batch], 'bool')];
});

/** One candidate sampler: `draw` gives a class in [0, range), `prob` its probability. */
function candidateSampler(
  draw: (r: Random, range: number) => number,
  prob: (v: number, range: number) => number,
) {
  return ([trueClasses]: NDArray[], ctx: KernelContext): NDArray[] => {
    const tc = trueClasses as NDArray;
    const numTrue = ctx.attrs.num_true as number;
    const numSampled = ctx.attrs.num_sampled as number;
    const range = ctx.attrs.range_max as number;
    const unique = ctx.attrs.unique === true;
    if (tc.shape.length !== 2) throw new InvalidArgumentError('true_classes must be a matrix');
    if (tc.shape[1] !== numTrue)
      throw new InvalidArgumentError(
        `true_classes must have num_true columns, expected: ${numTrue} was: ${tc.shape[1]}`,
      );
    if (unique && numSampled > range) throw new InvalidArgumentError("Sampler's range is too small.");
    const r = ctx.state.random(ctx.op);
    const sampled = ctx.alloc('int32', numSampled);
    let tries = 0;
    if (unique) {
      const used = new Set<number>();
      let picked = 0;
      while (picked < numSampled) {
        tries++;
        const v = draw(r, range);
        if (!used.has(v)) {
          used.add(v);
          sampled[picked++] = v;
        }
      }
    } else {
      for (let i = 0; i < numSampled; i++) sampled[i] = draw(r, range);
      tries = numSampled;
    }
    const sampledExp = ctx.alloc('float32', numSampled);
    for (let i = 0; i < numSampled; i++)
      sampledExp[i] = expectedCount(prob(sampled[i] as number, range), numSampled, tries);
    const trueExp = ctx.alloc('float32', tc.size);
    for (let i = 0; i < tc.size; i++)
      trueExp[i] = expectedCount(prob(tc.data[i] as number, range), numSampled, tries);
    return [
      new NDArray(sampled, [numSampled], 'int32'),
      new NDArray(trueExp, tc.shape.slice(), 'float32'),
      new NDArray(sampledExp, [numSampled], 'float32'),
    ];
  };
}

// TF1's LogUniformSampler: floor(exp(u · log(range + 1))) − 1 (clamped against rounding at the top).
registerKernel(
  'cpu',
  'LogUniformCandidateSampler',
  candidateSampler(
    (r, range) => Math.min(Math.floor(Math.exp(r.uniform() * Math.log(range + 1))) - 1, range - 1),
    logUniformProbability,
  ),
);

registerKernel(
  'cpu',
  'UniformCandidateSampler',
  candidateSampler(
    (r, range) => Math.min(Math.floor(r.uniform() * range), range - 1),
    (_v, range) => 1 / range,
  ),
);

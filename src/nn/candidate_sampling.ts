import { Shape } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { declare, kinds, param } from '../graph/signature';
import { convertToTensor, defineOp, graphOf, InferContext, makeOp, OutputSpec } from '../ops/op_def';
import { seedParam } from '../ops/random/common';

/**
 * Candidate samplers (TF1 `candidate_sampling_ops`): `LogUniformCandidateSampler` and
 * `UniformCandidateSampler` with input `true_classes` [batch, num_true] int32 and attrs num_true,
 * num_sampled, unique, range_max, seed. Outputs: `sampled_candidates` [num_sampled] int32,
 * `true_expected_count` [batch, num_true] and `sampled_expected_count` [num_sampled] float32. Each op draws
 * from its own seeded stream (graph seed + op seed, as the random ops), continuing across runs.
 */
function inferSampler(ctx: InferContext): OutputSpec[] {
  const numTrue = ctx.attrs.num_true as number;
  const numSampled = ctx.attrs.num_sampled as number;
  const rangeMax = ctx.attrs.range_max as number;
  if (ctx.dtypes[0] !== 'int32')
    ctx.fail(
      `Input 'true_classes' of '${ctx.type}' Op has type ${ctx.dtypes[0]} that does not match expected type of int32`,
    );
  for (const [v, what] of [
    [numTrue, 'num_true'],
    [numSampled, 'num_sampled'],
    [rangeMax, 'range_max'],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) ctx.fail(`Attr '${what}' of ${v} must be an integer >= 1`);
  }
  if (ctx.attrs.unique === true && numSampled > rangeMax) ctx.fail("Sampler's range is too small.");
  const s = ctx.shapes[0] as Shape;
  if (s !== null && s.length !== 2) ctx.fail(`Shape must be rank 2 but is rank ${s.length}`);
  const cols = s?.[1] ?? null;
  if (cols !== null && cols !== numTrue)
    ctx.fail(`true_classes must have num_true columns, expected: ${numTrue} was: ${cols}`);
  return [
    { shape: [numSampled], dtype: 'int32' },
    { shape: [s?.[0] ?? null, numTrue], dtype: 'float32' },
    { shape: [numSampled], dtype: 'float32' },
  ];
}

for (const type of ['LogUniformCandidateSampler', 'UniformCandidateSampler'])
  defineOp({ type, stateful: true, infer: inferSampler, grad: 'none' });

/** P(class) of the log-uniform (Zipfian) distribution over [0, rangeMax): TF1's LogUniformSampler. */
export function logUniformProbability(value: number, rangeMax: number): number {
  return (Math.log(value + 2) - Math.log(value + 1)) / Math.log(rangeMax + 1);
}

/**
 * TF1's expected count of a class of probability p in a batch of `batchSize` draws that took `numTries`
 * tries: p·batchSize without rejections, else 1 − (1 − p)^numTries (stable form).
 */
export function expectedCount(p: number, batchSize: number, numTries: number): number {
  if (numTries === batchSize) return p * batchSize;
  return -Math.expm1(numTries * Math.log1p(-p));
}

type Sampled = [Tensor, Tensor, Tensor];

function sampler(type: string, fn: string, defaultName: string) {
  return declare(
    fn,
    [
      param('trueClasses', kinds.tensor),
      param('numTrue', kinds.int),
      param('numSampled', kinds.int),
      param('unique', kinds.bool),
      param('rangeMax', kinds.int),
      seedParam,
      param('name', kinds.name, { default: undefined as string | undefined }),
    ] as const,
    (a): Sampled => {
      const g = graphOf([a.trueClasses as TensorLike]);
      const t = convertToTensor(a.trueClasses as TensorLike, 'int32', g);
      const attrs = {
        num_true: a.numTrue,
        num_sampled: a.numSampled,
        unique: a.unique,
        range_max: a.rangeMax,
        seed: a.seed,
      };
      const op = makeOp(type, [t], attrs, a.name ?? defaultName, g);
      return op.outputs.slice(0, 3) as Sampled;
    },
  );
}

/**
 * Samples `numSampled` classes from the log-uniform (Zipfian) distribution P(c) = (log(c + 2) −
 * log(c + 1)) / log(rangeMax + 1) over [0, rangeMax) (TF1 `tf.nn.log_uniform_candidate_sampler(
 * true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None)`). With `unique`,
 * duplicates are rejected and redrawn; the expected counts then use TF1's formula 1 − (1 − P)^tries.
 * Returns `[sampledCandidates, trueExpectedCount, sampledExpectedCount]`; deterministic under
 * `tf.setRandomSeed` or an op `seed`.
 *
 * @example
 * const [sampled, trueExp, sampledExp] = tf.nn.logUniformCandidateSampler(labels, 1, 64, true, 50000);
 */
export const logUniformCandidateSampler = sampler(
  'LogUniformCandidateSampler',
  'logUniformCandidateSampler',
  'LogUniformCandidateSampler',
);

/**
 * Samples `numSampled` classes uniformly from [0, rangeMax) (TF1 `tf.nn.uniform_candidate_sampler(
 * true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None)`); returns
 * `[sampledCandidates, trueExpectedCount, sampledExpectedCount]` as logUniformCandidateSampler does.
 *
 * @example
 * const sv = tf.nn.uniformCandidateSampler(labels, 1, 20, true, 1000, { seed: 1 });
 * const loss = tf.nn.sampledSoftmaxLoss(W, b, labels, h, 20, 1000, { sampledValues: sv });
 */
export const uniformCandidateSampler = sampler(
  'UniformCandidateSampler',
  'uniformCandidateSampler',
  'UniformCandidateSampler',
);

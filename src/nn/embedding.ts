import { Tensor, TensorLike } from '../graph/tensor';
import { InvalidArgumentError } from '../errors';
import { convertToTensor } from '../ops/op_def';
import { declare, kinds, param, TensorValue } from '../graph/signature';
import { nameScope } from '../graph/graph';
import { gather } from '../ops/array/gather';
import { concat } from '../ops/array/concat';
import { onesLike } from '../ops/array/broadcast';
import { divide, greater, maximum, multiply, sqrt, where } from '../ops/math/builders';
import { reduceSum } from '../ops/reduce/sum';

/**
 * TF1 `tf.nn.embedding_lookup(params, ids, partition_strategy='mod', name=None, validate_indices=True,
 * max_norm=None)`. One `params` tensor: `gather(params, ids)` on axis 0. A list of shards (static first
 * dims) is reassembled into the full table in the order of `partitionStrategy` ('mod': id i lives in
 * shard i % n at row i / n; 'div': shards hold consecutive id ranges, the first N % n one row longer), so
 * the result and the gradients into each shard are TF1's. `maxNorm` clips each looked-up embedding to
 * that L2 norm (TF1's `clip_by_norm` over the embedding axes). `validateIndices` is deprecated in TF1
 * and has no effect there either: out-of-range ids are always a run-time InvalidArgumentError here.
 *
 * @example
 * const emb = new tf.Variable(tf.randomUniform([vocab, 64], -1, 1));
 * const x = tf.nn.embeddingLookup(emb, wordIds); // [batch, steps] → [batch, steps, 64]
 */
export const embeddingLookup = declare(
  'embeddingLookup',
  [
    param('params', kinds.union(kinds.tensor, kinds.tensors)),
    param('ids', kinds.tensor),
    param('partitionStrategy', kinds.oneOf('mod', 'div'), { default: 'mod' as 'mod' | 'div' }),
    param('name', kinds.name, { default: undefined as string | undefined }),
    param('validateIndices', kinds.bool, { default: true }),
    param('maxNorm', kinds.nullable(kinds.number), { default: null as number | null }),
  ] as const,
  (a): Tensor => {
    if (a.maxNorm !== null && !(a.maxNorm > 0)) {
      throw new InvalidArgumentError(`embeddingLookup: max_norm must be positive, got ${a.maxNorm}`);
    }
    const name = a.name ?? 'embedding_lookup';
    const isShardList =
      Array.isArray(a.params) && a.params.length > 0 && a.params.every((t) => t instanceof Tensor);
    if (!isShardList && a.maxNorm === null) {
      return gather(a.params as TensorLike, a.ids as TensorLike, { name });
    }
    return nameScope(name, () => {
      const table = isShardList
        ? fullTable(a.params as Tensor[], a.partitionStrategy)
        : convertToTensor(a.params as TensorLike);
      const ids = convertToTensor(a.ids as TensorValue, 'int32');
      const x = gather(table, ids);
      return a.maxNorm === null ? x : clipRows(x, ids, a.maxNorm);
    });
  },
);

/** The full embedding table of a sharded `params` list under TF1's partition strategy. */
function fullTable(shards: Tensor[], strategy: 'mod' | 'div'): Tensor {
  if (shards.length === 1) return shards[0] as Tensor;
  const sizes = shards.map((s, k) => {
    const d = s.shape?.[0];
    if (typeof d !== 'number') {
      throw new InvalidArgumentError(
        `embeddingLookup: shard ${k} of params needs a statically known first dimension`,
      );
    }
    return d;
  });
  const n = shards.length;
  const total = sizes.reduce((p, q) => p + q, 0);
  const q = Math.floor(total / n);
  const extras = total % n;
  const expected = sizes.map((_s, k) =>
    strategy === 'mod' ? Math.ceil((total - k) / n) : q + (k < extras ? 1 : 0),
  );
  if (sizes.some((s, k) => s !== expected[k])) {
    throw new InvalidArgumentError(
      `embeddingLookup: shard sizes [${sizes.join(', ')}] do not partition ${total} ids with ` +
        `partition_strategy '${strategy}' (expected [${expected.join(', ')}])`,
    );
  }
  const stacked = concat(shards, 0);
  if (strategy === 'div') return stacked;
  const offsets = sizes.map((_s, k) => sizes.slice(0, k).reduce((p, r) => p + r, 0));
  const perm = Array.from({ length: total }, (_v, i) => (offsets[i % n] as number) + Math.floor(i / n));
  return gather(stacked, perm);
}

/** TF1's `clip_by_norm(x, maxNorm, axes)` over the embedding axes (those after the ids' axes). */
function clipRows(x: Tensor, ids: Tensor, maxNorm: number): Tensor {
  if (x.shape === null || ids.shape === null) {
    throw new InvalidArgumentError('embeddingLookup: max_norm needs ids and params of known rank');
  }
  const axes = Array.from({ length: x.shape.length - ids.shape.length }, (_v, i) => ids.shape!.length + i);
  if (axes.length === 0) return x;
  const l2sum = reduceSum(multiply(x, x), axes, true);
  const pred = greater(l2sum, 0);
  const l2norm = where(pred, sqrt(where(pred, l2sum, onesLike(l2sum))), l2sum);
  return divide(multiply(x, maxNorm), maximum(l2norm, maxNorm));
}

import { Tensor, TensorLike } from '../graph/tensor';
import { UnimplementedError } from '../errors';
import { NameOption, parseOptions } from '../ops/op_def';
import { gather } from '../ops/array/gather';

/**
 * Looks up rows of `params` at the int32 `ids` (TF1 `tf.nn.embedding_lookup`): `gather(params, ids)` on
 * axis 0, so the result has shape `ids.shape + params.shape[1:]` and the gradient flows into `params`.
 * `params` may also be a one-element list (TF1's unsharded form); sharded lists are not supported.
 *
 * @example
 * const emb = new tf.Variable(tf.randomUniform([vocab, 64], { minval: -1, maxval: 1 }));
 * const x = tf.nn.embeddingLookup(emb, wordIds); // [batch, steps] → [batch, steps, 64]
 */
export function embeddingLookup(
  params: TensorLike | Tensor[],
  ids: TensorLike,
  opts?: NameOption | string,
): Tensor {
  let p = params as TensorLike;
  if (Array.isArray(params) && params.length > 0 && params.every((t) => t instanceof Tensor)) {
    if (params.length !== 1) {
      throw new UnimplementedError(
        `embeddingLookup: sharded params (a list of ${params.length} tensors) are not supported`,
      );
    }
    p = params[0] as Tensor;
  }
  return gather(p, ids, 0, parseOptions(opts).name ?? 'embedding_lookup');
}

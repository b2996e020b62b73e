// TF1's `tf.contrib.layers.flatten(inputs, outputs_collections=None, scope=None)`, as in classic TF1
// programs (e.g. the multi-GPU CNN examples): `tf.layers.flatten` inside a name scope 'Flatten'.
import { declare, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor } from '../ops/op_def';
import { flatten as layersFlatten } from './core';

const collectionsKind = kinds.nullable(
  kinds.custom<string[]>(
    'a list of collection names',
    (v) => Array.isArray(v) && v.every((c) => typeof c === 'string'),
  ),
);

/**
 * TF1's `tf.contrib.layers.flatten(inputs, outputs_collections=None, scope=None)`: reshapes
 * `[batch, ...]` to `[batch, product of the rest]` (`tf.layers.flatten`) inside the name scope `scope`
 * (default 'Flatten', made unique), and adds the result to each of `outputsCollections`.
 *
 * @example
 * const flat = tf.contrib.layers.flatten(pool2); // [null, 7, 7, 64] → [null, 3136], ops 'Flatten/flatten/…'
 */
export const flatten = declare(
  'flatten',
  [
    param('inputs', kinds.tensor),
    param('outputsCollections', collectionsKind, { default: null as string[] | null }),
    param('scope', kinds.nullable(kinds.string), { default: null as string | null }),
  ] as const,
  (a): Tensor => {
    const inputs = convertToTensor(a.inputs as TensorLike);
    const g = inputs.graph;
    return g.asDefault(() =>
      g.nameScope(a.scope ?? 'Flatten', () => {
        const outputs = layersFlatten(inputs);
        for (const c of a.outputsCollections ?? []) g.addToCollection(c, outputs);
        return outputs;
      }),
    );
  },
);

/**
 * The stateful primitives of tf.data (TF1's op types). An iterator op stands for one iterator resource;
 * its state (the running pipeline) belongs to the Session that runs it, so two sessions iterate
 * independently. `MakeIterator` (the initializer) and `OneShotIterator` (on its first run) build the
 * pipeline from a dataset definition (attr `dataset`) and the values of their dataset inputs;
 * `IteratorGetNext` pulls one element per run, shared by all its outputs.
 */
import type { DType } from '../graph/dtype';
import type { Shape } from '../graph/shape';
import { defineOp } from '../ops/op_def';

const HANDLE = [{ shape: [] as Shape, dtype: 'int32' as DType }];

/** An iterator resource created by `makeInitializableIterator` / `Iterator.fromStructure`. */
defineOp({
  type: 'IteratorV2',
  defaultName: 'Iterator',
  infer: () => HANDLE,
  grad: 'none',
  stateful: true,
});

/** A one-shot iterator: initializes itself from its inputs the first time a session runs it. */
defineOp({
  type: 'OneShotIterator',
  infer: () => HANDLE,
  grad: 'none',
  stateful: true,
});

/** (Re)initializes an iterator: inputs are the iterator handle, then the dataset's input tensors. */
defineOp({
  type: 'MakeIterator',
  infer: (ctx) => {
    const handle = ctx.shapes[0];
    if (ctx.dtypes[0] !== 'int32' || handle === undefined || (handle !== null && handle.length !== 0))
      ctx.fail('MakeIterator: input 0 must be an iterator handle');
    return [];
  },
  grad: 'none',
  stateful: true,
});

/**
 * The next element of an iterator (one per run). Static shapes come from the attrs; concrete shapes are
 * those of the element, known only when the kernel pulls it (hence `shapesFromKernel`).
 */
defineOp({
  type: 'IteratorGetNext',
  infer: (ctx) => {
    const types = ctx.attrs.output_types as DType[];
    const shapes = ctx.attrs.output_shapes as Shape[];
    return types.map((dtype, i) => ({ dtype, shape: shapes[i] ?? null }));
  },
  grad: 'none',
  stateful: true,
  shapesFromKernel: true,
});

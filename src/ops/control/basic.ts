import { Operation, Tensor, TensorLike } from '../../graph/tensor';
import { getDefaultGraph } from '../../graph/graph';
import { defineOp, makeOp, makeTensor } from '../op_def';

defineOp({
  type: 'Identity',
  infer: (ctx) => [{ shape: ctx.shapes[0] ?? null, dtype: ctx.dtypes[0] ?? 'float32' }],
  grad: (_op, [dy]) => [dy ?? null],
});

defineOp({
  type: 'StopGradient',
  infer: (ctx) => [{ shape: ctx.shapes[0] ?? null, dtype: ctx.dtypes[0] ?? 'float32' }],
  grad: 'none',
});

defineOp({ type: 'NoOp', infer: () => [], grad: 'none' });

/**
 * Returns a tensor with the same value (a new node; useful with control dependencies).
 *
 * @example
 * const y = tf.identity(x, 'y');
 */
export function identity(x: TensorLike, name?: string): Tensor {
  return makeTensor('Identity', [x], {}, name);
}

/** The value of `x`, seen by `tf.gradients` as a constant. */
export function stopGradient(x: TensorLike, name?: string): Tensor {
  return makeTensor('StopGradient', [x], {}, name);
}

/** An op that does nothing (a target for control dependencies). */
export function noOp(name?: string): Operation {
  return makeOp('NoOp', [], {}, name ?? 'NoOp', getDefaultGraph());
}

/**
 * An op that runs all of `inputs` (ops or tensors); fetch it to run them together.
 *
 * @example
 * const train = tf.group(updateW, updateB);
 * sess.run(train, feeds);
 */
export function group(
  ...inputs: (Operation | Tensor | string | undefined | (Operation | Tensor)[])[]
): Operation {
  let name = 'group_deps';
  const deps: Operation[] = [];
  for (const x of inputs) {
    if (typeof x === 'string') name = x;
    else if (Array.isArray(x)) for (const y of x) deps.push(y instanceof Tensor ? y.op : y);
    else if (x) deps.push(x instanceof Tensor ? x.op : x);
  }
  const g = deps[0]?.graph ?? getDefaultGraph();
  return makeOp('NoOp', [], {}, name, g, { controlInputs: deps });
}

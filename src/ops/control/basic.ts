import { Operation, Tensor, TensorLike } from '../../graph/tensor';
import { getDefaultGraph } from '../../graph/graph';
import { declare, isOptionsObject, kinds, param } from '../../graph/signature';
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

const optName = param('name', kinds.name, { default: undefined as string | undefined });

/**
 * Returns a tensor with the same value (a new node; useful with control dependencies). TF1's
 * `tf.identity(input, name=None)`.
 *
 * @example
 * const y = tf.identity(x, 'y');
 */
export const identity = declare('identity', [param('input', kinds.tensor), optName] as const, (a): Tensor =>
  makeTensor('Identity', [a.input as TensorLike], {}, a.name),
);

/** The value of `input`, seen by `tf.gradients` as a constant. TF1's `tf.stop_gradient(input, name=None)`. */
export const stopGradient = declare(
  'stopGradient',
  [param('input', kinds.tensor), optName] as const,
  (a): Tensor => makeTensor('StopGradient', [a.input as TensorLike], {}, a.name),
);

/** An op that does nothing (a target for control dependencies). TF1's `tf.no_op(name=None)`. */
export const noOp = declare('noOp', [optName] as const, (a): Operation =>
  makeOp('NoOp', [], {}, a.name ?? 'NoOp', getDefaultGraph()),
);

/** What `tf.group` takes: ops and tensors, possibly in (nested) arrays. */
export type GroupInput = Operation | Tensor | readonly GroupInput[];

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return `${typeof v === 'string' ? `'${v}'` : String(v)} (${typeof v})`;
}

/**
 * An op that runs all of `inputs` (ops or tensors, or arrays of them); fetch it to run them together.
 * TF1's `tf.group(*inputs, name=None)`: the name is given as `{ name }` after the inputs, or as a
 * plain string last. Anything that is not an op or a tensor is a `TypeError`, as in TF1.
 *
 * @example
 * const train = tf.group(updateW, updateB);
 * const named = tf.group(updateW, updateB, { name: 'train' });
 */
export function group(...args: (GroupInput | string | { name?: string })[]): Operation {
  const inputs: unknown[] = args.slice();
  let name: string | undefined;
  const last = inputs[inputs.length - 1];
  if (isOptionsObject(last)) {
    inputs.pop();
    for (const key of Object.keys(last)) {
      if (key !== 'name')
        throw new TypeError(`group() got an unexpected keyword argument '${key}'; accepted: name`);
    }
    const n = last.name;
    if (n !== undefined && typeof n !== 'string')
      throw new TypeError(`group(): argument 'name' must be a string (the op name), got ${describe(n)}`);
    name = n;
  } else if (typeof last === 'string') {
    inputs.pop();
    name = last;
  }
  const deps: Operation[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x instanceof Tensor) deps.push(x.op);
    else if (x instanceof Operation) deps.push(x);
    else
      throw new TypeError(
        `group() expects Tensor or Operation arguments (or arrays of them), not ${describe(x)}; ` +
          `the name goes last: tf.group(a, b, { name: 'train' })`,
      );
  };
  inputs.forEach(visit);
  const g = deps[0]?.graph ?? getDefaultGraph();
  return makeOp('NoOp', [], {}, name ?? 'group_deps', g, { controlInputs: deps });
}
